package social

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
)

// RefreshTrendsArgs is the periodic job that recomputes the trends.
type RefreshTrendsArgs struct{}

// Kind names the job.
func (RefreshTrendsArgs) Kind() string { return "refresh_trends" }

type refreshTrendsWorker struct {
	river.WorkerDefaults[RefreshTrendsArgs]
	s *Service
}

func (w *refreshTrendsWorker) Work(ctx context.Context, _ *river.Job[RefreshTrendsArgs]) error {
	return w.s.RefreshTrends(ctx, time.Now())
}

// RegisterDiscoveryJobs adds the discovery jobs to reg: the periodic trends refresh.
func (s *Service) RegisterDiscoveryJobs(reg *jobs.Registry) {
	jobs.Register(reg, &refreshTrendsWorker{s: s})
	reg.Every(trendsRefreshEvery, RefreshTrendsArgs{})
}
