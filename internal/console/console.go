// Package console is the queue console, the admin's view of tusk's background work:
// the numbers of every queue, the jobs that failed, the actions that steer them, and a
// 24-hour history sampled each minute. It serves them as an admin-only JSON API and
// web page; the CLI (internal/admin) calls the same Service.
package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/websession"
)

// Queues is the part of the job service the console reads and steers.
type Queues interface {
	Stats(ctx context.Context) ([]QueueStats, error)
	Jobs(ctx context.Context, queue, state string, limit int) ([]JobInfo, error)
	Retry(ctx context.Context, id int64) error
	RetryAllDead(ctx context.Context, queue string) (int, error)
	Delete(ctx context.Context, id int64) error
	ClearDead(ctx context.Context, queue string) (int, error)
	Pause(ctx context.Context, queue string) error
	Resume(ctx context.Context, queue string) error
}

// States are the job states the console lists jobs by.
var States = []string{jobs.StateWaiting, jobs.StateRunning, jobs.StateScheduled, jobs.StateRetrying,
	jobs.StateDead, jobs.StateCompleted}

// ErrUnknownQueue and ErrUnknownState reject names that are not tusk's.
var (
	ErrUnknownQueue = jobs.ErrUnknownQueue
	ErrUnknownState = jobs.ErrUnknownState
)

// Service answers the console's questions over the job service and the store.
type Service struct {
	Queues Queues
	Store  *store.Store
	Config config.Config
	Log    *slog.Logger
	// Sessions signs admins in to the web page.
	Sessions *websession.Service
	// Delivery, when set, serves the per-host delivery API and page (/admin/federation).
	Delivery *delivery.Service
}

// IsAdmin reports whether u may use the console: Admins and the Owner.
func IsAdmin(u *model.User) bool {
	return u != nil && (u.Role == model.RoleAdmin || u.Role == model.RoleOwner)
}

// CheckQueue returns ErrUnknownQueue for a name that is not one of tusk's queues.
// An empty name means every queue and is accepted.
func CheckQueue(name string) error {
	if name == "" || slices.Contains(jobs.Queues, name) {
		return nil
	}
	return fmt.Errorf("%w %q (queues: %v)", ErrUnknownQueue, name, jobs.Queues)
}

// CheckState returns ErrUnknownState for a state the console cannot list.
func CheckState(state string) error {
	if state == "" || slices.Contains(States, state) {
		return nil
	}
	return fmt.Errorf("%w %q (states: %v)", ErrUnknownState, state, States)
}

// Stats returns the numbers of every queue.
func (s *Service) Stats(ctx context.Context) ([]QueueStats, error) {
	st, err := s.Queues.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("console: stats: %w", err)
	}
	return st, nil
}

// Jobs lists up to limit jobs of queue ("" for all) in state ("" for failed ones:
// retrying and dead), newest first as the job service orders them.
func (s *Service) Jobs(ctx context.Context, queue, state string, limit int) ([]JobInfo, error) {
	if err := errors.Join(CheckQueue(queue), CheckState(state)); err != nil {
		return nil, err
	}
	limit = min(max(limit, 1), 500)
	if state != "" {
		return s.Queues.Jobs(ctx, queue, state, limit)
	}
	var out []JobInfo
	for _, st := range []string{jobs.StateDead, jobs.StateRetrying} {
		js, err := s.Queues.Jobs(ctx, queue, st, limit)
		if err != nil {
			return nil, fmt.Errorf("console: jobs: %w", err)
		}
		out = append(out, js...)
	}
	return out, nil
}

// Retry runs a job again now.
func (s *Service) Retry(ctx context.Context, id int64) error { return s.Queues.Retry(ctx, id) }

// Delete removes a job that is not running.
func (s *Service) Delete(ctx context.Context, id int64) error { return s.Queues.Delete(ctx, id) }

// RetryDead runs every dead job of queue ("" for all) again and says how many.
func (s *Service) RetryDead(ctx context.Context, queue string) (int, error) {
	if err := CheckQueue(queue); err != nil {
		return 0, err
	}
	return s.Queues.RetryAllDead(ctx, queue)
}

// ClearDead deletes every dead job of queue ("" for all) and says how many.
func (s *Service) ClearDead(ctx context.Context, queue string) (int, error) {
	if err := CheckQueue(queue); err != nil {
		return 0, err
	}
	return s.Queues.ClearDead(ctx, queue)
}

// Pause stops every process from starting jobs of queue; running ones finish.
func (s *Service) Pause(ctx context.Context, queue string) error {
	if err := requireQueue(queue); err != nil {
		return err
	}
	return queueAction(s.Queues.Pause(ctx, queue))
}

// Resume lets a paused queue run again.
func (s *Service) Resume(ctx context.Context, queue string) error {
	if err := requireQueue(queue); err != nil {
		return err
	}
	return queueAction(s.Queues.Resume(ctx, queue))
}

func queueAction(err error) error {
	if errors.Is(err, jobs.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrQueueNotStarted, err)
	}
	return err
}

func requireQueue(queue string) error {
	if queue == "" {
		return fmt.Errorf("%w: a queue name is required", ErrUnknownQueue)
	}
	return CheckQueue(queue)
}

// Depth is what waits to run: waiting, scheduled and retrying jobs.
func Depth(q QueueStats) int64 { return q.Waiting + q.Scheduled + q.Retrying }

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// now is time.Now, in UTC, truncated to the second.
func now() time.Time { return time.Now().UTC().Truncate(time.Second) }

// ErrQueueNotStarted: River keeps a queue's pause flag in a row it creates when a
// worker first works the queue; before that the queue can be neither paused nor resumed.
var ErrQueueNotStarted = errors.New("console: no process has worked this queue yet")
