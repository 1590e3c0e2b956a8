package social

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
)

// Enqueuer inserts a job, inside q's transaction when q is one (jobs.Service does).
type Enqueuer interface {
	Enqueue(ctx context.Context, q store.Q, args river.JobArgs, opts *river.InsertOpts) error
}

// ClosePollArgs is the job scheduled at a poll's end. Ids travel as strings: they pass
// 2⁵³, which River's PostgreSQL driver would round.
type ClosePollArgs struct {
	PollID int64 `json:"poll_id,string"`
}

// Kind names the job.
func (ClosePollArgs) Kind() string { return "close_poll" }

// PublishScheduledArgs is the job scheduled at a scheduled status's time.
type PublishScheduledArgs struct {
	ID int64 `json:"id,string"`
}

// Kind names the job.
func (PublishScheduledArgs) Kind() string { return "publish_scheduled_status" }

type closePollWorker struct {
	river.WorkerDefaults[ClosePollArgs]
	s *Service
}

func (w *closePollWorker) Work(ctx context.Context, job *river.Job[ClosePollArgs]) error {
	return w.s.ClosePoll(ctx, job.Args.PollID)
}

type publishScheduledWorker struct {
	river.WorkerDefaults[PublishScheduledArgs]
	s *Service
}

func (w *publishScheduledWorker) Work(ctx context.Context, job *river.Job[PublishScheduledArgs]) error {
	return w.s.PublishScheduled(ctx, job.Args.ID)
}

// RegisterJobs adds the workers of the jobs the statuses features schedule.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	jobs.Register(reg, &closePollWorker{s: s})
	jobs.Register(reg, &publishScheduledWorker{s: s})
}
