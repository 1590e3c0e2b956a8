package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Run-time instance settings (instance_settings), IP blocks and e-mail domain blocks:
// what an admin changes with "tusk admin settings|ip-blocks|email-domain-blocks".

// InstanceSetting returns a setting stored by an admin; ErrNotFound when never set.
func (q Q) InstanceSetting(ctx context.Context, name string) (string, error) {
	var v string
	err := q.db.QueryRowContext(ctx, `SELECT value FROM instance_settings WHERE name = $1`, name).Scan(&v)
	return v, notFound(err, "instance setting "+name)
}

// SetInstanceSetting stores a setting, replacing any earlier value.
func (q Q) SetInstanceSetting(ctx context.Context, name, value string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO instance_settings (name, value, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, time.Now().UTC())
	return wrap(err, "set instance setting %s", name)
}

// IPBlock is a block of an address or network.
type IPBlock struct {
	ID        int64
	IP        string // canonical CIDR, such as 192.0.2.0/24 or 2001:db8::/32
	Severity  string // sign_up_requires_approval, sign_up_block or no_access
	Comment   string
	ExpiresAt *time.Time
	CreatedAt time.Time
}

// InsertIPBlock adds a block; ErrConflict when the network is already blocked.
func (q Q) InsertIPBlock(ctx context.Context, b *IPBlock) error {
	b.ID, b.CreatedAt = q.NewID(), time.Now().UTC()
	_, err := q.db.ExecContext(ctx, `INSERT INTO ip_blocks (id, ip, severity, comment, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, b.IP, b.Severity, b.Comment, b.ExpiresAt, b.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("store: block %s: %w", b.IP, ErrConflict)
	}
	return wrap(err, "insert ip block %s", b.IP)
}

// DeleteIPBlock lifts the block of a network given in canonical form.
func (q Q) DeleteIPBlock(ctx context.Context, ip string) error {
	return q.deleteOne(ctx, `DELETE FROM ip_blocks WHERE ip = $1`, ip, "ip block")
}

// IPBlocks lists every block, expired ones included, oldest first.
func (q Q) IPBlocks(ctx context.Context) ([]IPBlock, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, ip, severity, comment, expires_at, created_at FROM ip_blocks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: ip blocks: %w", err)
	}
	defer rows.Close()
	out := []IPBlock{}
	for rows.Next() {
		var b IPBlock
		if err := rows.Scan(&b.ID, &b.IP, &b.Severity, &b.Comment, &b.ExpiresAt, &b.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: ip blocks: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// EmailDomainBlock is a domain no one may sign up with.
type EmailDomainBlock struct {
	ID        int64
	Domain    string
	CreatedAt time.Time
}

// InsertEmailDomainBlock adds a block; ErrConflict when the domain is already blocked.
func (q Q) InsertEmailDomainBlock(ctx context.Context, domain string) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO email_domain_blocks (id, domain, created_at) VALUES ($1, $2, $3)`,
		q.NewID(), domain, time.Now().UTC())
	if isUniqueViolation(err) {
		return fmt.Errorf("store: block %s: %w", domain, ErrConflict)
	}
	return wrap(err, "insert e-mail domain block %s", domain)
}

// DeleteEmailDomainBlock lifts the block of a domain.
func (q Q) DeleteEmailDomainBlock(ctx context.Context, domain string) error {
	return q.deleteOne(ctx, `DELETE FROM email_domain_blocks WHERE domain = $1`, domain, "e-mail domain block")
}

// EmailDomainBlocks lists the blocked e-mail domains alphabetically.
func (q Q) EmailDomainBlocks(ctx context.Context) ([]EmailDomainBlock, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, domain, created_at FROM email_domain_blocks ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("store: e-mail domain blocks: %w", err)
	}
	defer rows.Close()
	out := []EmailDomainBlock{}
	for rows.Next() {
		var b EmailDomainBlock
		if err := rows.Scan(&b.ID, &b.Domain, &b.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: e-mail domain blocks: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// EmailDomainBlocked reports whether domain or any domain above it is blocked, so a
// block of example.com also covers mail.example.com.
func (q Q) EmailDomainBlocked(ctx context.Context, domain string) (bool, error) {
	candidates := parentDomains(strings.ToLower(strings.TrimSuffix(domain, ".")))
	if len(candidates) == 0 {
		return false, nil
	}
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM email_domain_blocks WHERE domain IN (`+
		placeholders(1, len(candidates))+`)`, stringArgs(candidates)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: e-mail domain blocked: %w", err)
	}
	return n > 0, nil
}
