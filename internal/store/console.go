package store

import (
	"context"
	"fmt"
	"time"
)

// QueueSample is one queue's state in one minute, for the queue console's chart.
type QueueSample struct {
	Queue     string
	Minute    time.Time // the start of the minute, UTC
	Depth     int64     // waiting + scheduled + retrying at the sample
	Running   int64
	Completed int64 // finished in the minute before the sample
	Failed    int64 // failed (retried or dead) in the minute before the sample
}

// SaveQueueSamples writes samples; a second sample for the same queue and minute
// replaces the first, so a retried sampling job does not double the row.
func (q Q) SaveQueueSamples(ctx context.Context, samples []QueueSample) error {
	for _, s := range samples {
		_, err := q.db.ExecContext(ctx, `INSERT INTO queue_samples (queue, minute, depth, running, completed, failed)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (queue, minute) DO UPDATE SET depth = excluded.depth, running = excluded.running,
				completed = excluded.completed, failed = excluded.failed`,
			s.Queue, s.Minute.Unix(), s.Depth, s.Running, s.Completed, s.Failed)
		if err != nil {
			return fmt.Errorf("store: save queue sample %s: %w", s.Queue, err)
		}
	}
	return nil
}

// QueueSamples returns every sample taken at or after since, by queue, then minute.
func (q Q) QueueSamples(ctx context.Context, since time.Time) ([]QueueSample, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT queue, minute, depth, running, completed, failed
		FROM queue_samples WHERE minute >= $1 ORDER BY queue, minute`, since.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: queue samples: %w", err)
	}
	defer rows.Close()
	var out []QueueSample
	for rows.Next() {
		var s QueueSample
		var minute int64
		if err := rows.Scan(&s.Queue, &minute, &s.Depth, &s.Running, &s.Completed, &s.Failed); err != nil {
			return nil, fmt.Errorf("store: queue samples: %w", err)
		}
		s.Minute = time.Unix(minute, 0).UTC()
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "queue samples")
}

// PruneQueueSamples deletes samples taken before cutoff.
func (q Q) PruneQueueSamples(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM queue_samples WHERE minute < $1`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("store: prune queue samples: %w", err)
	}
	return res.RowsAffected()
}
