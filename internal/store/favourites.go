package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// Marks are the per-account status lists: favourites and bookmarks share one shape.
const (
	Favourites = "favourites"
	Bookmarks  = "bookmarks"
)

// AddMark records that accountID favourited or bookmarked statusID. It reports whether
// the mark is new; adding one twice is not an error, as in Mastodon.
func (q Q) AddMark(ctx context.Context, table string, accountID, statusID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `INSERT INTO `+table+` (id, account_id, status_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, status_id) DO NOTHING`, q.NewID(), accountID, statusID, time.Now().UTC())
	if err != nil {
		return false, fmt.Errorf("store: add %s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	if n > 0 && table == Favourites {
		_, err = q.db.ExecContext(ctx, `UPDATE statuses SET favourites_count = favourites_count + 1 WHERE id = $1`, statusID)
	}
	return n > 0, wrap(err, "count favourite")
}

// RemoveMark undoes AddMark and reports whether there was a mark to remove.
func (q Q) RemoveMark(ctx context.Context, table string, accountID, statusID int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE account_id = $1 AND status_id = $2`, accountID, statusID)
	if err != nil {
		return false, fmt.Errorf("store: remove %s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	if n > 0 && table == Favourites {
		_, err = q.db.ExecContext(ctx, `UPDATE statuses SET favourites_count = favourites_count - 1 WHERE id = $1 AND favourites_count > 0`, statusID)
	}
	return n > 0, wrap(err, "uncount favourite")
}

// MarkedStatuses lists the statuses accountID favourited or bookmarked, newest mark first,
// with the mark ids that Mastodon uses as pagination cursors.
func (q Q) MarkedStatuses(ctx context.Context, table string, accountID int64, p Page) ([]*model.Status, []int64, error) {
	var b builder
	b.where("m.account_id = ?", accountID)
	tail := b.page("m.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT m.id, `+statusColumns+` FROM `+table+` m JOIN statuses s ON s.id = m.status_id`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: list %s: %w", table, err)
	}
	defer rows.Close()
	var out []*model.Status
	var cursors []int64
	for rows.Next() {
		var cursor int64
		s, err := scanStatus(rowPrefix{rows, &cursor})
		if err != nil {
			return nil, nil, fmt.Errorf("store: list %s: %w", table, err)
		}
		out, cursors = append(out, s), append(cursors, cursor)
	}
	return ordered(p, out), ordered(p, cursors), rows.Err()
}

// StatusActors lists who favourited (Favourites) or boosted (Reblogs) a status, paged by
// the favourite or boost id.
func (q Q) StatusActors(ctx context.Context, kind string, statusID int64, p Page) ([]*model.Account, []int64, error) {
	var b builder
	var from string
	switch kind {
	case Favourites:
		from = `favourites x JOIN accounts a ON a.id = x.account_id`
		b.where("x.status_id = ?", statusID)
	default:
		from = `statuses x JOIN accounts a ON a.id = x.account_id`
		b.where("x.reblog_of_id = ?", statusID)
	}
	b.where("a.suspended_at IS NULL")
	tail := b.page("x.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT x.id, `+accountColumns+` FROM `+from+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: status %s: %w", kind, err)
	}
	defer rows.Close()
	var out []*model.Account
	var cursors []int64
	for rows.Next() {
		var cursor int64
		a, err := scanAccount(rowPrefix{rows, &cursor})
		if err != nil {
			return nil, nil, err
		}
		out, cursors = append(out, a), append(cursors, cursor)
	}
	return ordered(p, out), ordered(p, cursors), rows.Err()
}

// Reblogs is the StatusActors kind for boosts.
const Reblogs = "reblogs"
