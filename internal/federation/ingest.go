package federation

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
)

// activityRetention is how long an inbound activity id is remembered: senders retry
// for about a day and a half, so a week covers every retry with room to spare.
const activityRetention = 7 * 24 * time.Hour

// IngressArgs is one verified inbound activity. The signature was checked when it was
// received; the job trusts ActorID as the activity's verified actor.
type IngressArgs struct {
	ActorID int64  `json:"actor_id,string"`
	Body    string `json:"body"`
}

// Kind names the job.
func (IngressArgs) Kind() string { return "federation_ingress" }

// InsertOpts puts inbound work on the ingress queue.
func (IngressArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Ingress, MaxAttempts: 8}
}

// FetchThreadArgs asks for a missing parent of a remote status to be fetched.
type FetchThreadArgs struct {
	URI   string `json:"uri"`
	Depth int    `json:"depth"` // ancestors fetched so far; the chain stops at maxThreadDepth
}

// Kind names the job.
func (FetchThreadArgs) Kind() string { return "federation_fetch_thread" }

// InsertOpts puts thread completion on the low-priority pull queue.
func (FetchThreadArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Pull, MaxAttempts: 3}
}

// SweepActivitiesArgs forgets old inbound activity ids.
type SweepActivitiesArgs struct{}

// Kind names the job.
func (SweepActivitiesArgs) Kind() string { return "federation_sweep_activities" }

// InsertOpts puts the sweep on the scheduler queue.
func (SweepActivitiesArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.Scheduler}
}

type ingressWorker struct {
	river.WorkerDefaults[IngressArgs]
	s *Service
}

func (w *ingressWorker) Work(ctx context.Context, job *river.Job[IngressArgs]) error {
	err := w.s.Process(ctx, job.Args.ActorID, []byte(job.Args.Body))
	if errors.Is(err, errRefused) {
		w.s.Log.InfoContext(ctx, "federation: inbound activity refused", "actor", job.Args.ActorID, "err", err)
		return nil // retrying a refusal gives the same answer
	}
	return err
}

type fetchThreadWorker struct {
	river.WorkerDefaults[FetchThreadArgs]
	s *Service
}

func (w *fetchThreadWorker) Work(ctx context.Context, job *river.Job[FetchThreadArgs]) error {
	_, err := w.s.fetchStatus(ctx, job.Args.URI, job.Args.Depth)
	if errors.Is(err, errRefused) {
		return nil
	}
	return err
}

type sweepActivitiesWorker struct {
	river.WorkerDefaults[SweepActivitiesArgs]
	s *Service
}

func (w *sweepActivitiesWorker) Work(ctx context.Context, _ *river.Job[SweepActivitiesArgs]) error {
	_, err := w.s.Store.Writer().ForgetActivitiesBefore(ctx, w.s.now().Add(-activityRetention))
	return err
}

// registerInboundJobs adds the workers of inbound processing and fetching.
func (s *Service) registerInboundJobs(reg *jobs.Registry) {
	jobs.Register(reg, &ingressWorker{s: s})
	jobs.Register(reg, &ingressBatchWorker{s: s})
	jobs.Register(reg, &fetchThreadWorker{s: s})
	jobs.Register(reg, &sweepActivitiesWorker{s: s})
	reg.Every(6*time.Hour, SweepActivitiesArgs{})
}

// enqueue queues a job outside any transaction; without a queue (tests of other
// packages) the work is skipped.
func (s *Service) enqueue(ctx context.Context, args river.JobArgs) error {
	if s.Jobs == nil {
		return nil
	}
	return s.Jobs.Enqueue(ctx, s.Store.Q, args, nil)
}
