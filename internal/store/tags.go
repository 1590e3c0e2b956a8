package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// TagHistory counts a tag's uses and distinct authors per UTC day for the last days,
// newest first. Day bounds are id bounds, since ids are time-ordered.
func (q Q) TagHistory(ctx context.Context, tagID int64, days int) ([]model.TagDay, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	out := make([]model.TagDay, 0, days)
	for i := 0; i < days; i++ {
		day := today.AddDate(0, 0, -i)
		d := model.TagDay{Day: day}
		err := q.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT s.account_id) FROM status_tags st
			JOIN statuses s ON s.id = st.status_id WHERE st.tag_id = $1 AND st.status_id >= $2 AND st.status_id < $3`,
			tagID, id.Lower(day), id.Lower(day.AddDate(0, 0, 1))).Scan(&d.Uses, &d.Accounts)
		if err != nil {
			return nil, fmt.Errorf("store: tag history: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// CountFollowRequests counts the pending requests to follow accountID.
func (q Q) CountFollowRequests(ctx context.Context, accountID int64) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM follow_requests WHERE target_account_id = $1`, accountID).Scan(&n)
	return n, wrap(err, "count follow requests")
}

// InstanceStats are the counts the instance endpoints show.
type InstanceStats struct {
	Users, Statuses, Domains, ActiveMonth int64
}

// Stats counts local users, local statuses, known remote domains and users active in 30 days.
func (q Q) Stats(ctx context.Context) (InstanceStats, error) {
	var s InstanceStats
	err := q.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM statuses WHERE local = $1),
		(SELECT COUNT(DISTINCT domain) FROM accounts WHERE domain <> ''),
		(SELECT COUNT(*) FROM accounts WHERE domain = '' AND last_status_at > $2)`,
		true, time.Now().UTC().AddDate(0, 0, -30)).Scan(&s.Users, &s.Statuses, &s.Domains, &s.ActiveMonth)
	return s, wrap(err, "instance stats")
}
