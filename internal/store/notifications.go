package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const notificationColumns = `n.id, n.account_id, n.from_account_id, n.type, n.status_id, n.created_at, n.group_key, n.filtered`

func scanNotification(row scanner) (*model.Notification, error) {
	var n model.Notification
	err := row.Scan(&n.ID, &n.AccountID, &n.FromAccountID, &n.Type, &n.StatusID, &n.CreatedAt, &n.GroupKey, &n.Filtered)
	return &n, err
}

// InsertNotification stores a notification.
func (q Q) InsertNotification(ctx context.Context, n *model.Notification) error {
	if n.ID == 0 {
		n.ID = q.NewID()
	}
	n.CreatedAt = time.Now().UTC()
	if n.GroupKey == "" {
		n.GroupKey = fmt.Sprintf("ungrouped-%d", n.ID)
	}
	_, err := q.db.ExecContext(ctx, `INSERT INTO notifications (id, account_id, from_account_id, type, status_id, created_at, group_key, filtered)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, n.ID, n.AccountID, n.FromAccountID, n.Type, n.StatusID, n.CreatedAt, n.GroupKey, n.Filtered)
	return wrap(err, "insert notification")
}

// DeleteNotificationsFor removes the notifications an undone action caused (an
// unfavourite, an unfollow): same recipient, sender, type and status.
func (q Q) DeleteNotificationsFor(ctx context.Context, accountID, fromID int64, typ string, statusID *int64) error {
	var b builder
	b.where("account_id = ?", accountID)
	b.where("from_account_id = ?", fromID)
	b.where("type = ?", typ)
	if statusID != nil {
		b.where("status_id = ?", *statusID)
	}
	_, err := q.db.ExecContext(ctx, `DELETE FROM notifications`+b.clause(), b.args...)
	return wrap(err, "delete %s notifications", typ)
}

// NotificationFilter narrows a notification list as Mastodon's parameters do.
type NotificationFilter struct {
	Types, ExcludeTypes []string
	FromAccountID       int64
	IncludeFiltered     bool // also list notifications held back by the policy
}

// Notifications lists an account's notifications, newest first.
func (q Q) Notifications(ctx context.Context, accountID int64, f NotificationFilter, p Page) ([]*model.Notification, error) {
	var b builder
	b.notifications(accountID, f)
	tail := b.page("n.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+notificationColumns+` FROM notifications n`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: notifications: %w", err)
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

// notifications adds the conditions of f on notifications aliased n.
func (b *builder) notifications(accountID int64, f NotificationFilter) {
	b.where("n.account_id = ?", accountID)
	if len(f.Types) > 0 {
		b.where("n.type IN ("+questionMarks(len(f.Types))+")", stringArgs(f.Types)...)
	}
	if len(f.ExcludeTypes) > 0 {
		b.where("n.type NOT IN ("+questionMarks(len(f.ExcludeTypes))+")", stringArgs(f.ExcludeTypes)...)
	}
	if f.FromAccountID != 0 {
		b.where("n.from_account_id = ?", f.FromAccountID)
	}
	if !f.IncludeFiltered {
		b.where("n.filtered = ?", false)
	}
	b.screenNotificationsFor(accountID)
}

// NotificationByID loads one of accountID's notifications; others' are not found.
func (q Q) NotificationByID(ctx context.Context, accountID, id int64) (*model.Notification, error) {
	b := builder{args: []any{id, accountID}}
	b.where("n.id = $1 AND n.account_id = $2")
	b.screenNotificationsFor(accountID)
	n, err := scanNotification(q.db.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications n`+b.clause(), b.args...))
	return n, notFound(err, fmt.Sprintf("notification %d", id))
}

// DismissNotification deletes one of accountID's notifications.
func (q Q) DismissNotification(ctx context.Context, accountID, id int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE id = $1 AND account_id = $2`, id, accountID)
	if err != nil {
		return fmt.Errorf("store: dismiss notification: %w", err)
	}
	return mustAffect(res, fmt.Sprintf("dismiss notification %d", id))
}

// ClearNotifications deletes all of accountID's notifications.
func (q Q) ClearNotifications(ctx context.Context, accountID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1`, accountID)
	return wrap(err, "clear notifications")
}

func questionMarks(n int) string {
	s := "?"
	for i := 1; i < n; i++ {
		s += ", ?"
	}
	return s
}

func stringArgs(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}
