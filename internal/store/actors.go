package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const actorColumns = `r.account_id, r.actor_type, r.inbox_url, r.shared_inbox_url, r.outbox_url,
	r.followers_url, r.following_url, r.featured_url, r.featured_tags_url, r.public_key_id,
	r.public_key_pem, r.private_key_pem, r.also_known_as, r.moved_to_uri, r.indexable,
	r.fetched_at, r.updated_at`

func scanActor(row scanner) (*model.Actor, error) {
	var a model.Actor
	var aka string
	err := row.Scan(&a.AccountID, &a.Type, &a.InboxURL, &a.SharedInboxURL, &a.OutboxURL,
		&a.FollowersURL, &a.FollowingURL, &a.FeaturedURL, &a.FeaturedTagsURL, &a.PublicKeyID,
		&a.PublicKeyPEM, &a.PrivateKeyPEM, &aka, &a.MovedToURI, &a.Indexable, &a.FetchedAt, &a.UpdatedAt)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(aka), &a.AlsoKnownAs); err != nil {
		return nil, fmt.Errorf("actor %d also_known_as: %w", a.AccountID, err)
	}
	return &a, nil
}

// ActorByAccountID loads the ActivityPub side of an account.
func (q Q) ActorByAccountID(ctx context.Context, accountID int64) (*model.Actor, error) {
	a, err := scanActor(q.db.QueryRowContext(ctx, `SELECT `+actorColumns+` FROM actors r WHERE r.account_id = $1`, accountID))
	return a, notFound(err, fmt.Sprintf("actor %d", accountID))
}

// ActorsByAccountIDs loads the actors of several accounts; accounts without one are absent.
func (q Q) ActorsByAccountIDs(ctx context.Context, ids []int64) (map[int64]*model.Actor, error) {
	out := make(map[int64]*model.Actor, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+actorColumns+` FROM actors r WHERE r.account_id IN (`+
		placeholders(1, len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, fmt.Errorf("store: actors by ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanActor(rows)
		if err != nil {
			return nil, fmt.Errorf("store: actors by ids: %w", err)
		}
		out[a.AccountID] = a
	}
	return out, rows.Err()
}

// AccountByURI loads an account by its ActivityPub id.
func (q Q) AccountByURI(ctx context.Context, uri string) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.uri = $1`, uri))
	return a, notFound(err, "account "+uri)
}

// Signer is what an inbox needs of the account a delivery is signed for.
type Signer struct {
	AccountID int64
	Suspended bool
}

// SignerByURI finds the account with ActivityPub id uri. Every inbound delivery asks,
// so answers are cached briefly (readcache.go); suspending or deleting an account
// through this Store clears them.
func (q Q) SignerByURI(ctx context.Context, uri string) (Signer, error) {
	return cachedRead(q, signers, uri, func() (Signer, error) {
		a, err := q.AccountByURI(ctx, uri)
		if err != nil {
			return Signer{}, err
		}
		return Signer{AccountID: a.ID, Suspended: a.SuspendedAt != nil}, nil
	}, nil)
}

// AccountByKeyID loads the account owning a public key id, with its actor.
func (q Q) AccountByKeyID(ctx context.Context, keyID string) (*model.Account, *model.Actor, error) {
	var accountID int64
	err := q.db.QueryRowContext(ctx, `SELECT account_id FROM actors WHERE public_key_id = $1`, keyID).Scan(&accountID)
	if err != nil {
		return nil, nil, notFound(err, "key "+keyID)
	}
	acct, err := q.AccountByID(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	actor, err := q.ActorByAccountID(ctx, accountID)
	return acct, actor, err
}

// UpsertActor writes the ActivityPub side of an account, replacing what was there.
func (q Q) UpsertActor(ctx context.Context, a *model.Actor) error {
	aka := a.AlsoKnownAs
	if aka == nil {
		aka = []string{}
	}
	akaJSON, err := json.Marshal(aka)
	if err != nil {
		return err
	}
	a.UpdatedAt = time.Now().UTC()
	_, err = q.db.ExecContext(ctx, `INSERT INTO actors (account_id, actor_type, inbox_url, shared_inbox_url,
		outbox_url, followers_url, following_url, featured_url, featured_tags_url, public_key_id,
		public_key_pem, private_key_pem, also_known_as, moved_to_uri, indexable, fetched_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (account_id) DO UPDATE SET actor_type = excluded.actor_type, inbox_url = excluded.inbox_url,
		shared_inbox_url = excluded.shared_inbox_url, outbox_url = excluded.outbox_url,
		followers_url = excluded.followers_url, following_url = excluded.following_url,
		featured_url = excluded.featured_url, featured_tags_url = excluded.featured_tags_url,
		public_key_id = excluded.public_key_id, public_key_pem = excluded.public_key_pem,
		private_key_pem = excluded.private_key_pem, also_known_as = excluded.also_known_as,
		moved_to_uri = excluded.moved_to_uri, indexable = excluded.indexable,
		fetched_at = excluded.fetched_at, updated_at = excluded.updated_at`,
		a.AccountID, a.Type, a.InboxURL, a.SharedInboxURL, a.OutboxURL, a.FollowersURL, a.FollowingURL,
		a.FeaturedURL, a.FeaturedTagsURL, a.PublicKeyID, a.PublicKeyPEM, a.PrivateKeyPEM, string(akaJSON),
		a.MovedToURI, a.Indexable, a.FetchedAt, a.UpdatedAt)
	return wrap(err, "upsert actor %d", a.AccountID)
}

// SetLocalKeys stores a local account's key pair unless it has one: when two requests
// make a key at once the first write wins, and the caller reads back the winner.
func (q Q) SetLocalKeys(ctx context.Context, accountID int64, keyID, publicPEM, privatePEM string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO actors (account_id, public_key_id, public_key_pem, private_key_pem, updated_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id) DO UPDATE SET public_key_id = excluded.public_key_id,
		public_key_pem = excluded.public_key_pem, private_key_pem = excluded.private_key_pem,
		updated_at = excluded.updated_at
		WHERE actors.private_key_pem = ''`, accountID, keyID, publicPEM, privatePEM, time.Now().UTC())
	return wrap(err, "set keys of account %d", accountID)
}
