package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// RemoteCounts are the totals a remote actor's collections announce; nil leaves ours.
type RemoteCounts struct {
	Statuses, Followers, Following *int64
}

// UpdateRemoteAccount saves what a remote actor document says about its account. The
// username, domain and uri are the account's identity and never change here.
func (q Q) UpdateRemoteAccount(ctx context.Context, a *model.Account, c RemoteCounts) error {
	fields, err := json.Marshal(nonNilFields(a.Fields))
	if err != nil {
		return err
	}
	a.UpdatedAt = time.Now().UTC()
	_, err = q.db.ExecContext(ctx, `UPDATE accounts SET display_name = $1, note = $2, fields = $3, locked = $4,
		bot = $5, discoverable = $6, url = $7, avatar_remote_url = $8, header_remote_url = $9,
		statuses_count = COALESCE($10, statuses_count), followers_count = COALESCE($11, followers_count),
		following_count = COALESCE($12, following_count), updated_at = $13 WHERE id = $14 AND domain <> ''`,
		a.DisplayName, a.Note, string(fields), a.Locked, a.Bot, a.Discoverable, a.URL, a.AvatarRemoteURL,
		a.HeaderRemoteURL, c.Statuses, c.Followers, c.Following, a.UpdatedAt, a.ID)
	return wrap(err, "update remote account %d", a.ID)
}

// SetRemoteCounts stores announced totals on a freshly inserted remote account.
func (q Q) SetRemoteCounts(ctx context.Context, accountID int64, c RemoteCounts) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET statuses_count = COALESCE($1, statuses_count),
		followers_count = COALESCE($2, followers_count), following_count = COALESCE($3, following_count)
		WHERE id = $4 AND domain <> ''`, c.Statuses, c.Followers, c.Following, accountID)
	return wrap(err, "set remote counts %d", accountID)
}

// FollowByURI finds a follow or follow request (table) by its activity id.
func (q Q) FollowByURI(ctx context.Context, table, uri string) (*model.Follow, error) {
	f, err := scanFollow(q.db.QueryRowContext(ctx, `SELECT `+followColumns+` FROM `+table+` WHERE uri = $1`, uri))
	return f, notFound(err, table+" "+uri)
}

// SetFollowURI records the activity id of a follow or request, for its Undo and Accept.
func (q Q) SetFollowURI(ctx context.Context, table string, id int64, uri string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE `+table+` SET uri = $1 WHERE id = $2`, uri, id)
	return wrap(err, "set %s uri", table)
}

// StatusIDsBy lists the ids of an account's statuses and boosts, oldest first, for
// removing a deleted actor's content.
func (q Q) StatusIDsBy(ctx context.Context, accountID int64, limit int) ([]int64, error) {
	set, err := q.idSet(ctx, "statuses by", `SELECT id FROM statuses WHERE account_id = $1 ORDER BY id LIMIT $2`, accountID, limit)
	return sortedIDs(set), err
}

// ReblogsOf lists the boosts of a status.
func (q Q) ReblogsOf(ctx context.Context, statusID int64) ([]*model.Status, error) {
	return q.statuses(ctx, "reblogs of", ` WHERE s.reblog_of_id = $1`, statusID)
}

// FollowingIDs lists the accounts accountID follows or asked to follow.
func (q Q) FollowingIDs(ctx context.Context, accountID int64) ([]int64, error) {
	set, err := q.idSet(ctx, "following ids", `SELECT target_account_id FROM follows WHERE account_id = $1
		UNION SELECT target_account_id FROM follow_requests WHERE account_id = $1`, accountID)
	return sortedIDs(set), err
}
