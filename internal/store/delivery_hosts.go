package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Breaker states of a delivery host.
const (
	BreakerClosed   = "closed"    // deliveries flow
	BreakerOpen     = "open"      // cooling off: nothing is attempted until RetryAt
	BreakerHalfOpen = "half_open" // one probe is in flight; its outcome closes or reopens
)

// DeliveryHost is what tusk knows about delivering to one remote host.
type DeliveryHost struct {
	Host                string
	Breaker             string
	ConsecutiveFailures int
	CoolOffs            int // times the breaker opened in the current failure streak
	RetryAt             time.Time
	FailingSince        time.Time // zero when the last attempt succeeded
	LastSuccessAt       time.Time
	LastFailureAt       time.Time
	LastError           string
	Successes, Failures int64
	GaveUp, Skipped     int64
	Latencies           []int64 // milliseconds of the latest successful attempts, oldest first
	Unavailable         bool
	Suspended           bool
	Queued              int64 // deliveries waiting; filled by the listing queries only
}

const deliveryHostCols = `host, breaker, consecutive_failures, cool_offs, retry_at, failing_since, last_success_at,
	last_failure_at, last_error, successes, failures, gave_up, skipped, latencies, unavailable, suspended`

func scanDeliveryHost(sc interface{ Scan(...any) error }, extra ...any) (*DeliveryHost, error) {
	var h DeliveryHost
	var retry, failing, success, failure int64
	var lat string
	dest := append([]any{&h.Host, &h.Breaker, &h.ConsecutiveFailures, &h.CoolOffs, &retry, &failing, &success,
		&failure, &h.LastError, &h.Successes, &h.Failures, &h.GaveUp, &h.Skipped, &lat, &h.Unavailable, &h.Suspended}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	h.RetryAt, h.FailingSince, h.LastSuccessAt, h.LastFailureAt = fromMillis(retry), fromMillis(failing), fromMillis(success), fromMillis(failure)
	h.Latencies = parseLatencies(lat)
	return &h, nil
}

// Millis is t as Unix milliseconds; the zero time is 0.
func Millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func parseLatencies(s string) []int64 {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int64, 0, len(parts))
	for _, p := range parts {
		if v, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

func formatLatencies(ls []int64) string {
	parts := make([]string, len(ls))
	for i, v := range ls {
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, ",")
}

// EnsureDeliveryHosts creates the rows of hosts not seen before.
func (q Q) EnsureDeliveryHosts(ctx context.Context, hosts []string) error {
	for _, h := range hosts {
		if _, err := q.db.ExecContext(ctx, `INSERT INTO delivery_hosts (host) VALUES ($1) ON CONFLICT (host) DO NOTHING`, h); err != nil {
			return wrap(err, "ensure delivery host %s", h)
		}
	}
	return nil
}

// UnavailableDeliveryHosts returns which of hosts are marked unavailable.
func (q Q) UnavailableDeliveryHosts(ctx context.Context, hosts []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(hosts) == 0 {
		return out, nil
	}
	args := make([]any, len(hosts))
	for i, h := range hosts {
		args[i] = h
	}
	rows, err := q.db.QueryContext(ctx, `SELECT host FROM delivery_hosts WHERE unavailable = TRUE AND host IN (`+
		placeholders(1, len(hosts))+`)`, args...)
	if err != nil {
		return nil, wrap(err, "unavailable delivery hosts")
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, wrap(err, "unavailable delivery hosts")
		}
		out[h] = true
	}
	return out, wrap(rows.Err(), "unavailable delivery hosts")
}

// AddDeliverySkipped counts n deliveries to host that were never queued.
func (q Q) AddDeliverySkipped(ctx context.Context, host string, n int) error {
	_, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET skipped = skipped + $2 WHERE host = $1`, host, n)
	return wrap(err, "count skipped deliveries to %s", host)
}

// DeliveryHostForUpdate reads a host's row, locking it until q's transaction ends on
// PostgreSQL (SQLite's one writer serializes the transaction anyway).
func (q Q) DeliveryHostForUpdate(ctx context.Context, host string) (*DeliveryHost, error) {
	lock := ""
	if q.engine == Postgres {
		lock = " FOR UPDATE"
	}
	h, err := scanDeliveryHost(q.db.QueryRowContext(ctx, `SELECT `+deliveryHostCols+` FROM delivery_hosts WHERE host = $1`+lock, host))
	if err != nil {
		return nil, notFound(err, "delivery host "+host)
	}
	return h, nil
}

// SaveDeliveryHost writes back what delivery changes in a host's row.
func (q Q) SaveDeliveryHost(ctx context.Context, h *DeliveryHost) error {
	_, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET breaker = $2, consecutive_failures = $3, cool_offs = $4,
		retry_at = $5, failing_since = $6, last_success_at = $7, last_failure_at = $8, last_error = $9, successes = $10,
		failures = $11, gave_up = $12, latencies = $13, unavailable = $14 WHERE host = $1`,
		h.Host, h.Breaker, h.ConsecutiveFailures, h.CoolOffs, Millis(h.RetryAt), Millis(h.FailingSince), Millis(h.LastSuccessAt),
		Millis(h.LastFailureAt), h.LastError, h.Successes, h.Failures, h.GaveUp, formatLatencies(h.Latencies), h.Unavailable)
	if h.Unavailable || h.Breaker == BreakerOpen {
		clearAfterCommit(q, hostsDown) // DeliveryHostDown must see it
	}
	return wrap(err, "save delivery host %s", h.Host)
}

