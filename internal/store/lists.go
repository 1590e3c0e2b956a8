package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const listColumns = `l.id, l.account_id, l.title, l.replies_policy, l.exclusive, l.created_at`

func scanList(row scanner) (*model.List, error) {
	var l model.List
	err := row.Scan(&l.ID, &l.AccountID, &l.Title, &l.RepliesPolicy, &l.Exclusive, &l.CreatedAt)
	return &l, err
}

func (q Q) lists(ctx context.Context, what, tail string, args ...any) ([]*model.List, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+listColumns+` FROM lists l`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []*model.List{}
	for rows.Next() {
		l, err := scanList(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// InsertList stores a new list, assigning its id.
func (q Q) InsertList(ctx context.Context, l *model.List) error {
	l.ID, l.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO lists (id, account_id, title, replies_policy, exclusive, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, l.ID, l.AccountID, l.Title, l.RepliesPolicy, l.Exclusive, l.CreatedAt)
	return wrap(err, "insert list")
}

// UpdateList saves a list's title, replies policy and exclusivity.
func (q Q) UpdateList(ctx context.Context, l *model.List) error {
	_, err := q.db.ExecContext(ctx, `UPDATE lists SET title = $1, replies_policy = $2, exclusive = $3 WHERE id = $4`,
		l.Title, l.RepliesPolicy, l.Exclusive, l.ID)
	return wrap(err, "update list %d", l.ID)
}

// DeleteList removes one of owner's lists (its memberships follow by cascade).
func (q Q) DeleteList(ctx context.Context, owner, listID int64) error {
	res, err := q.db.ExecContext(ctx, `DELETE FROM lists WHERE id = $1 AND account_id = $2`, listID, owner)
	if err != nil {
		return fmt.Errorf("store: delete list %d: %w", listID, err)
	}
	return mustAffect(res, fmt.Sprintf("delete list %d", listID))
}

// OwnedList loads a list that belongs to owner; anyone else's is not found.
func (q Q) OwnedList(ctx context.Context, owner, listID int64) (*model.List, error) {
	l, err := scanList(q.db.QueryRowContext(ctx, `SELECT `+listColumns+` FROM lists l WHERE l.id = $1 AND l.account_id = $2`, listID, owner))
	return l, notFound(err, fmt.Sprintf("list %d", listID))
}

// ListsOf lists owner's lists, oldest first.
func (q Q) ListsOf(ctx context.Context, owner int64) ([]*model.List, error) {
	return q.lists(ctx, "lists", ` WHERE l.account_id = $1 ORDER BY l.id`, owner)
}

// CountLists counts owner's lists.
func (q Q) CountLists(ctx context.Context, owner int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM lists WHERE account_id = $1`, owner).Scan(&n)
	return n, wrap(err, "count lists")
}

// ListsContaining lists owner's lists that have accountID as a member.
func (q Q) ListsContaining(ctx context.Context, owner, accountID int64) ([]*model.List, error) {
	return q.lists(ctx, "lists containing", ` JOIN list_accounts la ON la.list_id = l.id
		WHERE l.account_id = $1 AND la.account_id = $2 ORDER BY l.id`, owner, accountID)
}

// InsertListAccount makes accountID a member of listID; followID is the follow that
// allows it (nil for the owner's own account). A second insert is ErrConflict.
func (q Q) InsertListAccount(ctx context.Context, listID, accountID int64, followID *int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO list_accounts (id, list_id, account_id, follow_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, q.NewID(), listID, accountID, followID, time.Now().UTC())
	if isUniqueViolation(err) {
		return fmt.Errorf("store: list %d account %d: %w", listID, accountID, ErrConflict)
	}
	return wrap(err, "insert list account")
}

// DeleteListAccounts removes the accounts from listID; absent ones are ignored.
func (q Q) DeleteListAccounts(ctx context.Context, listID int64, accountIDs []int64) error {
	if len(accountIDs) == 0 {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `DELETE FROM list_accounts WHERE list_id = $1 AND account_id IN (`+placeholders(2, len(accountIDs))+`)`,
		append([]any{listID}, int64Args(accountIDs)...)...)
	return wrap(err, "delete list accounts")
}

// ListAccounts pages through a list's members by membership, with the cursors; a page
// with Limit 0 returns every member.
func (q Q) ListAccounts(ctx context.Context, listID int64, p Page) ([]*model.Account, []int64, error) {
	var b builder
	b.where("la.list_id = ?", listID)
	b.where("a.suspended_at IS NULL")
	tail := " ORDER BY la.id DESC"
	if p.Limit > 0 {
		tail = b.page("la.id", p)
	}
	rows, err := q.db.QueryContext(ctx, `SELECT la.id, `+accountColumns+` FROM list_accounts la JOIN accounts a ON a.id = la.account_id`+
		b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: list accounts: %w", err)
	}
	defer rows.Close()
	var accounts []*model.Account
	var cursors []int64
	for rows.Next() {
		var cursor int64
		a, err := scanAccount(rowPrefix{rows, &cursor})
		if err != nil {
			return nil, nil, fmt.Errorf("store: list accounts: %w", err)
		}
		accounts, cursors = append(accounts, a), append(cursors, cursor)
	}
	return ordered(p, accounts), ordered(p, cursors), rows.Err()
}

// ListTimeline reads a page of a list's timeline, merged at read time like the home
// timeline from the members' statuses, by the home rules (boosts as the follow shows
// them, the visibility rule) and the list's replies policy. Direct messages stay out.
func (q Q) ListTimeline(ctx context.Context, l *model.List, p Page) ([]*model.Status, error) {
	return windowedMerge(p, func(lo, hi int64, asc bool) ([]*model.Status, error) {
		return q.listMergeWindow(ctx, l, lo, hi, asc, p.Limit)
	})
}

func (q Q) listMergeWindow(ctx context.Context, l *model.List, lo, hi int64, asc bool, limit int) ([]*model.Status, error) {
	// $1 and $2 belong to the join: the list's members, with their follows' boost setting.
	b := builder{args: []any{l.ID, true}}
	join := ` JOIN (SELECT la.account_id AS aid, COALESCE(f.show_reblogs, $2) AS reblogs FROM list_accounts la
		LEFT JOIN follows f ON f.id = la.follow_id WHERE la.list_id = $1) src ON s.account_id = src.aid`
	b.where("s.id > ?", lo)
	b.where("s.id < ?", hi)
	b.where("(s.reblog_of_id IS NULL OR src.reblogs)")
	b.where("s.visibility <> 'direct'")
	b.listReplies(l)
	b.visibleTo(l.AccountID)
	b.screenFor(l.AccountID)
	dir := "DESC"
	if asc {
		dir = "ASC"
	}
	return q.statuses(ctx, "list timeline", join+b.clause()+fmt.Sprintf(" ORDER BY s.id %s LIMIT %d", dir, limit), b.args...)
}

// listReplies is the replies policy: a reply shows when it answers its own author or the
// list's owner, or, by policy, anyone the owner follows or a member of the list.
func (b *builder) listReplies(l *model.List) {
	base := `s.in_reply_to_account_id IS NULL OR s.in_reply_to_account_id IN (s.account_id, ?)`
	switch l.RepliesPolicy {
	case model.RepliesFollowed:
		b.where(`(`+base+` OR EXISTS (SELECT 1 FROM follows rf WHERE rf.account_id = ? AND rf.target_account_id = s.in_reply_to_account_id))`,
			l.AccountID, l.AccountID)
	case model.RepliesList:
		b.where(`(`+base+` OR EXISTS (SELECT 1 FROM list_accounts rl WHERE rl.list_id = ? AND rl.account_id = s.in_reply_to_account_id))`,
			l.AccountID, l.ID)
	default:
		b.where(`(`+base+`)`, l.AccountID)
	}
}

// outsideExclusiveLists keeps out of viewer's home timeline the statuses of the accounts
// viewer put in an exclusive list; the viewer's own statuses always stay.
func (b *builder) outsideExclusiveLists(viewer int64) {
	b.where(`(s.account_id = ? OR NOT EXISTS (SELECT 1 FROM list_accounts xa JOIN lists xl ON xl.id = xa.list_id
		WHERE xl.account_id = ? AND xl.exclusive = ? AND xa.account_id = s.account_id))`, viewer, viewer, true)
}
