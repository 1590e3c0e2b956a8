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

// OversizedHomeFeeds lists accounts whose home feed holds more than HomeFeedCap entries
// (fan-out trims a feed only now and then, see TrimHomeFeed).
func (q Q) OversizedHomeFeeds(ctx context.Context, limit int) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT account_id FROM home_feeds GROUP BY account_id
		HAVING COUNT(*) > $1 ORDER BY account_id LIMIT $2`, HomeFeedCap, limit)
	if err != nil {
		return nil, fmt.Errorf("store: oversized feeds: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: oversized feeds: %w", err)
		}
		out = append(out, id)
	}
	return out, wrap(rows.Err(), "oversized feeds")
}