// StartDeliveryProbe moves an open breaker whose cool-off has ended to half-open until
// leaseUntil, and reports whether this caller won the probe: of several worker
// processes, exactly one does.
func (q Q) StartDeliveryProbe(ctx context.Context, host string, now, leaseUntil time.Time) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET breaker = 'half_open', retry_at = $3
		WHERE host = $1 AND breaker <> 'closed' AND retry_at <= $2`, host, now.UnixMilli(), leaseUntil.UnixMilli())
	if err != nil {
		return false, wrap(err, "start probe of %s", host)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "start probe of %s", host)
}

// ReadyDeliveryHosts lists up to limit hosts that have a delivery due at now and may be
// delivered to: not suspended, not unavailable, breaker closed or its cool-off over.
func (q Q) ReadyDeliveryHosts(ctx context.Context, now time.Time, limit int) ([]*DeliveryHost, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+deliveryHostCols+` FROM delivery_hosts h
		WHERE h.suspended = FALSE AND h.unavailable = FALSE AND (h.breaker = 'closed' OR h.retry_at <= $1)
		AND EXISTS (SELECT 1 FROM deliveries d WHERE d.host = h.host AND d.next_at <= $1)
		ORDER BY h.host LIMIT $2`, now.UnixMilli(), limit)
	if err != nil {
		return nil, wrap(err, "ready delivery hosts")
	}
	return collectDeliveryHosts(rows, false)
}

func collectDeliveryHosts(rows *sql.Rows, queued bool) ([]*DeliveryHost, error) {
	defer rows.Close()
	var out []*DeliveryHost
	for rows.Next() {
		var n int64
		var extra []any
		if queued {
			extra = []any{&n}
		}
		h, err := scanDeliveryHost(rows, extra...)
		if err != nil {
			return nil, wrap(err, "delivery hosts")
		}
		h.Queued = n
		out = append(out, h)
	}
	return out, wrap(rows.Err(), "delivery hosts")
}

const queuedCol = `, (SELECT COUNT(*) FROM deliveries d WHERE d.host = h.host)`

// DeliveryHosts lists every known host with its queued deliveries, by name.
func (q Q) DeliveryHosts(ctx context.Context) ([]*DeliveryHost, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+deliveryHostCols+queuedCol+` FROM delivery_hosts h ORDER BY h.host`)
	if err != nil {
		return nil, wrap(err, "delivery hosts")
	}
	return collectDeliveryHosts(rows, true)
}

// DeliveryHost returns one host with its queued deliveries.
func (q Q) DeliveryHost(ctx context.Context, host string) (*DeliveryHost, error) {
	var n int64
	h, err := scanDeliveryHost(q.db.QueryRowContext(ctx, `SELECT `+deliveryHostCols+queuedCol+` FROM delivery_hosts h WHERE h.host = $1`, host), &n)
	if err != nil {
		return nil, notFound(err, "delivery host "+host)
	}
	h.Queued = n
	return h, nil
}

// ResetDeliveryHost forgets a host's failures: breaker closed, not unavailable.
func (q Q) ResetDeliveryHost(ctx context.Context, host string) error {
	return q.updateDeliveryHost(ctx, host, `breaker = 'closed', consecutive_failures = 0, cool_offs = 0, retry_at = 0,
		failing_since = 0, unavailable = FALSE`)
}

// SetDeliverySuspended suspends or resumes delivery to a host, creating its row.
func (q Q) SetDeliverySuspended(ctx context.Context, host string, suspended bool) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO delivery_hosts (host, suspended) VALUES ($1, $2)
		ON CONFLICT (host) DO UPDATE SET suspended = excluded.suspended`, host, suspended)
	return wrap(err, "suspend delivery to %s", host)
}

