package accounts

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
)

// PruneTokensArgs is the hourly job that deletes mailed tokens (confirmation, password
// reset, e-mail change) which have expired: used or not, they can never be redeemed.
type PruneTokensArgs struct{}

// Kind names the job.
func (PruneTokensArgs) Kind() string { return "prune_user_tokens" }

type pruneTokensWorker struct {
	river.WorkerDefaults[PruneTokensArgs]
	s *Service
}

func (w *pruneTokensWorker) Work(ctx context.Context, _ *river.Job[PruneTokensArgs]) error {
	_, err := w.s.Store.Writer().DeleteStaleUserTokens(ctx, time.Now())
	return err
}

// RegisterJobs adds the hourly clean-up of expired mailed tokens to reg.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	jobs.Register(reg, &pruneTokensWorker{s: s})
	reg.Every(time.Hour, PruneTokensArgs{})
}
