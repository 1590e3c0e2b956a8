package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
)

// BenchOptions size the queue benchmark.
type BenchOptions struct {
	Jobs       int       // jobs per throughput phase
	Backlog    int       // no-op push jobs waiting before the workers start
	Progress   io.Writer // phase names as they start; nil for none
	ProfileDir string    // a CPU profile per phase, when set
}

// BenchRow is one measured phase.
type BenchRow struct {
	Phase     string        `json:"phase"`
	Jobs      int           `json:"jobs"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	PerSecond float64       `json:"per_second"`
}

// BenchResult is the whole run.
type BenchResult struct {
	Engine      string         `json:"engine"`
	CPUs        int            `json:"cpus"`
	Concurrency map[string]int `json:"concurrency"`
	Rows        []BenchRow     `json:"rows"`
}

// benchNoop does nothing: it measures the queue itself.
type benchNoop struct{}

func (benchNoop) Kind() string { return "bench_noop" }

// benchWrite does one small write: a home feed entry, as fan-out writes them.
type benchWrite struct {
	N int64 `json:"n"`
}

func (benchWrite) Kind() string { return "bench_write" }

type benchCounter struct{ n atomic.Int64 }

type noopWorker struct {
	river.WorkerDefaults[benchNoop]
	c *benchCounter
}

func (w *noopWorker) Work(context.Context, *river.Job[benchNoop]) error {
	w.c.n.Add(1)
	return nil
}

type writeBenchWorker struct {
	river.WorkerDefaults[benchWrite]
	st *store.Store
	c  *benchCounter
}

func (w *writeBenchWorker) Work(ctx context.Context, job *river.Job[benchWrite]) error {
	if _, err := w.st.Writer().EnsureTag(ctx, fmt.Sprintf("bench%d", job.Args.N)); err != nil {
		return err
	}
	w.c.n.Add(1)
	return nil
}

// Bench measures enqueueing and working jobs on an empty, migrated store with cfg's
// queue concurrency. It writes only bench rows (jobs, and hashtags named bench<N>).
func Bench(ctx context.Context, st *store.Store, cfg config.Config, o BenchOptions) (*BenchResult, error) {
	b := &bench{st: st, cfg: cfg, o: o, counter: &benchCounter{}}
	b.reg = NewRegistry()
	Register(b.reg, &noopWorker{c: b.counter})
	Register(b.reg, &writeBenchWorker{st: st, c: b.counter})
	res := &BenchResult{Engine: string(st.Engine()), CPUs: runtimeCPUs(), Concurrency: cfg.Jobs.Concurrency}
	phases := []struct {
		name string
		run  func(context.Context) (int, error)
	}{
		{"enqueue no-op, one insert per call", b.enqueueSingly},
		{"enqueue no-op, batches of 1,000", b.enqueueBatched},
		{"complete no-op (default queue)", b.completeFn(Default, benchNoop{}, o.Jobs)},
		{"complete one small write (default queue)", b.completeFn(Default, nil, o.Jobs)},
		{"enqueue and complete at once, no-op", b.enqueueWhileWorking},
		{fmt.Sprintf("drain a backlog of %d no-op push jobs", o.Backlog), b.completeFn(Push, benchNoop{}, o.Backlog)},
	}
	for i, p := range phases {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "bench jobs: %s…\n", p.name)
		}
		row, err := b.measure(ctx, i, p.name, p.run)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", p.name, err)
		}
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

type bench struct {
	st      *store.Store
	cfg     config.Config
	o       BenchOptions
	reg     *Registry
	counter *benchCounter
}

// measure clears the job table, then times one phase (under a CPU profile if asked).
func (b *bench) measure(ctx context.Context, i int, name string, run func(context.Context) (int, error)) (BenchRow, error) {
	if _, err := b.st.DB().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
		return BenchRow{}, err
	}
	b.counter.n.Store(0)
	if b.o.ProfileDir != "" {
		f, err := os.Create(filepath.Join(b.o.ProfileDir, fmt.Sprintf("jobs-%s-%d.pprof", b.st.Engine(), i)))
		if err != nil {
			return BenchRow{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return BenchRow{}, err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	n, err := run(ctx)
	elapsed := time.Since(start)
	return BenchRow{Phase: name, Jobs: n, Elapsed: elapsed, PerSecond: float64(n) / elapsed.Seconds()}, err
}

func (b *bench) service(role string) (*Service, error) {
	cfg := b.cfg
	cfg.Jobs.Worker = role == "worker"
	cfg.Jobs.Web = !cfg.Jobs.Worker
	cfg.Jobs.CleanTokensEvery = 0
	return New(b.st, cfg, slog.New(slog.DiscardHandler), b.reg)
}

func (b *bench) enqueueSingly(ctx context.Context) (int, error) {
	s, err := b.service("web")
	if err != nil {
		return 0, err
	}
	n := b.o.Jobs / 4
	for range n {
		if err := s.Enqueue(ctx, b.st.Q, benchNoop{}, nil); err != nil {
			return 0, err
		}
	}
	return n, nil
}

func (b *bench) enqueueBatched(ctx context.Context) (int, error) {
	s, err := b.service("web")
	if err != nil {
		return 0, err
	}
	return b.o.Jobs, b.insertBatches(ctx, s, Default, benchNoop{}, b.o.Jobs)
}

// insertBatches inserts n jobs (no-op, or writes when args is nil) in batches of 1,000.
func (b *bench) insertBatches(ctx context.Context, s *Service, queue string, args river.JobArgs, n int) error {
	for start := 0; start < n; start += 1000 {
		batch := make([]river.InsertManyParams, 0, 1000)
		for i := start; i < min(start+1000, n); i++ {
			a := args
			if a == nil {
				a = benchWrite{N: int64(i + 1)}
			}
			batch = append(batch, river.InsertManyParams{Args: a, InsertOpts: &river.InsertOpts{Queue: queue}})
		}
		if err := s.EnqueueMany(ctx, b.st.Q, batch); err != nil {
			return err
		}
	}
	return nil
}

// completeFn inserts n jobs with no worker running, then times starting the workers
// until every job is recorded completed.
func (b *bench) completeFn(queue string, args river.JobArgs, n int) func(context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		web, err := b.service("web")
		if err != nil {
			return 0, err
		}
		if err := b.insertBatches(ctx, web, queue, args, n); err != nil {
			return 0, err
		}
		return n, b.work(ctx, n, nil)
	}
}

// enqueueWhileWorking inserts jobs one call at a time while the workers run.
func (b *bench) enqueueWhileWorking(ctx context.Context) (int, error) {
	web, err := b.service("web")
	if err != nil {
		return 0, err
	}
	n := b.o.Jobs / 4
	return n, b.work(ctx, n, func() error {
		for range n {
			if err := web.Enqueue(ctx, b.st.Q, benchNoop{}, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// work starts a worker, runs produce (if any) beside it, and waits until n jobs are done.
func (b *bench) work(ctx context.Context, n int, produce func() error) error {
	w, err := b.service("worker")
	if err != nil {
		return err
	}
	if err := w.Start(ctx); err != nil {
		return err
	}
	defer w.Stop(ctx)
	if produce != nil {
		if err := produce(); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(5 * time.Minute)
	for b.counter.n.Load() < int64(n) {
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d jobs ran in 5 minutes", b.counter.n.Load(), n)
		}
		time.Sleep(2 * time.Millisecond)
	}
	for {
		var done int
		if err := b.st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE state = 'completed'`).Scan(&done); err != nil {
			return err
		}
		if done >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d jobs recorded completed in 5 minutes", done, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// WriteTable prints the result for people.
func (r *BenchResult) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "engine %s, %d CPUs, concurrency %v\n\n", r.Engine, r.CPUs, r.Concurrency)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tjobs\tseconds\tjobs/s\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.0f\t\n", row.Phase, row.Jobs, row.Elapsed.Seconds(), row.PerSecond)
	}
	return tw.Flush()
}

func runtimeCPUs() int { return runtime.GOMAXPROCS(0) }
