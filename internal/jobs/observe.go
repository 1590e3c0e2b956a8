package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Observer hears about every job attempt this process works, for metrics. Its methods
// run on the worker's goroutine and must return quickly.
type Observer interface {
	// JobStarted: an attempt begins, waited after the job was due.
	JobStarted(queue, kind string, waited time.Duration)
	// JobFinished: an attempt ends after ran; err is nil when it succeeded.
	JobFinished(queue, kind string, ran time.Duration, err error)
}

// Observe adds an observer of every job attempt.
func (r *Registry) Observe(o Observer) {
	r.observers = append(r.observers, o)
}

// observe is the River middleware that reports attempts to the observers.
type observe struct {
	river.MiddlewareDefaults
	observers []Observer
}

func (m *observe) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	start := time.Now()
	waited := max(start.Sub(job.ScheduledAt), 0)
	for _, o := range m.observers {
		o.JobStarted(job.Queue, job.Kind, waited)
	}
	err := doInner(ctx)
	ran := time.Since(start)
	for _, o := range m.observers {
		o.JobFinished(job.Queue, job.Kind, ran, err)
	}
	return err
}
