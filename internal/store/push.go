package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const pushColumns = `w.id, w.token_id, w.user_id, w.endpoint, w.key_p256dh, w.key_auth, w.alerts, w.policy, w.standard,
	w.created_at, w.updated_at`

func scanPush(row scanner) (*model.PushSubscription, error) {
	var p model.PushSubscription
	var alerts string
	err := row.Scan(&p.ID, &p.TokenID, &p.UserID, &p.Endpoint, &p.P256DH, &p.Auth, &alerts, &p.Policy, &p.Standard,
		&p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return &p, json.Unmarshal([]byte(alerts), &p.Alerts)
}

// ReplacePushSubscription stores p as its token's only subscription, replacing any other.
func (q Q) ReplacePushSubscription(ctx context.Context, p *model.PushSubscription) error {
	if _, err := q.db.ExecContext(ctx, `DELETE FROM web_push_subscriptions WHERE token_id = $1`, p.TokenID); err != nil {
		return fmt.Errorf("store: replace push subscription: %w", err)
	}
	alerts, err := json.Marshal(p.Alerts)
	if err != nil {
		return err
	}
	p.ID = q.NewID()
	p.CreatedAt = time.Now().UTC()
	p.UpdatedAt = p.CreatedAt
	_, err = q.db.ExecContext(ctx, `INSERT INTO web_push_subscriptions (id, token_id, user_id, endpoint, key_p256dh, key_auth,
		alerts, policy, standard, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.TokenID, p.UserID, p.Endpoint, p.P256DH, p.Auth, string(alerts), p.Policy, p.Standard, p.CreatedAt, p.UpdatedAt)
	return wrap(err, "insert push subscription")
}

// UpdatePushAlerts saves a subscription's alerts and policy.
func (q Q) UpdatePushAlerts(ctx context.Context, p *model.PushSubscription) error {
	alerts, err := json.Marshal(p.Alerts)
	if err != nil {
		return err
	}
	p.UpdatedAt = time.Now().UTC()
	res, err := q.db.ExecContext(ctx, `UPDATE web_push_subscriptions SET alerts = $1, policy = $2, updated_at = $3 WHERE id = $4`,
		string(alerts), p.Policy, p.UpdatedAt, p.ID)
	if err != nil {
		return fmt.Errorf("store: update push subscription %d: %w", p.ID, err)
	}
	return mustAffect(res, fmt.Sprintf("update push subscription %d", p.ID))
}

// PushSubscriptionByToken loads the subscription of an access token.
func (q Q) PushSubscriptionByToken(ctx context.Context, tokenID int64) (*model.PushSubscription, error) {
	p, err := scanPush(q.db.QueryRowContext(ctx, `SELECT `+pushColumns+` FROM web_push_subscriptions w WHERE w.token_id = $1`, tokenID))
	return p, notFound(err, "push subscription of token")
}

// LivePushSubscription loads a subscription whose token may still be used: a revoked or
// expired token's subscription receives nothing more.
func (q Q) LivePushSubscription(ctx context.Context, id int64, now time.Time) (*model.PushSubscription, error) {
	p, err := scanPush(q.db.QueryRowContext(ctx, `SELECT `+pushColumns+` FROM web_push_subscriptions w
		JOIN tokens t ON t.id = w.token_id
		WHERE w.id = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`, id, now))
	return p, notFound(err, fmt.Sprintf("push subscription %d", id))
}

// AccountPushSubscriptions lists the live subscriptions of the member behind accountID.
func (q Q) AccountPushSubscriptions(ctx context.Context, accountID int64, now time.Time) ([]*model.PushSubscription, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+pushColumns+` FROM web_push_subscriptions w
		JOIN users u ON u.id = w.user_id JOIN tokens t ON t.id = w.token_id
		WHERE u.account_id = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) ORDER BY w.id`, accountID, now)
	if err != nil {
		return nil, fmt.Errorf("store: push subscriptions of %d: %w", accountID, err)
	}
	defer rows.Close()
	var out []*model.PushSubscription
	for rows.Next() {
		p, err := scanPush(rows)
		if err != nil {
			return nil, fmt.Errorf("store: push subscriptions of %d: %w", accountID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeletePushSubscription removes a subscription by id (the push service said it is gone).
func (q Q) DeletePushSubscription(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM web_push_subscriptions WHERE id = $1`, id)
	return wrap(err, "delete push subscription %d", id)
}

// DeleteTokenPushSubscription removes a token's subscription, reporting ErrNotFound when none.
func (q Q) DeleteTokenPushSubscription(ctx context.Context, tokenID int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM web_push_subscriptions WHERE token_id = $1`, tokenID)
	if err != nil {
		return fmt.Errorf("store: delete push subscription: %w", err)
	}
	return mustAffect(res, "delete push subscription")
}

// ServerKey reads a server-wide secret by name.
func (q Q) ServerKey(ctx context.Context, name string) (string, error) {
	var v string
	err := q.db.QueryRowContext(ctx, `SELECT value FROM server_keys WHERE name = $1`, name).Scan(&v)
	return v, notFound(err, "server key "+name)
}

// InsertServerKey stores a secret unless one of that name exists: when two processes
// generate one at once, the first write wins and both then read it.
func (q Q) InsertServerKey(ctx context.Context, name, value string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO server_keys (name, value, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO NOTHING`, name, value, time.Now().UTC())
	return wrap(err, "insert server key %s", name)
}
