package store

import (
	"context"
	"fmt"
	"time"
)

// ReplaceLocalKeys swaps the key pair of a local account that has one, keeping its key
// id; ErrNotFound when the account has no key yet (one is made on first need).
func (q Q) ReplaceLocalKeys(ctx context.Context, accountID int64, publicPEM, privatePEM string) error {
	res, err := q.db.ExecContext(ctx, `UPDATE actors SET public_key_pem = $1, private_key_pem = $2, updated_at = $3
		WHERE account_id = $4 AND private_key_pem <> ''`, publicPEM, privatePEM, time.Now().UTC(), accountID)
	if err != nil {
		return fmt.Errorf("store: replace keys of account %d: %w", accountID, err)
	}
	return mustAffect(res, fmt.Sprintf("replace keys of account %d", accountID))
}
