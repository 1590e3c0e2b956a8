package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// Follow tables: "follows" holds accepted follows, "follow_requests" pending ones.
const (
	Follows        = "follows"
	FollowRequests = "follow_requests"
)

const followColumns = `id, account_id, target_account_id, show_reblogs, notify, languages, uri, created_at`

func scanFollow(row scanner) (*model.Follow, error) {
	var f model.Follow
	var langs *string
	err := row.Scan(&f.ID, &f.AccountID, &f.TargetAccountID, &f.ShowReblogs, &f.Notify, &langs, &f.URI, &f.CreatedAt)
	if langs != nil && *langs != "" {
		f.Languages = strings.Split(*langs, ",")
	}
	return &f, err
}

func languagesColumn(l []string) *string {
	if len(l) == 0 {
		return nil
	}
	s := strings.Join(l, ",")
	return &s
}

// InsertFollow stores a follow or follow request (table is Follows or FollowRequests).
func (q Q) InsertFollow(ctx context.Context, table string, f *model.Follow) error {
	if f.ID == 0 {
		f.ID = q.NewID()
	}
	f.CreatedAt = time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO `+table+` (id, account_id, target_account_id, show_reblogs, notify, languages, uri, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, f.ID, f.AccountID, f.TargetAccountID, f.ShowReblogs, f.Notify,
		languagesColumn(f.Languages), f.URI, f.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: insert %s: %w", table, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: insert %s: %w", table, err)
	}
	if table == Follows {
		return q.countFollow(ctx, f, 1)
	}
	return nil
}

// UpdateFollowOptions changes reblogs/notify/languages of an existing follow or request.
func (q Q) UpdateFollowOptions(ctx context.Context, table string, f *model.Follow) error {
	_, err := q.db.ExecContext(ctx, `UPDATE `+table+` SET show_reblogs = $1, notify = $2, languages = $3 WHERE id = $4`,
		f.ShowReblogs, f.Notify, languagesColumn(f.Languages), f.ID)
	return wrap(err, "update %s %d", table, f.ID)
}

func (q Q) countFollow(ctx context.Context, f *model.Follow, delta int) error {
	return q.bump(ctx, func(c *counterBumps) { c.addFollow(f, int64(delta)) })
}

// FollowBetween loads the follow (or request) from account to target.
func (q Q) FollowBetween(ctx context.Context, table string, accountID, targetID int64) (*model.Follow, error) {
	f, err := scanFollow(q.db.QueryRowContext(ctx, `SELECT `+followColumns+` FROM `+table+`
		WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID))
	return f, notFound(err, table)
}

// DeleteFollow removes a follow or request, returning ErrNotFound when absent.
func (q Q) DeleteFollow(ctx context.Context, table string, accountID, targetID int64) error {
	f, err := q.FollowBetween(ctx, table, accountID, targetID)
	if err != nil {
		return err
	}
	if _, err := q.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1`, f.ID); err != nil {
		return fmt.Errorf("store: delete %s: %w", table, err)
	}
	if table == Follows {
		if err := q.unendorseUnfollowed(ctx, f); err != nil {
			return err
		}
		return q.countFollow(ctx, f, -1)
	}
	return nil
}

// Follows lists accounts related by the table: followers of (inbound=true) or followed
// by accountID, paged by the follow row id as Mastodon does.
func (q Q) FollowAccounts(ctx context.Context, table string, accountID int64, inbound bool, p Page) ([]*model.Account, []int64, error) {
	self, other := "account_id", "target_account_id"
	if inbound {
		self, other = other, self
	}
	var b builder
	b.where("f."+self+" = ?", accountID)
	b.where("a.suspended_at IS NULL")
	tail := b.page("f.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT f.id, `+accountColumns+` FROM `+table+` f JOIN accounts a ON a.id = f.`+other+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: list %s: %w", table, err)
	}
	defer rows.Close()
	var accounts []*model.Account
	var cursors []int64
	for rows.Next() {
		var cursor int64
		a, err := scanAccount(rowPrefix{rows, &cursor})
		if err != nil {
			return nil, nil, fmt.Errorf("store: list %s: %w", table, err)
		}
		accounts, cursors = append(accounts, a), append(cursors, cursor)
	}
	return ordered(p, accounts), ordered(p, cursors), rows.Err()
}

// rowPrefix scans one extra leading column into cursor before the entity's columns.
type rowPrefix struct {
	row    scanner
	cursor *int64
}

func (r rowPrefix) Scan(dest ...any) error {
	return r.row.Scan(append([]any{r.cursor}, dest...)...)
}

// FollowingSet returns which of targets accountID follows (or has requested, by table).
func (q Q) FollowingSet(ctx context.Context, table string, accountID int64, targets []int64) (map[int64]*model.Follow, error) {
	out := map[int64]*model.Follow{}
	if len(targets) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+followColumns+` FROM `+table+` WHERE account_id = $1 AND target_account_id IN (`+
		placeholders(2, len(targets))+`)`, append([]any{accountID}, int64Args(targets)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: %s set: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFollow(rows)
		if err != nil {
			return nil, err
		}
		out[f.TargetAccountID] = f
	}
	return out, rows.Err()
}

// FollowedBySet returns which of accounts follow (or requested, by table) targetID.
func (q Q) FollowedBySet(ctx context.Context, table string, targetID int64, accounts []int64) (map[int64]bool, error) {
	if len(accounts) == 0 {
		return map[int64]bool{}, nil
	}
	return q.idSet(ctx, table+" by", `SELECT account_id FROM `+table+` WHERE target_account_id = $1 AND account_id IN (`+
		placeholders(2, len(accounts))+`)`, append([]any{targetID}, int64Args(accounts)...)...)
}

// LocalFollowerIDs lists the local accounts following accountID, in ascending order:
// writers that touch several feeds lock them in this order, so they cannot deadlock.
func (q Q) LocalFollowerIDs(ctx context.Context, accountID int64) ([]int64, error) {
	set, err := q.idSet(ctx, "local followers", `SELECT f.account_id FROM follows f JOIN accounts a ON a.id = f.account_id
		WHERE f.target_account_id = $1 AND a.domain = ''`, accountID)
	return sortedIDs(set), err
}

func sortedIDs(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// NotifyingFollowerIDs lists local followers who asked to be notified of accountID's posts.
func (q Q) NotifyingFollowerIDs(ctx context.Context, accountID int64) ([]int64, error) {
	set, err := q.idSet(ctx, "notifying followers", `SELECT f.account_id FROM follows f JOIN accounts a ON a.id = f.account_id
		WHERE f.target_account_id = $1 AND f.notify = $2 AND a.domain = ''`, accountID, true)
	return sortedIDs(set), err
}

// FollowersHidingReblogs returns the followers of accountID who turned its boosts off.
func (q Q) FollowersHidingReblogs(ctx context.Context, accountID int64) (map[int64]bool, error) {
	return q.idSet(ctx, "followers hiding reblogs", `SELECT account_id FROM follows WHERE target_account_id = $1 AND show_reblogs = $2`, accountID, false)
}
