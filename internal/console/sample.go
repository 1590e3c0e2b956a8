package console

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
)

// HistoryWindow is how long queue samples are kept.
const HistoryWindow = 24 * time.Hour

// Sample records every queue's numbers for the minute holding at, and deletes samples
// older than HistoryWindow. Sampling twice in one minute keeps the later numbers.
func (s *Service) Sample(ctx context.Context, at time.Time) error {
	stats, err := s.Queues.Stats(ctx)
	if err != nil {
		return fmt.Errorf("console: sample: %w", err)
	}
	minute := at.UTC().Truncate(time.Minute)
	samples := make([]store.QueueSample, 0, len(stats))
	for _, q := range stats {
		samples = append(samples, store.QueueSample{Queue: q.Name, Minute: minute, Depth: Depth(q),
			Running: q.Running, Completed: q.DoneLastMinute, Failed: q.FailedLastMinute})
	}
	return s.Store.Tx(ctx, func(tx store.Q) error {
		if err := tx.SaveQueueSamples(ctx, samples); err != nil {
			return err
		}
		_, err := tx.PruneQueueSamples(ctx, minute.Add(-HistoryWindow))
		return err
	})
}

// Series is one queue's samples, oldest first.
type Series struct {
	Queue   string
	Samples []store.QueueSample
}

// History is the samples of every queue over a window ending now.
type History struct {
	Since, Until time.Time
	Queues       []Series
}

// History returns the last hours (1 to 24) of samples of every known queue; a queue
// without samples has an empty series.
func (s *Service) History(ctx context.Context, hours int) (History, error) {
	hours = min(max(hours, 1), int(HistoryWindow/time.Hour))
	until := now()
	h := History{Since: until.Add(-time.Duration(hours) * time.Hour), Until: until}
	samples, err := s.Store.QueueSamples(ctx, h.Since)
	if err != nil {
		return h, fmt.Errorf("console: history: %w", err)
	}
	byQueue := map[string][]store.QueueSample{}
	for _, sm := range samples {
		byQueue[sm.Queue] = append(byQueue[sm.Queue], sm)
	}
	for _, name := range jobs.Queues {
		h.Queues = append(h.Queues, Series{Queue: name, Samples: byQueue[name]})
	}
	return h, nil
}

// SampleArgs is the job, run each minute by the scheduler, that records the samples.
type SampleArgs struct{}

// Kind names the job.
func (SampleArgs) Kind() string { return "sample_queues" }

type sampleWorker struct {
	river.WorkerDefaults[SampleArgs]
	s *Service
}

func (w *sampleWorker) Work(ctx context.Context, _ *river.Job[SampleArgs]) error {
	return w.s.Sample(ctx, time.Now())
}

// RegisterJobs adds the sampling job to reg; the scheduler runs it every minute on one
// process at a time.
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	jobs.Register(reg, &sampleWorker{s: s})
	reg.Every(time.Minute, SampleArgs{})
}
