package store

import (
	"context"
	"fmt"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// Rules lists the instance's rules in their order.
func (q Q) Rules(ctx context.Context) ([]*model.Rule, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, text, hint, position, created_at FROM instance_rules ORDER BY position, id`)
	if err != nil {
		return nil, wrap(err, "rules")
	}
	defer rows.Close()
	var out []*model.Rule
	for rows.Next() {
		var r model.Rule
		if err := rows.Scan(&r.ID, &r.Text, &r.Hint, &r.Position, &r.CreatedAt); err != nil {
			return nil, wrap(err, "rules")
		}
		out = append(out, &r)
	}
	return out, wrap(rows.Err(), "rules")
}

// InsertRule adds a rule after the others.
func (q Q) InsertRule(ctx context.Context, r *model.Rule) error {
	r.ID, r.CreatedAt = q.NewID(), time.Now().UTC()
	err := q.db.QueryRowContext(ctx, `INSERT INTO instance_rules (id, text, hint, position, created_at)
		VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM instance_rules), $4) RETURNING position`,
		r.ID, r.Text, r.Hint, r.CreatedAt).Scan(&r.Position)
	return wrap(err, "insert rule")
}

// DeleteRule removes a rule; ErrNotFound when there is none with that id.
func (q Q) DeleteRule(ctx context.Context, id int64) error {
	return q.deleteOne(ctx, `DELETE FROM instance_rules WHERE id = $1`, id, "rule")
}

// deleteOne runs a DELETE of one row by its key and reports ErrNotFound when none went.
func (q Q) deleteOne(ctx context.Context, query string, key any, what string) error {
	res, err := q.db.ExecContext(ctx, query, key)
	if err != nil {
		return wrap(err, "delete %s", what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap(err, "delete %s", what)
	}
	if n == 0 {
		return fmt.Errorf("store: delete %s %v: %w", what, key, ErrNotFound)
	}
	return nil
}

const domainBlockColumns = `id, domain, severity, public_comment, private_comment, obfuscate, created_at`

// DomainBlocks lists the server's domain blocks, those with user-facing limits (silence
// and suspend) first by severity, then alphabetically; withNoop adds the noop ones.
func (q Q) ServerDomainBlocks(ctx context.Context, withNoop bool) ([]*model.DomainBlock, error) {
	where := `WHERE severity <> 'noop'`
	if withNoop {
		where = ""
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+domainBlockColumns+` FROM domain_blocks `+where+`
		ORDER BY CASE severity WHEN 'noop' THEN 0 WHEN 'silence' THEN 1 ELSE 2 END, domain`)
	if err != nil {
		return nil, wrap(err, "domain blocks")
	}
	defer rows.Close()
	var out []*model.DomainBlock
	for rows.Next() {
		var b model.DomainBlock
		if err := rows.Scan(&b.ID, &b.Domain, &b.Severity, &b.PublicComment, &b.PrivateComment, &b.Obfuscate, &b.CreatedAt); err != nil {
			return nil, wrap(err, "domain blocks")
		}
		out = append(out, &b)
	}
	return out, wrap(rows.Err(), "domain blocks")
}

// InsertDomainBlock adds a block; ErrConflict when the domain is already blocked.
func (q Q) ServerInsertDomainBlock(ctx context.Context, b *model.DomainBlock) error {
	b.ID, b.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO domain_blocks (`+domainBlockColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		b.ID, b.Domain, b.Severity, b.PublicComment, b.PrivateComment, b.Obfuscate, b.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: block %s: %w", b.Domain, ErrConflict)
	}
	clearAfterCommit(q, domainPolicies)
	return wrap(err, "insert domain block")
}

// DeleteDomainBlock lifts the block on a domain.
func (q Q) ServerDeleteDomainBlock(ctx context.Context, domain string) error {
	clearAfterCommit(q, domainPolicies)
	return q.deleteOne(ctx, `DELETE FROM domain_blocks WHERE domain = $1`, domain, "domain block")
}

// Peers lists the domains of known remote accounts, leaving out blocked domains.
func (q Q) Peers(ctx context.Context) ([]string, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT DISTINCT a.domain FROM accounts a
		WHERE a.domain <> '' AND NOT EXISTS (SELECT 1 FROM domain_blocks b WHERE b.domain = a.domain) ORDER BY a.domain`)
	if err != nil {
		return nil, wrap(err, "peers")
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, wrap(err, "peers")
		}
		out = append(out, d)
	}
	return out, wrap(rows.Err(), "peers")
}

// RecordLogin notes that a user signed in, or used a token, in the week starting at week.
func (q Q) RecordLogin(ctx context.Context, userID int64, week time.Time) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO login_weeks (week, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, week.Unix(), userID)
	return wrap(err, "record login")
}

// TouchToken sets a token's last use.
func (q Q) TouchToken(ctx context.Context, tokenID int64, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, at.UTC(), tokenID)
	return wrap(err, "touch token")
}

const weekMillis = 7 * 24 * 3600 * 1000

// WeeklyActivity counts, for each week from the Monday first on, the local statuses
// posted, the users who signed in and the users who registered; weeks[i] is the i-th
// week after first. Status ids carry their creation time (see internal/id), so the
// statuses are counted on the primary key.
func (q Q) WeeklyActivity(ctx context.Context, first time.Time, n int) ([]model.WeekActivity, error) {
	out := make([]model.WeekActivity, n)
	for i := range out {
		out[i].Week = first.AddDate(0, 0, 7*i)
	}
	startMs := first.UnixMilli()
	if err := q.countByWeek(ctx, out, `SELECT (id / 65536 - $1) / `+fmt.Sprint(weekMillis)+`, COUNT(*) FROM statuses
		WHERE local = $2 AND id >= $3 GROUP BY 1`, func(a *model.WeekActivity) *int64 { return &a.Statuses },
		startMs, true, startMs<<16); err != nil {
		return nil, err
	}
	if err := q.countByWeek(ctx, out, `SELECT (week - $1) / 604800, COUNT(*) FROM login_weeks WHERE week >= $1 GROUP BY 1`,
		func(a *model.WeekActivity) *int64 { return &a.Logins }, first.Unix()); err != nil {
		return nil, err
	}
	return out, q.countRegistrations(ctx, out)
}

func (q Q) countByWeek(ctx context.Context, out []model.WeekActivity, query string, field func(*model.WeekActivity) *int64, args ...any) error {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wrap(err, "weekly activity")
	}
	defer rows.Close()
	for rows.Next() {
		var week, count int64
		if err := rows.Scan(&week, &count); err != nil {
			return wrap(err, "weekly activity")
		}
		if week >= 0 && week < int64(len(out)) {
			*field(&out[week]) = count
		}
	}
	return wrap(rows.Err(), "weekly activity")
}

// countRegistrations counts users by creation week; timestamps are text on SQLite, so
// each week is its own range count rather than arithmetic on the column.
func (q Q) countRegistrations(ctx context.Context, out []model.WeekActivity) error {
	for i := range out {
		err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE created_at >= $1 AND created_at < $2`,
			out[i].Week, out[i].Week.AddDate(0, 0, 7)).Scan(&out[i].Registrations)
		if err != nil {
			return wrap(err, "weekly registrations")
		}
	}
	return nil
}
