package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// groupSampleSize is how many of a group's most recent senders are shown, as Mastodon.
const groupSampleSize = 8

// LatestGroupKey is the group key of accountID's newest notification of typ (about
// statusID, when given) newer than afterID; ErrNotFound when there is none.
func (q Q) LatestGroupKey(ctx context.Context, accountID int64, typ string, statusID *int64, afterID int64) (string, error) {
	var b builder
	b.where("n.account_id = ?", accountID)
	b.where("n.type = ?", typ)
	b.where("n.id > ?", afterID)
	b.where("n.filtered = ?", false)
	if statusID != nil {
		b.where("n.status_id = ?", *statusID)
	}
	var key string
	err := q.db.QueryRowContext(ctx, `SELECT n.group_key FROM notifications n`+b.clause()+` ORDER BY n.id DESC LIMIT 1`, b.args...).Scan(&key)
	return key, notFound(err, "latest group key")
}

// CountNotifications counts accountID's notifications matching f and newer than afterID,
// stopping at limit.
func (q Q) CountNotifications(ctx context.Context, accountID int64, f NotificationFilter, afterID int64, limit int) (int, error) {
	var b builder
	b.notifications(accountID, f)
	b.where("n.id > ?", afterID)
	var n int
	err := q.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM notifications n%s LIMIT %d) x`, b.clause(), limit), b.args...).Scan(&n)
	return n, wrap(err, "count notifications")
}

// CountNotificationGroups counts the distinct groups among accountID's notifications
// matching f and newer than afterID, stopping at limit. Only the types in grouped are
// grouped; every other notification counts alone.
func (q Q) CountNotificationGroups(ctx context.Context, accountID int64, f NotificationFilter, grouped []string, afterID int64, limit int) (int, error) {
	var b builder
	key := `'ungrouped-' || CAST(n.id AS TEXT)`
	if len(grouped) > 0 {
		b.args = stringArgs(grouped)
		key = fmt.Sprintf(`CASE WHEN n.type IN (%s) THEN n.group_key ELSE %s END`, placeholders(1, len(grouped)), key)
	}
	b.notifications(accountID, f)
	b.where("n.id > ?", afterID)
	var n int
	err := q.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT DISTINCT %s FROM notifications n%s LIMIT %d) x`, key, b.clause(), limit), b.args...).Scan(&n)
	return n, wrap(err, "count notification groups")
}

// NotificationGroupStats summarises accountID's groups with the given keys, counting
// notifications up to hi (0: no bound) and reporting the oldest one from lo upwards,
// as a page of groups spanning lo..hi shows them.
func (q Q) NotificationGroupStats(ctx context.Context, accountID int64, keys []string, lo, hi int64) (map[string]*model.NotificationGroup, error) {
	out := map[string]*model.NotificationGroup{}
	if len(keys) == 0 {
		return out, nil
	}
	if hi == 0 {
		hi = 1<<63 - 1
	}
	args := append([]any{accountID, hi, lo}, stringArgs(keys)...)
	rows, err := q.db.QueryContext(ctx, `SELECT n.group_key, n.type, n.status_id, COUNT(*), MAX(n.id), MIN(CASE WHEN n.id >= $3 THEN n.id END)
		FROM notifications n WHERE n.account_id = $1 AND n.id <= $2 AND n.group_key IN (`+placeholders(4, len(keys))+`)
		GROUP BY n.group_key, n.type, n.status_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: notification groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g model.NotificationGroup
		var oldest *int64
		if err := rows.Scan(&g.Key, &g.Type, &g.StatusID, &g.Count, &g.MostRecentID, &oldest); err != nil {
			return nil, fmt.Errorf("store: notification groups: %w", err)
		}
		if oldest != nil {
			g.PageMinID = *oldest
		}
		g.PageMaxID = g.MostRecentID
		out[g.Key] = &g
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, q.groupSamples(ctx, accountID, hi, out)
}

// groupSamples fills each group's most recent senders and the time of its newest
// notification up to hi.
func (q Q) groupSamples(ctx context.Context, accountID, hi int64, groups map[string]*model.NotificationGroup) error {
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	args := append([]any{accountID, hi, groupSampleSize}, stringArgs(keys)...)
	rows, err := q.db.QueryContext(ctx, `SELECT x.group_key, x.from_account_id, x.id FROM (
		SELECT n.group_key, n.from_account_id, n.id, ROW_NUMBER() OVER (PARTITION BY n.group_key ORDER BY n.id DESC) AS rn
		FROM notifications n WHERE n.account_id = $1 AND n.id <= $2 AND n.group_key IN (`+placeholders(4, len(keys))+`)) x
		WHERE x.rn <= $3 ORDER BY x.group_key, x.id DESC`, args...)
	if err != nil {
		return fmt.Errorf("store: notification group samples: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var from, nid int64
		if err := rows.Scan(&key, &from, &nid); err != nil {
			return fmt.Errorf("store: notification group samples: %w", err)
		}
		g := groups[key]
		if !containsID(g.SampleAccountIDs, from) {
			g.SampleAccountIDs = append(g.SampleAccountIDs, from)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return q.groupLatestTimes(ctx, groups)
}

// groupLatestTimes reads the creation time of each group's most recent notification.
func (q Q) groupLatestTimes(ctx context.Context, groups map[string]*model.NotificationGroup) error {
	byID := map[int64]*model.NotificationGroup{}
	ids := make([]int64, 0, len(groups))
	for _, g := range groups {
		byID[g.MostRecentID] = g
		ids = append(ids, g.MostRecentID)
	}
	rows, err := q.db.QueryContext(ctx, `SELECT id, created_at FROM notifications WHERE id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return fmt.Errorf("store: notification group times: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var nid int64
		var at time.Time
		if err := rows.Scan(&nid, &at); err != nil {
			return fmt.Errorf("store: notification group times: %w", err)
		}
		byID[nid].LatestPageAt = at
	}
	return rows.Err()
}

func containsID(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// groupCondition matches the notifications of a group key: ungrouped keys name one
// notification by id, whatever key it was stored with.
func (b *builder) groupCondition(alias, key string) bool {
	if raw, ok := strings.CutPrefix(key, "ungrouped-"); ok {
		var nid int64
		if _, err := fmt.Sscan(raw, &nid); err != nil || nid <= 0 {
			return false
		}
		b.where(alias+"id = ?", nid)
		return true
	}
	b.where(alias+"group_key = ?", key)
	return true
}

// NotificationsInGroup lists accountID's notifications of a group, newest first,
// leaving out those the policy filtered.
func (q Q) NotificationsInGroup(ctx context.Context, accountID int64, key string, p Page) ([]*model.Notification, error) {
	var b builder
	b.where("n.account_id = ?", accountID)
	if !b.groupCondition("n.", key) {
		return nil, nil
	}
	b.where("n.filtered = ?", false)
	tail := b.page("n.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications n`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: notifications in group: %w", err)
	}
	defer rows.Close()
	var out []*model.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return ordered(p, out), rows.Err()
}

// DismissNotificationGroup deletes accountID's notifications of a group.
func (q Q) DismissNotificationGroup(ctx context.Context, accountID int64, key string) error {
	var b builder
	b.where("account_id = ?", accountID)
	if !b.groupCondition("", key) {
		return fmt.Errorf("store: dismiss group %q: %w", key, ErrNotFound)
	}
	res, err := q.db.ExecContext(ctx, `DELETE FROM notifications`+b.clause(), b.args...)
	if err != nil {
		return fmt.Errorf("store: dismiss notification group: %w", err)
	}
	return mustAffect(res, "dismiss notification group")
}
