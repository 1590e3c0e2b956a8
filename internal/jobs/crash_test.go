package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/store"
)

// The child worker process of TestCrashedJobRunsAgain: the test binary re-executed with
// these variables set, so the kill is of a real process holding a real job.
const (
	envChild       = "TUSK_JOBS_TEST_CHILD"
	envChildURL    = "TUSK_JOBS_TEST_CHILD_URL"
	envChildSQLite = "TUSK_JOBS_TEST_CHILD_SQLITE"
)

// blockArgs blocks in the child until it is killed; anywhere else it completes.
type blockArgs struct{}

func (blockArgs) Kind() string { return "test_block" }

type blockWorker struct {
	river.WorkerDefaults[blockArgs]
	block bool
	done  chan struct{}
}

func (w *blockWorker) Work(ctx context.Context, _ *river.Job[blockArgs]) error {
	if w.block {
		<-ctx.Done()
		return ctx.Err()
	}
	close(w.done)
	return nil
}

func runChild() int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv(envChildURL), os.Getenv(envChildSQLite), store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	cfg, err := loadTestConfig(map[string]string{"TUSK_JOB_TIMEOUT": "10m"})
	reg := NewRegistry()
	Register(reg, &blockWorker{block: true})
	var s *Service
	if err == nil {
		s, err = New(st, cfg, slog.New(slog.DiscardHandler), reg)
	}
	if err == nil {
		err = s.Start(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	select {} // until killed
}

func TestCrashedJobRunsAgain(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		st := db.open(t, 0)
		cfg := testConfig(t, map[string]string{"TUSK_JOB_TIMEOUT": "1s", "TUSK_JOB_RESCUE_AFTER": "2s"})
		done := make(chan struct{})
		reg := NewRegistry()
		Register(reg, &blockWorker{done: done})
		s := newService(t, st, cfg, reg)
		id := insert(t, s, blockArgs{}, nil)

		child := exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), envChild+"=1", envChildURL+"="+db.url, envChildSQLite+"="+db.path)
		child.Stderr = os.Stderr
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { child.Process.Kill(); child.Wait() })
		j := waitState(t, s, id, rivertype.JobStateRunning)
		if err := child.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		child.Wait()

		// The job is still marked running by a process that no longer exists; once it has
		// been running longer than RescueAfter, a live worker's leader makes it run again.
		time.Sleep(time.Until(j.AttemptedAt.Add(cfg.Jobs.RescueAfter + 100*time.Millisecond)))
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop(context.Background()) })
		select {
		case <-done:
		case <-time.After(60 * time.Second): // the dead child's leadership must expire first
			t.Fatalf("the killed job did not run again; it is %s", jobRow(t, s, id).State)
		}
		j = waitState(t, s, id, rivertype.JobStateCompleted)
		if j.Attempt != 2 {
			t.Errorf("attempt = %d; want 2 (the killed one, then the rescue)", j.Attempt)
		}
	})
}

// TestSchedulerRunsOncePerInterval starts two workers on one database, as two processes
// would be, with a one-second periodic job: it must run once a second, not twice.
func TestSchedulerRunsOncePerInterval(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		cfg := testConfig(t, map[string]string{"TUSK_SCHEDULE_CLEAN_TOKENS": "1s"})
		a := startService(t, db.open(t, 0), cfg, NewRegistry())
		startService(t, db.open(t, 0), cfg, NewRegistry())
		start := time.Now()
		var runs []time.Time
		waitFor(t, "three runs of the periodic job", func() bool {
			runs = scheduledRuns(t, a, CleanOAuthArgs{}.Kind())
			return len(runs) >= 3
		})
		elapsed := time.Since(start)
		if max := int(elapsed/time.Second) + 2; len(runs) > max {
			t.Fatalf("%d runs in %s; want at most %d", len(runs), elapsed, max)
		}
		for i := 1; i < len(runs); i++ {
			if gap := runs[i].Sub(runs[i-1]); gap < 500*time.Millisecond {
				t.Errorf("runs %d and %d were %s apart: two processes ran the job", i-1, i, gap)
			}
		}
	})
}

// scheduledRuns lists the creation times of a periodic kind's jobs, oldest first.
func scheduledRuns(t *testing.T, s *Service, kind string) []time.Time {
	t.Helper()
	res, err := s.client.JobList(context.Background(), river.NewJobListParams().Kinds(kind).First(1000).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc))
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Time
	for _, j := range res.Jobs {
		out = append(out, j.CreatedAt)
	}
	return out
}
