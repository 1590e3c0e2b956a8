package store

import (
	"context"
	"fmt"
)

// Inbox is where one remote server takes an activity: an actor's shared inbox when it
// has one, its own inbox otherwise. Domain is the account's, for domain blocks.
type Inbox struct {
	Domain string
	URL    string
}

// deliveryInboxSQL selects the distinct delivery inboxes of the remote, unsuspended
// accounts whose ids the condition (on a) admits.
const deliveryInboxSQL = `SELECT DISTINCT a.domain, CASE WHEN r.shared_inbox_url <> '' THEN r.shared_inbox_url ELSE r.inbox_url END
	FROM accounts a JOIN actors r ON r.account_id = a.id
	WHERE a.domain <> '' AND a.suspended_at IS NULL AND (r.shared_inbox_url <> '' OR r.inbox_url <> '') AND `

func (q Q) inboxes(ctx context.Context, what, cond string, args ...any) ([]Inbox, error) {
	rows, err := q.db.QueryContext(ctx, deliveryInboxSQL+cond+` ORDER BY 2`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Inbox
	for rows.Next() {
		var in Inbox
		if err := rows.Scan(&in.Domain, &in.URL); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, in)
	}
	return out, wrap(rows.Err(), "%s", what)
}

// RemoteFollowerInboxes lists the delivery inboxes of accountID's remote followers, one
// per shared inbox: a server with a hundred followers gets one request.
func (q Q) RemoteFollowerInboxes(ctx context.Context, accountID int64) ([]Inbox, error) {
	return q.inboxes(ctx, "remote follower inboxes",
		`a.id IN (SELECT account_id FROM follows WHERE target_account_id = $1)`, accountID)
}

// RemoteInboxesOf lists the delivery inboxes of the remote accounts among ids; local
// accounts and accounts without a known inbox are left out.
func (q Q) RemoteInboxesOf(ctx context.Context, ids []int64) ([]Inbox, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return q.inboxes(ctx, "remote inboxes of accounts", `a.id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
}

// RemoteRebloggerInboxes lists the delivery inboxes of the remote accounts that boosted
// statusID: they showed it to their followers and must hear of its edits and deletion.
func (q Q) RemoteRebloggerInboxes(ctx context.Context, statusID int64) ([]Inbox, error) {
	return q.inboxes(ctx, "remote reblogger inboxes",
		`a.id IN (SELECT account_id FROM statuses WHERE reblog_of_id = $1)`, statusID)
}

// RowIDBetween is the id of the row of a per-pair table (favourites by account and
// status, blocks by account and target): outbound activities are named after it.
func (q Q) RowIDBetween(ctx context.Context, table string, accountID, otherID int64) (int64, error) {
	column := "target_account_id"
	if table == Favourites {
		column = "status_id"
	}
	var id int64
	err := q.db.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE account_id = $1 AND `+column+` = $2`, accountID, otherID).Scan(&id)
	return id, notFound(err, fmt.Sprintf("%s %d → %d", table, accountID, otherID))
}
