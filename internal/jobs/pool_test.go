package jobs

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// writeArgs is a job doing one small write in a transaction, and enqueueing a follow-up
// in that same transaction, as request handlers and workers do.
type writeArgs struct {
	N        int  `json:"n"`
	FollowUp bool `json:"follow_up,omitempty"`
}

func (writeArgs) Kind() string { return "test_write" }

type writeWorker struct {
	river.WorkerDefaults[writeArgs]
	st   *store.Store
	jobs func() *Service
	done atomic.Int64
}

func (w *writeWorker) Work(ctx context.Context, job *river.Job[writeArgs]) error {
	err := w.st.Tx(ctx, func(q store.Q) error {
		app := &model.App{Name: fmt.Sprintf("app-%d-%t", job.Args.N, job.Args.FollowUp), ClientID: fmt.Sprintf("c-%d-%t", job.Args.N, job.Args.FollowUp)}
		if err := q.InsertApp(ctx, app); err != nil {
			return err
		}
		if job.Args.FollowUp {
			return nil
		}
		return w.jobs().Enqueue(ctx, q, writeArgs{N: job.Args.N, FollowUp: true}, nil)
	})
	if err == nil {
		w.done.Add(1)
	}
	return err
}

// TestTinyPoolUnderLoad runs with DB_POOL=2: hundreds of jobs writing and enqueueing in
// transactions while readers query beside them must all finish, none failing.
func TestTinyPoolUnderLoad(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		cfg := testConfig(t, map[string]string{"DB_POOL": "2"})
		if PoolSize(cfg) != 2 {
			t.Fatalf("PoolSize = %d; want DB_POOL's 2", PoolSize(cfg))
		}
		st := db.open(t, PoolSize(cfg))
		var s *Service
		w := &writeWorker{st: st, jobs: func() *Service { return s }}
		reg := NewRegistry()
		Register(reg, w)
		s = startService(t, st, cfg, reg)
		ctx := context.Background()

		const jobs = 300
		stop := make(chan struct{})
		var readers sync.WaitGroup
		var readErrs atomic.Int64
		for range 4 {
			readers.Add(1)
			go func() {
				defer readers.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := st.ListLocalAccounts(ctx, 0, 20); err != nil {
						readErrs.Add(1)
					}
					if _, err := s.Stats(ctx); err != nil {
						readErrs.Add(1)
					}
				}
			}()
		}
		for i := range jobs {
			if err := s.Enqueue(ctx, st.Q, writeArgs{N: i}, &river.InsertOpts{Queue: Queues[i%len(Queues)]}); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "every job and its follow-up", func() bool { return w.done.Load() == 2*jobs })
		close(stop)
		readers.Wait()
		if n := readErrs.Load(); n > 0 {
			t.Errorf("%d reads failed", n)
		}
		for _, q := range statsOrFail(t, s) {
			if q.Retrying+q.Dead > 0 {
				t.Errorf("queue %s: %d retrying, %d dead; want none", q.Name, q.Retrying, q.Dead)
			}
		}
	})
}

func statsOrFail(t *testing.T, s *Service) []QueueStats {
	t.Helper()
	all, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}
