package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// NotificationPolicy loads accountID's policy; ErrNotFound when it never set one.
func (q Q) NotificationPolicy(ctx context.Context, accountID int64) (*model.NotificationPolicy, error) {
	p := model.NotificationPolicy{AccountID: accountID}
	err := q.db.QueryRowContext(ctx, `SELECT for_not_following, for_not_followers, for_new_accounts, for_private_mentions,
		for_limited_accounts, updated_at FROM notification_policies WHERE account_id = $1`, accountID).
		Scan(&p.ForNotFollowing, &p.ForNotFollowers, &p.ForNewAccounts, &p.ForPrivateMentions, &p.ForLimitedAccounts, &p.UpdatedAt)
	return &p, notFound(err, "notification policy")
}

// SaveNotificationPolicy stores a policy, replacing the account's previous one.
func (q Q) SaveNotificationPolicy(ctx context.Context, p *model.NotificationPolicy) error {
	p.UpdatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO notification_policies (account_id, for_not_following, for_not_followers,
		for_new_accounts, for_private_mentions, for_limited_accounts, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (account_id) DO UPDATE SET for_not_following = excluded.for_not_following,
		for_not_followers = excluded.for_not_followers, for_new_accounts = excluded.for_new_accounts,
		for_private_mentions = excluded.for_private_mentions, for_limited_accounts = excluded.for_limited_accounts,
		updated_at = excluded.updated_at`,
		p.AccountID, p.ForNotFollowing, p.ForNotFollowers, p.ForNewAccounts, p.ForPrivateMentions, p.ForLimitedAccounts, p.UpdatedAt)
	return wrap(err, "save notification policy")
}

// NotificationPermitted reports whether accountID accepted fromID's notifications.
func (q Q) NotificationPermitted(ctx context.Context, accountID, fromID int64) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notification_permissions WHERE account_id = $1 AND from_account_id = $2`,
		accountID, fromID).Scan(&n)
	return n > 0, wrap(err, "notification permission")
}

// TouchNotificationRequest opens (or freshens) the request holding fromID's filtered
// notifications for accountID.
func (q Q) TouchNotificationRequest(ctx context.Context, accountID, fromID int64) error {
	now := time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO notification_requests (id, account_id, from_account_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) ON CONFLICT (account_id, from_account_id) DO UPDATE SET updated_at = excluded.updated_at`,
		q.NewID(), accountID, fromID, now)
	return wrap(err, "touch notification request")
}

// requestColumns reads a request with its count and latest status computed from the
// filtered notifications it holds, so undone actions are never counted.
const requestColumns = `r.id, r.account_id, r.from_account_id, r.created_at, r.updated_at,
	(SELECT COUNT(*) FROM notifications n WHERE n.account_id = r.account_id AND n.from_account_id = r.from_account_id AND n.filtered),
	(SELECT MAX(n.status_id) FROM notifications n WHERE n.account_id = r.account_id AND n.from_account_id = r.from_account_id AND n.filtered)`

func scanRequest(row scanner) (*model.NotificationRequest, error) {
	var r model.NotificationRequest
	err := row.Scan(&r.ID, &r.AccountID, &r.FromAccountID, &r.CreatedAt, &r.UpdatedAt, &r.NotificationsCount, &r.LastStatusID)
	return &r, err
}

// NotificationRequests lists accountID's pending requests, newest first.
func (q Q) NotificationRequests(ctx context.Context, accountID int64, p Page) ([]*model.NotificationRequest, error) {
	var b builder
	b.where("r.account_id = ?", accountID)
	tail := b.page("r.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+requestColumns+` FROM notification_requests r`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, fmt.Errorf("store: notification requests: %w", err)
	}
	defer rows.Close()
	var out []*model.NotificationRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: notification requests: %w", err)
		}
		out = append(out, r)
	}
	return ordered(p, out), rows.Err()
}

// NotificationRequestByID loads one of accountID's requests; others' are not found.
func (q Q) NotificationRequestByID(ctx context.Context, accountID, id int64) (*model.NotificationRequest, error) {
	r, err := scanRequest(q.db.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM notification_requests r
		WHERE r.id = $1 AND r.account_id = $2`, id, accountID))
	return r, notFound(err, fmt.Sprintf("notification request %d", id))
}

// DeleteNotificationRequest removes a request (its notifications stay as they are).
func (q Q) DeleteNotificationRequest(ctx context.Context, r *model.NotificationRequest) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM notification_requests WHERE id = $1`, r.ID)
	return wrap(err, "delete notification request")
}

// PermitNotifications lets fromID's notifications through accountID's policy from now on.
func (q Q) PermitNotifications(ctx context.Context, accountID, fromID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO notification_permissions (account_id, from_account_id, created_at)
		VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, accountID, fromID, time.Now().UTC())
	return wrap(err, "permit notifications")
}

// UnfilterNotifications releases fromID's filtered notifications into accountID's list.
func (q Q) UnfilterNotifications(ctx context.Context, accountID, fromID int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE notifications SET filtered = $1 WHERE account_id = $2 AND from_account_id = $3 AND filtered`,
		false, accountID, fromID)
	return wrap(err, "unfilter notifications")
}

// DeleteFilteredNotifications drops fromID's filtered notifications to accountID.
func (q Q) DeleteFilteredNotifications(ctx context.Context, accountID, fromID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND from_account_id = $2 AND filtered`, accountID, fromID)
	return wrap(err, "delete filtered notifications")
}

// PendingRequestSummary counts accountID's pending requests (up to capRequests) and the
// filtered notifications they hold.
func (q Q) PendingRequestSummary(ctx context.Context, accountID int64, capRequests int) (requests, notifications int64, err error) {
	err = q.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM notification_requests WHERE account_id = $1 LIMIT %d) x`, capRequests),
		accountID).Scan(&requests)
	if err != nil {
		return 0, 0, wrap(err, "count notification requests")
	}
	err = q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications n JOIN notification_requests r
		ON r.account_id = n.account_id AND r.from_account_id = n.from_account_id WHERE n.account_id = $1 AND n.filtered`, accountID).Scan(&notifications)
	return requests, notifications, wrap(err, "count filtered notifications")
}

// UnmergedAccepted reports whether any sender accountID accepted still has filtered
// notifications waiting to join the list.
func (q Q) UnmergedAccepted(ctx context.Context, accountID int64) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM notifications n JOIN notification_permissions p
		ON p.account_id = n.account_id AND p.from_account_id = n.from_account_id WHERE n.account_id = $1 AND n.filtered LIMIT 1) x`,
		accountID).Scan(&n)
	return n > 0, wrap(err, "unmerged accepted requests")
}
