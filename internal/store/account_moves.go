package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SetAccountMovedTo records that account id moved to target (Move).
func (q Q) SetAccountMovedTo(ctx context.Context, id, targetID int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE accounts SET moved_to_account_id = $1, updated_at = $2 WHERE id = $3`,
		targetID, time.Now().UTC(), id)
	if err != nil {
		return fmt.Errorf("store: set moved_to of account %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("set moved_to of account %d", id))
}

// SetActorAliases replaces a local actor's alsoKnownAs (the accounts it moved from).
// A local account without an actor row yet (no key made) gets one; its key is made
// on first need as always.
func (q Q) SetActorAliases(ctx context.Context, accountID int64, aliases []string) error {
	if aliases == nil {
		aliases = []string{}
	}
	raw, err := json.Marshal(aliases)
	if err != nil {
		return fmt.Errorf("store: encode aliases of %d: %w", accountID, err)
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO actors (account_id, also_known_as, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (account_id) DO UPDATE SET also_known_as = excluded.also_known_as, updated_at = excluded.updated_at`,
		accountID, string(raw), time.Now().UTC())
	return wrap(err, "set aliases of account %d", accountID)
}

// SetActorMovedTo records the actor id a local actor's document names as movedTo.
func (q Q) SetActorMovedTo(ctx context.Context, accountID int64, uri string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO actors (account_id, moved_to_uri, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (account_id) DO UPDATE SET moved_to_uri = excluded.moved_to_uri, updated_at = excluded.updated_at`,
		accountID, uri, time.Now().UTC())
	return wrap(err, "set movedTo of account %d", accountID)
}
