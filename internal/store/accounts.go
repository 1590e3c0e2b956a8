package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

const accountColumns = `a.id, a.username, a.domain, a.display_name, a.note, a.note_source, a.fields,
	a.locked, a.bot, a.discoverable, a.uri, a.url, a.avatar_remote_url, a.header_remote_url,
	a.statuses_count, a.followers_count, a.following_count, a.last_status_at, a.suspended_at,
	a.created_at, a.updated_at, a.avatar_file_key, a.header_file_key, a.moved_to_account_id`

type scanner interface{ Scan(dest ...any) error }

func scanAccount(row scanner) (*model.Account, error) {
	var a model.Account
	var fields string
	err := row.Scan(&a.ID, &a.Username, &a.Domain, &a.DisplayName, &a.Note, &a.NoteSource, &fields,
		&a.Locked, &a.Bot, &a.Discoverable, &a.URI, &a.URL, &a.AvatarRemoteURL, &a.HeaderRemoteURL,
		&a.StatusesCount, &a.FollowersCount, &a.FollowingCount, &a.LastStatusAt, &a.SuspendedAt,
		&a.CreatedAt, &a.UpdatedAt, &a.AvatarKey, &a.HeaderKey, &a.MovedToAccountID)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
		return nil, fmt.Errorf("account %d fields: %w", a.ID, err)
	}
	return &a, nil
}

func (q Q) accounts(ctx context.Context, what, where string, args ...any) ([]*model.Account, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts a `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*model.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertAccount stores a new account, assigning its id when zero.
func (q Q) InsertAccount(ctx context.Context, a *model.Account) error {
	if a.ID == 0 {
		a.ID = q.NewID()
	}
	now := time.Now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	a.UpdatedAt = now
	fields, err := json.Marshal(nonNilFields(a.Fields))
	if err != nil {
		return err
	}
	_, err = q.db.ExecContext(ctx, `INSERT INTO accounts (id, username, domain, display_name, note, note_source,
		fields, locked, bot, discoverable, uri, url, avatar_remote_url, header_remote_url, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		a.ID, a.Username, a.Domain, a.DisplayName, a.Note, a.NoteSource, string(fields), a.Locked, a.Bot,
		a.Discoverable, a.URI, a.URL, a.AvatarRemoteURL, a.HeaderRemoteURL, a.CreatedAt, a.UpdatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: insert account %s: %w", a.Acct(), ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: insert account %s: %w", a.Acct(), err)
	}
	return nil
}

func nonNilFields(f []model.Field) []model.Field {
	if f == nil {
		return []model.Field{}
	}
	return f
}

// UpdateProfile saves the editable profile of an account.
func (q Q) UpdateProfile(ctx context.Context, a *model.Account) error {
	fields, err := json.Marshal(nonNilFields(a.Fields))
	if err != nil {
		return err
	}
	a.UpdatedAt = time.Now().UTC()
	_, err = q.db.ExecContext(ctx, `UPDATE accounts SET display_name = $1, note = $2, note_source = $3, fields = $4,
		locked = $5, bot = $6, discoverable = $7, updated_at = $8 WHERE id = $9`,
		a.DisplayName, a.Note, a.NoteSource, string(fields), a.Locked, a.Bot, a.Discoverable, a.UpdatedAt, a.ID)
	if err != nil {
		return fmt.Errorf("store: update account %d: %w", a.ID, err)
	}
	return nil
}

// AccountByID loads one account.
func (q Q) AccountByID(ctx context.Context, id int64) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a WHERE a.id = $1`, id))
	return a, notFound(err, fmt.Sprintf("account %d", id))
}

// AccountByHandle loads an account by username (case-insensitively) and domain ("" for local).
func (q Q) AccountByHandle(ctx context.Context, username, domain string) (*model.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts a
		WHERE lower(a.username) = lower($1) AND a.domain = $2`, username, strings.ToLower(domain)))
	return a, notFound(err, "account "+username+"@"+domain)
}

// AccountsByIDs loads accounts keyed by id; missing ones are absent from the map.
func (q Q) AccountsByIDs(ctx context.Context, ids []int64) (map[int64]*model.Account, error) {
	out := make(map[int64]*model.Account, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	list, err := q.accounts(ctx, "accounts by ids", `WHERE a.id IN (`+placeholders(1, len(ids))+`)`, int64Args(ids)...)
	for _, a := range list {
		out[a.ID] = a
	}
	return out, err
}

// SearchAccounts finds accounts whose handle starts with, or display name contains, query.
// Accounts the viewer follows come first, as Mastodon orders them.
func (q Q) SearchAccounts(ctx context.Context, viewerID int64, query, domain string, followingOnly bool, limit, offset int) ([]*model.Account, error) {
	where := `WHERE a.suspended_at IS NULL AND (lower(a.username) LIKE $1 ESCAPE '\' OR lower(a.display_name) LIKE $2 ESCAPE '\')`
	args := []any{escapeLike(strings.ToLower(query)) + "%", "%" + escapeLike(strings.ToLower(query)) + "%", viewerID}
	if domain != "" {
		where += ` AND a.domain = $4`
		args = append(args, strings.ToLower(domain))
	}
	if followingOnly {
		where += ` AND EXISTS (SELECT 1 FROM follows f WHERE f.account_id = $3 AND f.target_account_id = a.id)`
	}
	where += fmt.Sprintf(` ORDER BY (SELECT COUNT(*) FROM follows f WHERE f.account_id = $3 AND f.target_account_id = a.id) DESC,
		a.followers_count DESC, a.id LIMIT %d OFFSET %d`, limit, offset)
	return q.accounts(ctx, "search accounts", where, args...)
}

// ListLocalAccounts pages through local accounts by id.
func (q Q) ListLocalAccounts(ctx context.Context, afterID int64, limit int) ([]*model.Account, error) {
	return q.accounts(ctx, "list accounts", `WHERE a.domain = '' AND a.id > $1 ORDER BY a.id LIMIT $2`, afterID, limit)
}

// DeleteAccount removes an account and, by cascade, everything it owns.
func (q Q) DeleteAccount(ctx context.Context, id int64) error {
	if err := q.deleteAccountSearchRows(ctx, id); err != nil {
		return err
	}
	clearAfterCommit(q, signers)
	res, err := q.db.ExecContext(ctx, `DELETE FROM accounts WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete account %d: %w", id, err)
	}
	return mustAffect(res, fmt.Sprintf("delete account %d", id))
}

// SuspendAccount marks an account suspended (or clears the mark with nil).
func (q Q) SetAccountSuspended(ctx context.Context, id int64, at *time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE accounts SET suspended_at = $1 WHERE id = $2`, at, id)
	clearAfterCommit(q, signers)
	return wrap(err, "suspend account %d", id)
}

func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	return nil
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

func placeholders(from, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, v := range ids {
		out[i] = v
	}
	return out
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
