package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// Relation tables that share the follows' shape (account_id → target_account_id, one
// row per pair, paged by row id): FollowAccounts and FollowingSet read them too.
const (
	Blocks       = "blocks"
	Endorsements = "account_pins"
)

// InsertRelation adds accountID → targetID to blocks or account_pins; adding it twice
// is not an error.
func (q Q) InsertRelation(ctx context.Context, table string, accountID, targetID int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO `+table+` (id, account_id, target_account_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, target_account_id) DO NOTHING`, q.NewID(), accountID, targetID, time.Now().UTC())
	return wrap(err, "insert %s", table)
}

// DeleteRelation removes accountID → targetID from blocks, mutes, account_pins or
// account_notes; removing an absent row is not an error.
func (q Q) DeleteRelation(ctx context.Context, table string, accountID, targetID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE account_id = $1 AND target_account_id = $2`, accountID, targetID)
	return wrap(err, "delete %s", table)
}

// RelationSet returns which of targets accountID has a row for in the table.
func (q Q) RelationSet(ctx context.Context, table string, accountID int64, targets []int64) (map[int64]bool, error) {
	if len(targets) == 0 {
		return map[int64]bool{}, nil
	}
	return q.idSet(ctx, table+" set", `SELECT target_account_id FROM `+table+` WHERE account_id = $1 AND target_account_id IN (`+
		placeholders(2, len(targets))+`)`, append([]any{accountID}, int64Args(targets)...)...)
}

// BlockedBySet returns which of accounts block targetID.
func (q Q) BlockedBySet(ctx context.Context, targetID int64, accounts []int64) (map[int64]bool, error) {
	if len(accounts) == 0 {
		return map[int64]bool{}, nil
	}
	return q.idSet(ctx, "blocked by", `SELECT account_id FROM blocks WHERE target_account_id = $1 AND account_id IN (`+
		placeholders(2, len(accounts))+`)`, append([]any{targetID}, int64Args(accounts)...)...)
}

// BlockBetween reports whether either account blocks the other.
func (q Q) BlockBetween(ctx context.Context, a, b int64) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM blocks WHERE (account_id = $1 AND target_account_id = $2)
		OR (account_id = $2 AND target_account_id = $1)`, a, b).Scan(&n)
	return n > 0, wrap(err, "block between")
}

// UpsertMute stores a mute, or updates the existing one's notifications and expiry.
func (q Q) UpsertMute(ctx context.Context, m *model.Mute) error {
	m.ID, m.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO mutes (id, account_id, target_account_id, hide_notifications, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, target_account_id)
		DO UPDATE SET hide_notifications = excluded.hide_notifications, expires_at = excluded.expires_at`,
		m.ID, m.AccountID, m.TargetAccountID, m.HideNotifications, utcPtr(m.ExpiresAt), m.CreatedAt)
	return wrap(err, "upsert mute")
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

const muteColumns = `m.id, m.account_id, m.target_account_id, m.hide_notifications, m.expires_at, m.created_at`

func scanMute(row scanner) (*model.Mute, error) {
	var m model.Mute
	err := row.Scan(&m.ID, &m.AccountID, &m.TargetAccountID, &m.HideNotifications, &m.ExpiresAt, &m.CreatedAt)
	return &m, err
}

// MuteSet returns accountID's mutes of targets that still apply at now.
func (q Q) MuteSet(ctx context.Context, accountID int64, targets []int64, now time.Time) (map[int64]*model.Mute, error) {
	out := map[int64]*model.Mute{}
	if len(targets) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+muteColumns+` FROM mutes m WHERE m.account_id = $1
		AND (m.expires_at IS NULL OR m.expires_at > $2) AND m.target_account_id IN (`+placeholders(3, len(targets))+`)`,
		append([]any{accountID, now.UTC()}, int64Args(targets)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: mute set: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMute(rows)
		if err != nil {
			return nil, fmt.Errorf("store: mute set: %w", err)
		}
		out[m.TargetAccountID] = m
	}
	return out, rows.Err()
}

