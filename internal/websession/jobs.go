package websession

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
)

// PruneArgs is the hourly job that deletes expired sessions.
type PruneArgs struct{}

// Kind names the job.
func (PruneArgs) Kind() string { return "prune_web_sessions" }

type pruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	s *Service
}

func (w *pruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	n, err := w.s.PruneExpired(ctx)
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int64{"deleted": n})
}

// RegisterJobs adds the hourly clean-up of expired sessions to reg.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	jobs.Register(reg, &pruneWorker{s: s})
	reg.Every(time.Hour, PruneArgs{})
}
