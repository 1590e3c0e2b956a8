package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// listable is the condition for account a to be shown to others in discovery: it opted
// in, is not suspended, and, when local, has a confirmed, approved, enabled login.
const listable = `a.discoverable AND a.suspended_at IS NULL AND (a.domain <> '' OR EXISTS (SELECT 1 FROM users u
	WHERE u.account_id = a.id AND u.approved AND NOT u.disabled AND u.confirmed_at IS NOT NULL))`

// suggestable adds, for viewer $1: not the viewer, not already followed or requested, not dismissed.
const suggestable = listable + ` AND a.id <> $1
	AND NOT EXISTS (SELECT 1 FROM follows sf WHERE sf.account_id = $1 AND sf.target_account_id = a.id)
	AND NOT EXISTS (SELECT 1 FROM follow_requests sr WHERE sr.account_id = $1 AND sr.target_account_id = a.id)
	AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals sd WHERE sd.account_id = $1 AND sd.target_account_id = a.id)`

// FriendsOfFriends lists accounts followed by those viewer follows, most shared first.
func (q Q) FriendsOfFriends(ctx context.Context, viewer int64, limit int) ([]*model.Account, error) {
	return q.accounts(ctx, "friends of friends", `JOIN (SELECT f2.target_account_id AS aid, COUNT(*) AS shared
		FROM follows f1 JOIN follows f2 ON f2.account_id = f1.target_account_id WHERE f1.account_id = $1
		GROUP BY f2.target_account_id) fof ON fof.aid = a.id
		WHERE `+suggestable+` ORDER BY fof.shared DESC, a.followers_count DESC, a.id DESC LIMIT $2`, viewer, limit)
}

// MostFollowedActive lists local accounts that posted after since, most followed first.
func (q Q) MostFollowedActive(ctx context.Context, viewer int64, since time.Time, limit int) ([]*model.Account, error) {
	return q.accounts(ctx, "most followed", `WHERE a.domain = '' AND a.last_status_at > $2 AND `+suggestable+`
		ORDER BY a.followers_count DESC, a.last_status_at DESC LIMIT $3`, viewer, since, limit)
}

// DismissSuggestion keeps targetID out of viewer's suggestions from now on.
func (q Q) DismissSuggestion(ctx context.Context, viewer, targetID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO suggestion_dismissals (account_id, target_account_id, created_at)
		VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, viewer, targetID, time.Now().UTC())
	return wrap(err, "dismiss suggestion %d", targetID)
}

// DirectoryOrder is how the profile directory sorts.
type DirectoryOrder string

// The directory's orders, as Mastodon names them.
const (
	DirectoryActive DirectoryOrder = "active" // most recently posted first
	DirectoryNew    DirectoryOrder = "new"    // most recently created first
)

// Directory lists the accounts shown in the profile directory.
func (q Q) Directory(ctx context.Context, order DirectoryOrder, localOnly bool, limit, offset int) ([]*model.Account, error) {
	where := `WHERE ` + listable
	if localOnly {
		where += ` AND a.domain = ''`
	}
	sort := ` ORDER BY a.id DESC`
	if order == DirectoryActive {
		sort = ` ORDER BY a.last_status_at DESC NULLS LAST, a.id DESC`
	}
	return q.accounts(ctx, "directory", where+sort+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, offset))
}
