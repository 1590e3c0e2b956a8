package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/store"
)

// Job states as the console names them. The dead set holds the jobs that will not run
// again by themselves: those that used up their attempts (River's "discarded") and those
// that failed in a way no retry can fix, such as an undecodable payload ("cancelled").
const (
	StateWaiting   = "waiting"   // ready to run, waiting for a worker
	StateRunning   = "running"   // being worked
	StateScheduled = "scheduled" // to run at a later time
	StateRetrying  = "retrying"  // failed, waiting for its next attempt
	StateDead      = "dead"      // will not run again unless retried by hand
	StateCompleted = "completed" // done; kept for a day, then deleted
)

var riverStates = map[string][]rivertype.JobState{
	StateWaiting:   {rivertype.JobStateAvailable},
	StateRunning:   {rivertype.JobStateRunning},
	StateScheduled: {rivertype.JobStateScheduled, rivertype.JobStatePending},
	StateRetrying:  {rivertype.JobStateRetryable},
	StateDead:      {rivertype.JobStateDiscarded, rivertype.JobStateCancelled},
	StateCompleted: {rivertype.JobStateCompleted},
}

func stateName(s rivertype.JobState) string {
	for name, states := range riverStates {
		if slices.Contains(states, s) {
			return name
		}
	}
	return string(s)
}

// ErrUnknownQueue is returned for a queue name that is not one of Queues.
var ErrUnknownQueue = errors.New("unknown queue")

// ErrUnknownState is returned by Jobs for a state that is not one of the State names.
var ErrUnknownState = errors.New("unknown job state")

// ErrNotFound is returned for a job id that does not exist.
var ErrNotFound = river.ErrNotFound

func checkQueue(queue string) error {
	if !slices.Contains(Queues, queue) {
		return fmt.Errorf("jobs: %q: %w", queue, ErrUnknownQueue)
	}
	return nil
}

// QueueStats is one queue's numbers for the console.
type QueueStats struct {
	Name                                        string
	Waiting, Running, Scheduled, Retrying, Dead int64
	OldestWaiting                               time.Duration // age of the job waiting longest
	DoneLastMinute, DoneLastHour                int64
	FailedLastHour                              int64 // attempts that ended in an error
	FailedLastMinute                            int64 // the same, in the last minute (the console's chart)
	Paused                                      bool
	Concurrency                                 int // this process's workers for the queue; 0 if it does not work it
}

// Stats counts every queue's jobs.
func (s *Service) Stats(ctx context.Context) ([]QueueStats, error) {
	byName := make(map[string]*QueueStats, len(Queues))
	out := make([]QueueStats, len(Queues))
	for i, q := range Queues {
		out[i] = QueueStats{Name: q}
		if slices.Contains(s.worked, q) {
			out[i].Concurrency = s.cfg.Concurrency[q]
		}
		byName[q] = &out[i]
	}
	if err := s.countStates(ctx, byName); err != nil {
		return nil, err
	}
	if err := s.countRecent(ctx, byName); err != nil {
		return nil, err
	}
	queues, err := s.client.QueueList(ctx, river.NewQueueListParams().First(1000))
	if err != nil {
		return nil, fmt.Errorf("jobs: list queues: %w", err)
	}
	for _, q := range queues.Queues {
		if st, ok := byName[q.Name]; ok {
			st.Paused = q.PausedAt != nil
		}
	}
	return out, nil
}

// sqlFor picks the engine's spelling of a query about River's tables.
func (s *Service) sqlFor(sqlite, postgres string) string {
	if s.st.Engine() == store.SQLite {
		return sqlite
	}
	return postgres
}

