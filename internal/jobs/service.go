package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
)

// Service inserts jobs and, in a worker process, works the configured queues.
type Service struct {
	st      *store.Store
	cfg     config.JobsConfig
	log     *slog.Logger
	client  *river.Client[*sql.Tx]
	worked  []string
	started bool
}

// FetchCooldown is the shortest pause between two fetches of one queue. River's default
// (100 ms) caps a queue near ten fetches a second, which with a backlog of small jobs
// leaves workers idle; 5 ms keeps them busy (see docs/benchmarks.md, "Jobs").
const FetchCooldown = time.Millisecond

// ClientID names this process among the job clients sharing a database (River's client
// id, shown as the scheduler's leader): host, process id and start time, so an admin
// can tell which process schedules and two processes never share one.
func ClientID() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "tusk"
	}
	return fmt.Sprintf("%s_pid%d_%s", host, os.Getpid(), time.Now().UTC().Format("20060102T150405.000000"))
}

// New builds the service over an open, migrated store (see Migrate). Every kind in reg
// can be inserted; the scheduler's own kinds are added to reg here.
func New(st *store.Store, cfg config.Config, log *slog.Logger, reg *Registry) (*Service, error) {
	jc := cfg.Jobs
	if len(jc.Concurrency) == 0 {
		jc.Concurrency = config.DefaultQueueConcurrency(1)
	}
	s := &Service{st: st, cfg: jc, log: log, worked: jc.WorkedQueues()}
	registerScheduled(reg, st)
	rc := &river.Config{
		ID:                   ClientID(),
		Logger:               riverLogger(log),
		Workers:              reg.workers,
		Middleware:           []rivertype.Middleware{&observe{observers: reg.observers}, &decodeFirst{reg: reg}},
		MaxAttempts:          jc.MaxAttempts,
		RetryPolicy:          &backoff{base: jc.RetryBase},
		JobTimeout:           jc.JobTimeout,
		RescueStuckJobsAfter: jc.RescueAfter,
		FetchCooldown:        FetchCooldown,
		FetchPollInterval:    jc.PollInterval,
	}
	if len(s.worked) > 0 {
		rc.Queues = make(map[string]river.QueueConfig, len(s.worked))
		for _, q := range s.worked {
			rc.Queues[q] = river.QueueConfig{MaxWorkers: max(1, jc.Concurrency[q])}
		}
		rc.PeriodicJobs = periodicJobs(jc, reg)
	}
	client, err := river.NewClient(driver(st), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	s.client = client
	return s, nil
}

func driver(st *store.Store) riverdriver.Driver[*sql.Tx] {
	if st.Engine() == store.SQLite {
		// The store's single writer connection: SQLite allows one writer, and queueing
		// River's writes behind ours in Go avoids SQLITE_BUSY.
		return riversqlite.New(st.DB())
	}
	return riverdatabasesql.New(st.DB())
}

// riverLogger keeps River's per-job chatter (errors it retries) at debug level under
// tusk's info default, while its warnings and errors still show.
func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(&quietInfo{log.Handler()}).With("component", "jobs")
}

type quietInfo struct{ slog.Handler }

func (h *quietInfo) Handle(ctx context.Context, r slog.Record) error {
	if r.Level == slog.LevelInfo {
		r.Level = slog.LevelDebug
	}
	if !h.Handler.Enabled(ctx, r.Level) {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h *quietInfo) Enabled(context.Context, slog.Level) bool { return true }

func (h *quietInfo) WithAttrs(as []slog.Attr) slog.Handler {
	return &quietInfo{h.Handler.WithAttrs(as)}
}

func (h *quietInfo) WithGroup(name string) slog.Handler { return &quietInfo{h.Handler.WithGroup(name)} }

// Migrate applies River's own migrations (its job, leader and queue tables) and reports
// how many ran. It runs beside the store's migrations, on both engines.
func Migrate(ctx context.Context, st *store.Store) (int, error) {
	m, err := rivermigrate.New(driver(st), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return 0, fmt.Errorf("jobs: migrate: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: migrate: %w", err)
	}
	return len(res.Versions), nil
}

// Worked lists the queues this process works (none for a web-only process).
func (s *Service) Worked() []string { return s.worked }

// Start begins working the configured queues; a process that works none only inserts.
// Stopping is Stop's job: cancelling ctx does not interrupt running jobs.
func (s *Service) Start(ctx context.Context) error {
	if len(s.worked) == 0 {
		return nil
	}
	if err := s.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	s.started = true
	s.log.Info("job queues started", "queues", s.worked)
	return nil
}

// Stop stops fetching and waits for running jobs until ctx ends; then it cancels them,
// and they run again later (a cancelled job is retried, never lost).
func (s *Service) Stop(ctx context.Context) error {
	if !s.started {
		return nil
	}
	err := s.client.Stop(ctx)
	if err == nil {
		return nil
	}
	hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err2 := s.client.StopAndCancel(hard); err2 != nil {
		return fmt.Errorf("jobs: stop: %w", errors.Join(err, err2))
	}
	return nil
}

// Enqueue inserts a job. When q runs inside Store.Tx the job is inserted in that
// transaction, so it exists exactly when the change that caused it commits.
func (s *Service) Enqueue(ctx context.Context, q store.Q, args river.JobArgs, opts *river.InsertOpts) error {
	var err error
	if tx := q.SQLTx(); tx != nil {
		_, err = s.client.InsertTx(ctx, tx, args, opts)
	} else {
		_, err = s.client.Insert(ctx, args, opts)
	}
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueMany inserts many jobs in one batch, in q's transaction when it has one.
func (s *Service) EnqueueMany(ctx context.Context, q store.Q, params []river.InsertManyParams) error {
	var err error
	if tx := q.SQLTx(); tx != nil {
		_, err = s.client.InsertManyFastTx(ctx, tx, params)
	} else {
		_, err = s.client.InsertManyFast(ctx, params)
	}
	if err != nil {
		return fmt.Errorf("jobs: enqueue %d jobs: %w", len(params), err)
	}
	return nil
}

// backoff retries after base, 2·base, 4·base … (capped at a day), each ±25 % at random
// so that jobs failing together (a server that went down) do not retry together.
type backoff struct{ base time.Duration }

const maxBackoff = 24 * time.Hour

func (b *backoff) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(b.delay(max(len(job.Errors), 0)))
}

// delay is the wait after the failure numbered n (0 for the first).
func (b *backoff) delay(n int) time.Duration {
	d := b.base
	for i := 0; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}