// MutedAccounts lists the accounts accountID mutes (mutes still applying at now), newest
// mute first, with each mute and the mute ids Mastodon pages by.
func (q Q) MutedAccounts(ctx context.Context, accountID int64, now time.Time, p Page) ([]*model.Account, []*model.Mute, error) {
	var b builder
	b.where("m.account_id = ?", accountID)
	b.where("(m.expires_at IS NULL OR m.expires_at > ?)", now.UTC())
	b.where("a.suspended_at IS NULL")
	tail := b.page("m.id", p)
	rows, err := q.db.QueryContext(ctx, `SELECT `+muteColumns+`, `+accountColumns+` FROM mutes m
		JOIN accounts a ON a.id = m.target_account_id`+b.clause()+tail, b.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: muted accounts: %w", err)
	}
	defer rows.Close()
	var accounts []*model.Account
	var mutes []*model.Mute
	for rows.Next() {
		var m model.Mute
		a, err := scanAccount(mutePrefix{rows, &m})
		if err != nil {
			return nil, nil, fmt.Errorf("store: muted accounts: %w", err)
		}
		accounts, mutes = append(accounts, a), append(mutes, &m)
	}
	return ordered(p, accounts), ordered(p, mutes), rows.Err()
}

// mutePrefix scans a mute's columns before an account's.
type mutePrefix struct {
	row scanner
	m   *model.Mute
}

func (r mutePrefix) Scan(dest ...any) error {
	m := r.m
	return r.row.Scan(append([]any{&m.ID, &m.AccountID, &m.TargetAccountID, &m.HideNotifications, &m.ExpiresAt, &m.CreatedAt}, dest...)...)
}

// DeleteExpiredMutes deletes the mutes that ended before now and reports how many.
func (q Q) DeleteExpiredMutes(ctx context.Context, now time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM mutes WHERE expires_at IS NOT NULL AND expires_at <= $1`, now.UTC())
	if err != nil {
		return 0, fmt.Errorf("store: delete expired mutes: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// SetAccountNote stores accountID's private comment on targetID; "" deletes it.
func (q Q) SetAccountNote(ctx context.Context, accountID, targetID int64, comment string) error {
	if comment == "" {
		return q.DeleteRelation(ctx, "account_notes", accountID, targetID)
	}
	now := time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO account_notes (id, account_id, target_account_id, comment, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (account_id, target_account_id)
		DO UPDATE SET comment = excluded.comment, updated_at = excluded.updated_at`, q.NewID(), accountID, targetID, comment, now)
	return wrap(err, "set account note")
}

// AccountNotes returns accountID's comments on each of targets that has one.
func (q Q) AccountNotes(ctx context.Context, accountID int64, targets []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(targets) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT target_account_id, comment FROM account_notes WHERE account_id = $1
		AND target_account_id IN (`+placeholders(2, len(targets))+`)`, append([]any{accountID}, int64Args(targets)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: account notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var comment string
		if err := rows.Scan(&id, &comment); err != nil {
			return nil, fmt.Errorf("store: account notes: %w", err)
		}
		out[id] = comment
	}
	return out, rows.Err()
}

// unendorseUnfollowed drops an endorsement whose follow ended: only followed accounts
// can be endorsed, so the endorsement goes with the follow, as in Mastodon.
func (q Q) unendorseUnfollowed(ctx context.Context, f *model.Follow) error {
	return q.DeleteRelation(ctx, Endorsements, f.AccountID, f.TargetAccountID)
}

// FamiliarFollowers returns, for each of targets, the accounts viewer follows that
// follow it, oldest follow first.
func (q Q) FamiliarFollowers(ctx context.Context, viewer int64, targets []int64) (map[int64][]*model.Account, error) {
	out := map[int64][]*model.Account{}
	if len(targets) == 0 {
		return out, nil
	}
	rows, err := q.db.QueryContext(ctx, `SELECT f.target_account_id, `+accountColumns+` FROM follows f
		JOIN follows mine ON mine.target_account_id = f.account_id AND mine.account_id = $1
		JOIN accounts a ON a.id = f.account_id
		WHERE a.suspended_at IS NULL AND f.target_account_id IN (`+placeholders(2, len(targets))+`) ORDER BY f.id`,
		append([]any{viewer}, int64Args(targets)...)...)
	if err != nil {
		return nil, fmt.Errorf("store: familiar followers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var target int64
		a, err := scanAccount(rowPrefix{rows, &target})
		if err != nil {
			return nil, fmt.Errorf("store: familiar followers: %w", err)
		}
		out[target] = append(out[target], a)
	}
	return out, rows.Err()
}

// DeleteNotificationsFrom deletes every notification fromID caused accountID.
func (q Q) DeleteNotificationsFrom(ctx context.Context, accountID, fromID int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM notifications WHERE account_id = $1 AND from_account_id = $2`, accountID, fromID)
	return wrap(err, "delete notifications from %d", fromID)
}
