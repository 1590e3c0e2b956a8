package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// RememberActivities records several inbound activity ids in one statement and returns
// the ones that were new; the others are repeats, to be dropped.
func (q Q) RememberActivities(ctx context.Context, activityIDs []string, at time.Time) (map[string]bool, error) {
	fresh := make(map[string]bool, len(activityIDs))
	if len(activityIDs) == 0 {
		return fresh, nil
	}
	var values strings.Builder
	args := make([]any, 0, len(activityIDs)+1)
	args = append(args, at.UTC())
	for i, id := range activityIDs {
		if i > 0 {
			values.WriteString(", ")
		}
		fmt.Fprintf(&values, "($%d, $1)", i+2)
		args = append(args, id)
	}
	rows, err := q.db.QueryContext(ctx, `INSERT INTO inbox_activities (activity_id, received_at) VALUES `+values.String()+`
		ON CONFLICT (activity_id) DO NOTHING RETURNING activity_id`, args...)
	if err != nil {
		return nil, wrap(err, "remember activities")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, "remember activities")
		}
		fresh[id] = true
	}
	return fresh, wrap(rows.Err(), "remember activities")
}

// ForgetActivitiesBefore drops the activity ids received before the cut-off; a sender
// retrying after that long is treated as new, which the processing tolerates.
func (q Q) ForgetActivitiesBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM inbox_activities WHERE received_at < $1`, before.UTC())
	if err != nil {
		return 0, wrap(err, "forget activities")
	}
	n, err := res.RowsAffected()
	return n, wrap(err, "forget activities")
}

// DomainPolicy is what the server-level domain blocks say about one host.
type DomainPolicy struct {
	Severity    string // "", "noop", "silence" or "suspend"
	RejectMedia bool
}

// Suspended reports whether everything from the domain is refused.
func (p DomainPolicy) Suspended() bool { return p.Severity == "suspend" }

// DomainPolicyFor finds the block that applies to host: a block of a domain covers its
// subdomains, as Mastodon's do, and the most specific block wins. host may carry a port.
// Answers are cached briefly (readcache.go): every inbound delivery asks.
func (q Q) DomainPolicyFor(ctx context.Context, host string) (DomainPolicy, error) {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return cachedRead(q, domainPolicies, host, func() (DomainPolicy, error) { return q.readDomainPolicy(ctx, host) }, nil)
}

func (q Q) readDomainPolicy(ctx context.Context, host string) (DomainPolicy, error) {
	candidates := parentDomains(host)
	if name, _, found := strings.Cut(host, ":"); found && !strings.HasPrefix(host, "[") {
		candidates = append(candidates, parentDomains(name)...) // a block of a host covers all its ports
	}
	if len(candidates) == 0 {
		return DomainPolicy{}, nil
	}
	args := make([]any, len(candidates))
	for i, c := range candidates {
		args[i] = c
	}
	var p DomainPolicy
	var domain string
	err := q.db.QueryRowContext(ctx, `SELECT domain, severity, reject_media FROM domain_blocks WHERE domain IN (`+
		placeholders(1, len(candidates))+`) ORDER BY length(domain) DESC LIMIT 1`, args...).Scan(&domain, &p.Severity, &p.RejectMedia)
	if errors.Is(err, sql.ErrNoRows) {
		return DomainPolicy{}, nil
	}
	return p, wrap(err, "domain policy %s", host)
}

// SetDomainRejectMedia sets the reject_media flag of an existing block.
func (q Q) SetDomainRejectMedia(ctx context.Context, domain string, reject bool) error {
	_, err := q.db.ExecContext(ctx, `UPDATE domain_blocks SET reject_media = $1 WHERE domain = $2`, reject, domain)
	clearAfterCommit(q, domainPolicies)
	return wrap(err, "set reject_media %s", domain)
}

// parentDomains lists host and each domain above it: a.b.c → a.b.c, b.c, c.
func parentDomains(host string) []string {
	if host == "" {
		return nil
	}
	out := []string{host}
	for i := strings.IndexByte(host, '.'); i >= 0; i = strings.IndexByte(host, '.') {
		host = host[i+1:]
		if host != "" {
			out = append(out, host)
		}
	}
	return out
}
