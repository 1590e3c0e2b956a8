package store

import (
	"context"
	"time"
)

// QueuedDelivery is one activity waiting to be posted to one inbox.
type QueuedDelivery struct {
	ID              int64
	Host            string
	ActivityID      string
	Inbox           string
	Body            []byte
	SignerAccountID int64
	Attempts        int
	NextAt          time.Time
	CreatedAt       time.Time
	LastError       string
}

// InsertDelivery queues d and reports whether it was new: a second delivery of the same
// activity to the same inbox is dropped.
func (q Q) InsertDelivery(ctx context.Context, d *QueuedDelivery) (bool, error) {
	if d.ID == 0 {
		d.ID = q.NewID()
	}
	res, err := q.db.ExecContext(ctx, `INSERT INTO deliveries (id, host, activity_id, inbox, body, signer_account_id, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (activity_id, inbox) DO NOTHING`,
		d.ID, d.Host, d.ActivityID, d.Inbox, d.Body, d.SignerAccountID, d.NextAt.UnixMilli(), d.CreatedAt.UnixMilli())
	if err != nil {
		return false, wrap(err, "queue delivery to %s", d.Inbox)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "queue delivery to %s", d.Inbox)
}

const deliveryCols = `id, host, activity_id, inbox, body, signer_account_id, attempts, next_at, created_at, last_error`

// ClaimDelivery takes host's oldest due delivery for one attempt: its next_at moves to
// leaseUntil, so no other worker takes it meanwhile, and a worker that dies mid-attempt
// leaves it due again once the lease ends. ErrNotFound when none is due.
func (q Q) ClaimDelivery(ctx context.Context, host string, now, leaseUntil time.Time) (*QueuedDelivery, error) {
	skip := ""
	if q.engine == Postgres {
		skip = " FOR UPDATE SKIP LOCKED"
	}
	row := q.db.QueryRowContext(ctx, `UPDATE deliveries SET next_at = $3 WHERE id = (SELECT id FROM deliveries
		WHERE host = $1 AND next_at <= $2 ORDER BY next_at, id LIMIT 1`+skip+`) RETURNING `+deliveryCols,
		host, now.UnixMilli(), leaseUntil.UnixMilli())
	var d QueuedDelivery
	var next, created int64
	err := row.Scan(&d.ID, &d.Host, &d.ActivityID, &d.Inbox, &d.Body, &d.SignerAccountID, &d.Attempts, &next, &created, &d.LastError)
	if err != nil {
		return nil, notFound(err, "claim delivery to "+host)
	}
	d.NextAt, d.CreatedAt = fromMillis(next), fromMillis(created)
	return &d, nil
}

// LazyCommit lets q's transaction commit without waiting for its WAL flush on
// PostgreSQL (SQLite's WAL with synchronous=NORMAL already does not wait). For delivery
// bookkeeping only: a crash may forget the last few claims and outcomes, which costs a
// repeated delivery (inboxes take an activity id once), never a lost one, because the
// enqueue itself commits durably.
func (q Q) LazyCommit(ctx context.Context) error {
	if q.engine != Postgres || q.SQLTx() == nil {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `SET LOCAL synchronous_commit = off`)
	return wrap(err, "lazy commit")
}

// DeleteDelivery removes a delivery that succeeded or was given up.
func (q Q) DeleteDelivery(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM deliveries WHERE id = $1`, id)
	return wrap(err, "delete delivery %d", id)
}

// RescheduleDelivery records a failed attempt and when to try again.
func (q Q) RescheduleDelivery(ctx context.Context, id int64, attempts int, nextAt time.Time, lastError string) error {
	_, err := q.db.ExecContext(ctx, `UPDATE deliveries SET attempts = $2, next_at = $3, last_error = $4 WHERE id = $1`,
		id, attempts, nextAt.UnixMilli(), lastError)
	return wrap(err, "reschedule delivery %d", id)
}

// ReleaseDelivery makes a claimed delivery due at once without counting an attempt
// (its worker was stopped before the attempt ended).
func (q Q) ReleaseDelivery(ctx context.Context, id int64, now time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE deliveries SET next_at = $2 WHERE id = $1`, id, now.UnixMilli())
	return wrap(err, "release delivery %d", id)
}

