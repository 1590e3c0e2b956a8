package store

import (
	"context"
	"fmt"
	"time"
)

// RevokedTokenGrace is how long a revoked token's row is kept before the periodic cleanup
// deletes it; a refresh presented in that window is refused as revoked, after it as unknown.
const RevokedTokenGrace = time.Hour

// CleanOAuth deletes tokens that can never be used again (revoked more than
// RevokedTokenGrace ago, or expired without a refresh secret that could renew them) and
// expired authorization codes. It returns how many tokens and codes it deleted.
func (q Q) CleanOAuth(ctx context.Context, now time.Time) (tokens, codes int64, err error) {
	now = now.UTC()
	res, err := q.db.ExecContext(ctx, `DELETE FROM tokens WHERE revoked_at < $1
		OR (refresh_hash IS NULL AND expires_at < $2)`, now.Add(-RevokedTokenGrace), now)
	if err != nil {
		return 0, 0, fmt.Errorf("store: clean tokens: %w", err)
	}
	tokens, _ = res.RowsAffected()
	res, err = q.db.ExecContext(ctx, `DELETE FROM oauth_codes WHERE expires_at < $1`, now)
	if err != nil {
		return tokens, 0, fmt.Errorf("store: clean authorization codes: %w", err)
	}
	codes, _ = res.RowsAffected()
	return tokens, codes, nil
}