// MarkDeliveryHostAlive clears the unavailable mark and lets an open breaker probe now:
// the host was just seen answering.
func (q Q) MarkDeliveryHostAlive(ctx context.Context, host string, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET unavailable = FALSE,
		retry_at = CASE WHEN breaker = 'open' AND retry_at > $2 THEN $2 ELSE retry_at END
		WHERE host = $1 AND (unavailable = TRUE OR breaker = 'open')`, host, now.UnixMilli())
	return wrap(err, "mark %s alive", host)
}

// DeliveryHostDown reports whether a host is marked unavailable or its breaker is open.
// Every signed inbound delivery asks, so a host found up is remembered briefly
// (readcache.go); marking a host down here clears that memory.
func (q Q) DeliveryHostDown(ctx context.Context, host string) (bool, error) {
	return cachedRead(q, hostsDown, host, func() (bool, error) {
		var n int
		err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM delivery_hosts WHERE host = $1
			AND (unavailable = TRUE OR breaker = 'open')`, host).Scan(&n)
		return n > 0, wrap(err, "delivery host %s", host)
	}, func(down bool) bool { return !down })
}

func (q Q) updateDeliveryHost(ctx context.Context, host, set string) error {
	res, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET `+set+` WHERE host = $1`, host)
	if err != nil {
		return wrap(err, "update delivery host %s", host)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: delivery host %s: %w", host, ErrNotFound)
	}
	return nil
}

// DeliveryStateTotal is the hosts in one delivery state, their waiting deliveries and
// the deliveries ever skipped for them. State is the breaker's (closed, open,
// half_open), or unavailable or suspended, which take precedence.
type DeliveryStateTotal struct {
	State                  string
	Hosts, Queued, Skipped int64
}

// DeliveryStateTotals sums the delivery hosts by state, for metrics.
func (q Q) DeliveryStateTotals(ctx context.Context) ([]DeliveryStateTotal, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT CASE WHEN h.suspended THEN 'suspended' WHEN h.unavailable THEN 'unavailable'
		ELSE h.breaker END AS state, COUNT(*), CAST(COALESCE(SUM(d.n), 0) AS BIGINT), CAST(COALESCE(SUM(h.skipped), 0) AS BIGINT)
		FROM delivery_hosts h LEFT JOIN (SELECT host, COUNT(*) AS n FROM deliveries GROUP BY host) d ON d.host = h.host
		GROUP BY 1 ORDER BY 1`)
	if err != nil {
		return nil, wrap(err, "delivery state totals")
	}
	defer rows.Close()
	var out []DeliveryStateTotal
	for rows.Next() {
		var t DeliveryStateTotal
		if err := rows.Scan(&t.State, &t.Hosts, &t.Queued, &t.Skipped); err != nil {
			return nil, wrap(err, "delivery state totals")
		}
		out = append(out, t)
	}
	return out, wrap(rows.Err(), "delivery state totals")
}