// DropHostDeliveries deletes every delivery queued for host and says how many.
func (q Q) DropHostDeliveries(ctx context.Context, host string) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM deliveries WHERE host = $1`, host)
	if err != nil {
		return 0, wrap(err, "drop deliveries to %s", host)
	}
	return res.RowsAffected()
}

// ExpireDeliveries deletes deliveries created before cutoff, adds them to their hosts'
// gave_up counters, and says how many went.
func (q Q) ExpireDeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	_, err := q.db.ExecContext(ctx, `UPDATE delivery_hosts SET gave_up = gave_up +
		(SELECT COUNT(*) FROM deliveries d WHERE d.host = delivery_hosts.host AND d.created_at < $1)
		WHERE host IN (SELECT DISTINCT host FROM deliveries WHERE created_at < $1)`, cutoff.UnixMilli())
	if err != nil {
		return 0, wrap(err, "expire deliveries")
	}
	res, err := q.db.ExecContext(ctx, `DELETE FROM deliveries WHERE created_at < $1`, cutoff.UnixMilli())
	if err != nil {
		return 0, wrap(err, "expire deliveries")
	}
	return res.RowsAffected()
}

// DeliveryBacklog counts the deliveries waiting, due or not.
func (q Q) DeliveryBacklog(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries`).Scan(&n)
	return n, wrap(err, "delivery backlog")
}

// DeliverySample is the delivery outcomes of one minute.
type DeliverySample struct {
	Minute                    time.Time
	Delivered, Failed, GaveUp int64
	Backlog                   int64
}

// AddDeliverySample adds a process's counts to the minute's row and records the backlog
// it saw.
func (q Q) AddDeliverySample(ctx context.Context, s DeliverySample) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO delivery_samples (minute, delivered, failed, gave_up, backlog)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (minute) DO UPDATE SET delivered = delivery_samples.delivered + excluded.delivered,
		failed = delivery_samples.failed + excluded.failed, gave_up = delivery_samples.gave_up + excluded.gave_up,
		backlog = excluded.backlog`,
		s.Minute.UTC().Truncate(time.Minute).Unix(), s.Delivered, s.Failed, s.GaveUp, s.Backlog)
	return wrap(err, "add delivery sample")
}

// DeliverySamples returns the samples since a time, oldest first.
func (q Q) DeliverySamples(ctx context.Context, since time.Time) ([]DeliverySample, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT minute, delivered, failed, gave_up, backlog FROM delivery_samples
		WHERE minute >= $1 ORDER BY minute`, since.Unix())
	if err != nil {
		return nil, wrap(err, "delivery samples")
	}
	defer rows.Close()
	var out []DeliverySample
	for rows.Next() {
		var s DeliverySample
		var minute int64
		if err := rows.Scan(&minute, &s.Delivered, &s.Failed, &s.GaveUp, &s.Backlog); err != nil {
			return nil, wrap(err, "delivery samples")
		}
		s.Minute = time.Unix(minute, 0).UTC()
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "delivery samples")
}

// PruneDeliverySamples deletes samples older than cutoff.
func (q Q) PruneDeliverySamples(ctx context.Context, cutoff time.Time) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM delivery_samples WHERE minute < $1`, cutoff.Unix())
	return wrap(err, "prune delivery samples")
}

// QueuedDeliveries lists up to limit deliveries waiting, oldest first (by id).
func (q Q) QueuedDeliveries(ctx context.Context, limit int) ([]*QueuedDelivery, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+deliveryCols+` FROM deliveries ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, wrap(err, "list deliveries")
	}
	defer rows.Close()
	var out []*QueuedDelivery
	for rows.Next() {
		var d QueuedDelivery
		var next, created int64
		if err := rows.Scan(&d.ID, &d.Host, &d.ActivityID, &d.Inbox, &d.Body, &d.SignerAccountID, &d.Attempts, &next, &created, &d.LastError); err != nil {
			return nil, wrap(err, "list deliveries")
		}
		d.NextAt, d.CreatedAt = fromMillis(next), fromMillis(created)
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "list deliveries")
}