func (s *Service) countStates(ctx context.Context, byName map[string]*QueueStats) error {
	rows, err := s.st.DB().QueryContext(ctx, s.sqlFor(
		`SELECT queue, state, COUNT(*), COALESCE(MAX(CASE WHEN state = 'available'
			THEN (julianday('now') - julianday(scheduled_at)) * 86400.0 END), 0)
		FROM river_job WHERE state <> 'completed' GROUP BY queue, state`,
		`SELECT queue, state, COUNT(*), COALESCE(MAX(CASE WHEN state = 'available'
			THEN EXTRACT(EPOCH FROM now() - scheduled_at) END), 0)::float8
		FROM river_job WHERE state <> 'completed' GROUP BY queue, state`))
	if err != nil {
		return fmt.Errorf("jobs: count jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var queue, state string
		var n int64
		var age float64
		if err := rows.Scan(&queue, &state, &n, &age); err != nil {
			return fmt.Errorf("jobs: count jobs: %w", err)
		}
		st, ok := byName[queue]
		if !ok {
			continue
		}
		switch stateName(rivertype.JobState(state)) {
		case StateWaiting:
			st.Waiting += n
			st.OldestWaiting = max(time.Duration(age*float64(time.Second)), 0)
		case StateRunning:
			st.Running += n
		case StateScheduled:
			st.Scheduled += n
		case StateRetrying:
			st.Retrying += n
		case StateDead:
			st.Dead += n
		}
	}
	return rows.Err()
}

// countRecent counts jobs finished in the last minute and hour, and failed attempts in
// the last hour (jobs whose latest attempt, within the hour, ended in an error).
func (s *Service) countRecent(ctx context.Context, byName map[string]*QueueStats) error {
	rows, err := s.st.DB().QueryContext(ctx, s.sqlFor(
		`SELECT queue,
			COUNT(*) FILTER (WHERE state = 'completed' AND finalized_at > datetime('now', 'subsec', '-1 minutes')),
			COUNT(*) FILTER (WHERE state = 'completed'),
			COUNT(*) FILTER (WHERE state <> 'completed'),
			COUNT(*) FILTER (WHERE state <> 'completed' AND attempted_at > datetime('now', 'subsec', '-1 minutes'))
		FROM river_job WHERE (state = 'completed' AND finalized_at > datetime('now', 'subsec', '-1 hours'))
			OR (state IN ('retryable', 'discarded', 'cancelled') AND attempted_at > datetime('now', 'subsec', '-1 hours'))
		GROUP BY queue`,
		`SELECT queue,
			COUNT(*) FILTER (WHERE state = 'completed' AND finalized_at > now() - interval '1 minute'),
			COUNT(*) FILTER (WHERE state = 'completed'),
			COUNT(*) FILTER (WHERE state <> 'completed'),
			COUNT(*) FILTER (WHERE state <> 'completed' AND attempted_at > now() - interval '1 minute')
		FROM river_job WHERE (state = 'completed' AND finalized_at > now() - interval '1 hour')
			OR (state IN ('retryable', 'discarded', 'cancelled') AND attempted_at > now() - interval '1 hour')
		GROUP BY queue`))
	if err != nil {
		return fmt.Errorf("jobs: count recent jobs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var queue string
		var minute, hour, failed, failedMinute int64
		if err := rows.Scan(&queue, &minute, &hour, &failed, &failedMinute); err != nil {
			return fmt.Errorf("jobs: count recent jobs: %w", err)
		}
		if st, ok := byName[queue]; ok {
			st.DoneLastMinute, st.DoneLastHour, st.FailedLastHour = minute, hour, failed
			st.FailedLastMinute = failedMinute
		}
	}
	return rows.Err()
}

// JobInfo is one job as the console shows it.
type JobInfo struct {
	ID                   int64
	Kind, Queue, State   string // State is one of the State names
	Attempt, MaxAttempts int
	Errors               []string // one per failed attempt, oldest first
	CreatedAt            time.Time
	ScheduledAt          time.Time
	Args                 json.RawMessage
}

// Jobs lists up to limit jobs of a queue ("" for all) in a state (a State name, or ""
// for all), newest first.
func (s *Service) Jobs(ctx context.Context, queue, state string, limit int) ([]JobInfo, error) {
	p := river.NewJobListParams().First(min(max(limit, 1), 10000)).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if queue != "" {
		if err := checkQueue(queue); err != nil {
			return nil, err
		}
		p = p.Queues(queue)
	}
	if state != "" {
		states, ok := riverStates[state]
		if !ok {
			return nil, fmt.Errorf("jobs: %q: %w", state, ErrUnknownState)
		}
		p = p.States(states...)
	}
	res, err := s.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("jobs: list: %w", err)
	}
	out := make([]JobInfo, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		info := JobInfo{ID: j.ID, Kind: j.Kind, Queue: j.Queue, State: stateName(j.State), Attempt: j.Attempt,
			MaxAttempts: j.MaxAttempts, CreatedAt: j.CreatedAt, ScheduledAt: j.ScheduledAt, Args: j.EncodedArgs}
		for _, e := range j.Errors {
			info.Errors = append(info.Errors, e.Error)
		}
		out = append(out, info)
	}
	return out, nil
}

// Retry makes a job run again now, whatever its state (a running job is left alone).
func (s *Service) Retry(ctx context.Context, id int64) error {
	if _, err := s.client.JobRetry(ctx, id); err != nil {
		return fmt.Errorf("jobs: retry %d: %w", id, err)
	}
	return nil
}

// RetryAllDead makes every dead job of a queue ("" for all) run again and says how many.
func (s *Service) RetryAllDead(ctx context.Context, queue string) (int, error) {
	n := 0
	for {
		dead, err := s.Jobs(ctx, queue, StateDead, 500)
		if err != nil {
			return n, err
		}
		for _, j := range dead {
			if err := s.Retry(ctx, j.ID); err != nil && !errors.Is(err, ErrNotFound) {
				return n, err
			}
			n++
		}
		if len(dead) < 500 {
			return n, nil
		}
	}
}

// Delete removes a job that is not running.
func (s *Service) Delete(ctx context.Context, id int64) error {
	if _, err := s.client.JobDelete(ctx, id); err != nil {
		return fmt.Errorf("jobs: delete %d: %w", id, err)
	}
	return nil
}

// ClearDead deletes every dead job of a queue ("" for all) and says how many.
func (s *Service) ClearDead(ctx context.Context, queue string) (int, error) {
	p := river.NewJobDeleteManyParams().States(riverStates[StateDead]...).First(10000)
	if queue != "" {
		if err := checkQueue(queue); err != nil {
			return 0, err
		}
		p = p.Queues(queue)
	}
	n := 0
	for {
		res, err := s.client.JobDeleteMany(ctx, p)
		if err != nil {
			return n, fmt.Errorf("jobs: clear dead: %w", err)
		}
		n += len(res.Jobs)
		if len(res.Jobs) < 10000 {
			return n, nil
		}
	}
}

// Pause stops every process from starting jobs of a queue until Resume; running jobs
// finish. Jobs can still be inserted.
func (s *Service) Pause(ctx context.Context, queue string) error {
	if err := checkQueue(queue); err != nil {
		return err
	}
	err := s.client.QueuePause(ctx, queue, nil)
	if errors.Is(err, river.ErrNotFound) {
		// River records a queue when a worker first works it; pausing one that no worker
		// has worked yet (or lately) records it here, paused from the start.
		err = s.ensureQueue(ctx, queue)
		if err == nil {
			err = s.client.QueuePause(ctx, queue, nil)
		}
	}
	if err != nil {
		return fmt.Errorf("jobs: pause %s: %w", queue, err)
	}
	return nil
}

func (s *Service) ensureQueue(ctx context.Context, queue string) error {
	_, err := s.st.DB().ExecContext(ctx, `INSERT INTO river_queue (name, created_at, metadata, updated_at)
		VALUES ($1, CURRENT_TIMESTAMP, '{}', CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING`, queue)
	return err
}

// Resume lets a paused queue's jobs run again.
func (s *Service) Resume(ctx context.Context, queue string) error {
	if err := checkQueue(queue); err != nil {
		return err
	}
	err := s.client.QueueResume(ctx, queue, nil)
	if err != nil && !errors.Is(err, river.ErrNotFound) { // not recorded: not paused either
		return fmt.Errorf("jobs: resume %s: %w", queue, err)
	}
	return nil
}
