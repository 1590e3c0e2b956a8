package jobs

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// testConfig is the default configuration with fast retries and polling, for tests.
func testConfig(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	cfg, err := loadTestConfig(env)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

func loadTestConfig(env map[string]string) (config.Config, error) {
	base := map[string]string{"TUSK_JOB_RETRY_BASE": "10ms", "TUSK_JOBS_POLL_INTERVAL": "20ms"}
	for k, v := range env {
		base[k] = v
	}
	return config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return base[k] })
}

// database names a fresh, migrated database that several stores (and processes) can open.
type database struct {
	url, path string
}

func newDatabase(t testing.TB, engine store.Engine) database {
	t.Helper()
	var db database
	if engine == store.Postgres {
		db.url = storetest.PostgresURL(t)
	} else {
		db.path = filepath.Join(t.TempDir(), "tusk.db")
	}
	st := db.open(t, 0)
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if _, err := Migrate(context.Background(), st); err != nil {
		t.Fatalf("migrate jobs: %v", err)
	}
	return db
}

func (db database) open(t testing.TB, pool int) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), db.url, db.path, store.Options{Pool: pool})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// engines runs fn on a fresh database of each engine.
func engines(t *testing.T, fn func(t *testing.T, db database)) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			fn(t, newDatabase(t, engine))
		})
	}
}

// startService builds and starts a service, stopped at the end of the test.
func startService(t testing.TB, st *store.Store, cfg config.Config, reg *Registry) *Service {
	t.Helper()
	s := newService(t, st, cfg, reg)
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return s
}

func newService(t testing.TB, st *store.Store, cfg config.Config, reg *Registry) *Service {
	t.Helper()
	s, err := New(st, cfg, slog.New(slog.DiscardHandler), reg)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	return s
}

// waitFor polls cond until it holds, failing the test after a generous bound.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jobState reads one job's row.
func jobRow(t testing.TB, s *Service, id int64) *rivertype.JobRow {
	t.Helper()
	j, err := s.client.JobGet(context.Background(), id)
	if err != nil {
		t.Fatalf("get job %d: %v", id, err)
	}
	return j
}

// insert enqueues outside any transaction and returns the job's id.
func insert(t testing.TB, s *Service, args river.JobArgs, opts *river.InsertOpts) int64 {
	t.Helper()
	res, err := s.client.Insert(context.Background(), args, opts)
	if err != nil {
		t.Fatalf("insert %s: %v", args.Kind(), err)
	}
	return res.Job.ID
}

// waitState waits until a job reaches a River state.
func waitState(t testing.TB, s *Service, id int64, want rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	var j *rivertype.JobRow
	waitFor(t, fmt.Sprintf("job %d to be %s", id, want), func() bool {
		j = jobRow(t, s, id)
		return j.State == want
	})
	return j
}

// recorder counts the runs of test jobs by key.
type recorder struct {
	mu   sync.Mutex
	runs map[string]int
}

func (r *recorder) add(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.runs == nil {
		r.runs = map[string]int{}
	}
	r.runs[key]++
	return r.runs[key]
}

func (r *recorder) count(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[key]
}

// echoArgs is a job that records its key; it fails its first Fail attempts.
type echoArgs struct {
	Key  string `json:"key"`
	Fail int    `json:"fail,omitempty"`
}

func (echoArgs) Kind() string { return "test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	rec *recorder
}

func (w *echoWorker) Work(ctx context.Context, job *river.Job[echoArgs]) error {
	n := w.rec.add(job.Args.Key)
	if n <= job.Args.Fail {
		return fmt.Errorf("failing attempt %d on purpose", n)
	}
	return nil
}

// doomedArgs always fails; its kind allows three attempts.
type doomedArgs struct{}

func (doomedArgs) Kind() string { return "test_doomed" }

func (doomedArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 3} }

type doomedWorker struct {
	river.WorkerDefaults[doomedArgs]
}

func (doomedWorker) Work(context.Context, *river.Job[doomedArgs]) error {
	return errors.New("remote server said 500")
}

// hopelessArgs fails in a way no retry can fix.
type hopelessArgs struct{}

func (hopelessArgs) Kind() string { return "test_hopeless" }

type hopelessWorker struct {
	river.WorkerDefaults[hopelessArgs]
	rec *recorder
}

func (w *hopelessWorker) Work(context.Context, *river.Job[hopelessArgs]) error {
	w.rec.add("hopeless")
	return river.JobCancel(errors.New("recipient address is malformed"))
}

// testRegistry registers the test kinds, recording into rec.
func testRegistry(rec *recorder) *Registry {
	reg := NewRegistry()
	Register(reg, &echoWorker{rec: rec})
	Register(reg, doomedWorker{})
	Register(reg, &hopelessWorker{rec: rec})
	return reg
}
