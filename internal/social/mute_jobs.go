package social

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
)

// muteSweepInterval is how often expired mutes are deleted. They stop applying the
// moment they expire (every read checks the time); the sweep only keeps the table small.
const muteSweepInterval = 10 * time.Minute

// ExpireMutesArgs is the periodic job deleting mutes whose duration ran out.
type ExpireMutesArgs struct{}

// Kind names the job.
func (ExpireMutesArgs) Kind() string { return "expire_mutes" }

type expireMutesWorker struct {
	river.WorkerDefaults[ExpireMutesArgs]
	s *Service
}

func (w *expireMutesWorker) Work(ctx context.Context, _ *river.Job[ExpireMutesArgs]) error {
	_, err := w.s.Store.Writer().DeleteExpiredMutes(ctx, time.Now())
	return err
}

// RegisterMuteJobs adds the periodic sweep of expired mutes to reg.
func (s *Service) RegisterMuteJobs(reg *jobs.Registry) {
	jobs.Register(reg, &expireMutesWorker{s: s})
	reg.Every(muteSweepInterval, ExpireMutesArgs{})
}
