// Package jobs runs tusk's background work on durable queues kept in the database (River
// on SQLite or PostgreSQL): typed job arguments, their workers, retries with a dead set,
// periodic jobs run by one process at a time, and the numbers and actions of the queue
// console.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/config"
)

// The queues, with Mastodon's meanings.
const (
	Default   = "default"   // local users' work
	Push      = "push"      // deliveries to other servers
	Ingress   = "ingress"   // processing inbound activities
	Pull      = "pull"      // fetching remote objects, imports; low priority
	Mailers   = "mailers"   // outgoing mail
	Scheduler = "scheduler" // periodic jobs
)

// Queues lists every queue, in the order the console shows them.
var Queues = []string{Default, Push, Ingress, Pull, Mailers, Scheduler}

func init() {
	// config validates queue names without importing this package; keep the lists equal.
	if !slices.Equal(Queues, config.JobQueues) {
		panic("jobs: Queues and config.JobQueues differ")
	}
}

// Registry holds the workers of every job kind. Fill it with Register before New.
type Registry struct {
	workers   *river.Workers
	decoders  map[string]func([]byte) error
	periodic  []periodic
	observers []Observer
}

// periodic is a job other packages want run on a schedule (see Every).
type periodic struct {
	every time.Duration
	args  river.JobArgs
}

// Every makes the scheduler insert args into the scheduler queue once per interval, as
// the built-in periodic jobs are: by one process at a time. Its kind needs a worker in r.
func (r *Registry) Every(interval time.Duration, args river.JobArgs) {
	r.periodic = append(r.periodic, periodic{every: interval, args: args})
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{workers: river.NewWorkers(), decoders: map[string]func([]byte) error{}}
}

// Register adds the worker of one job kind. A kind registered twice panics: it is a
// wiring mistake, found at start-up.
func Register[T river.JobArgs](r *Registry, w river.Worker[T]) {
	var args T
	if _, dup := r.decoders[args.Kind()]; dup {
		panic(fmt.Sprintf("jobs: kind %q registered twice", args.Kind()))
	}
	river.AddWorker(r.workers, w)
	r.decoders[args.Kind()] = func(b []byte) error {
		var v T
		return json.Unmarshal(b, &v)
	}
}

// has reports whether a kind has a worker.
func (r *Registry) has(kind string) bool {
	_, ok := r.decoders[kind]
	return ok
}

// decodeFirst sends a job whose arguments cannot be decoded into its kind's type to the
// dead set at once. River itself would treat the decode error as an ordinary failure and
// retry it until the attempts ran out, though no retry can fix it.
type decodeFirst struct {
	river.MiddlewareDefaults
	reg *Registry
}

func (m *decodeFirst) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	if decode, ok := m.reg.decoders[job.Kind]; ok {
		if err := decode(job.EncodedArgs); err != nil {
			return river.JobCancel(fmt.Errorf("%s: undecodable payload: %w", job.Kind, err))
		}
	}
	return doInner(ctx)
}
