package jobs

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tuskhq/tusk/internal/store"
)

func TestEnqueueAndWork(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(rec))
		if err := s.Enqueue(context.Background(), st.Q, echoArgs{Key: "plain"}, nil); err != nil {
			t.Fatal(err)
		}
		err := st.Tx(context.Background(), func(q store.Q) error {
			return s.Enqueue(context.Background(), q, echoArgs{Key: "in-tx"}, &river.InsertOpts{Queue: Push})
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "both jobs to run", func() bool { return rec.count("plain") == 1 && rec.count("in-tx") == 1 })
	})
}

func TestRolledBackJobNeverRuns(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(rec))
		ctx := context.Background()
		rollback := errors.New("request failed")
		err := st.Tx(ctx, func(q store.Q) error {
			if err := s.Enqueue(ctx, q, echoArgs{Key: "rolled-back"}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("Tx = %v; want the rollback error", err)
		}
		// A job enqueued after it runs; by then the rolled-back one would have run too.
		if err := s.Enqueue(ctx, st.Q, echoArgs{Key: "after"}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the later job", func() bool { return rec.count("after") == 1 })
		if n := rec.count("rolled-back"); n != 0 {
			t.Errorf("rolled-back job ran %d times", n)
		}
		if jobs, err := s.Jobs(ctx, "", "", 100); err != nil || len(jobs) != 1 {
			t.Errorf("Jobs() = %d jobs, %v; want only the later one", len(jobs), err)
		}
	})
}

func TestRetryThenSuccess(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(rec))
		id := insert(t, s, echoArgs{Key: "flaky", Fail: 2}, nil)
		j := waitState(t, s, id, rivertype.JobStateCompleted)
		if j.Attempt != 3 || len(j.Errors) != 2 || !strings.Contains(j.Errors[0].Error, "on purpose") {
			t.Errorf("job = attempt %d, errors %v; want attempt 3 after two kept errors", j.Attempt, j.Errors)
		}
	})
}

func TestExhaustedJobGoesDead(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(&recorder{}))
		id := insert(t, s, doomedArgs{}, nil)
		j := waitState(t, s, id, rivertype.JobStateDiscarded)
		if j.Attempt != 3 || len(j.Errors) != 3 || j.Errors[2].Error != "remote server said 500" {
			t.Errorf("job = attempt %d, errors %v; want 3 attempts with their errors", j.Attempt, j.Errors)
		}
		dead, err := s.Jobs(context.Background(), Default, StateDead, 10)
		if err != nil || len(dead) != 1 || dead[0].ID != id || len(dead[0].Errors) != 3 {
			t.Fatalf("Jobs(dead) = %+v, %v; want job %d with its errors", dead, err, id)
		}
	})
}

func TestUndecodablePayloadGoesDeadAtOnce(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(rec))
		id := insert(t, s, badEchoArgs{Key: 42}, nil)
		j := waitState(t, s, id, rivertype.JobStateCancelled)
		if j.Attempt != 1 || len(j.Errors) != 1 || !strings.Contains(j.Errors[0].Error, "undecodable payload") {
			t.Errorf("job = attempt %d, errors %v; want one attempt and the decode error", j.Attempt, j.Errors)
		}
		if dead, _ := s.Jobs(context.Background(), "", StateDead, 10); len(dead) != 1 {
			t.Errorf("dead set holds %d jobs; want 1", len(dead))
		}
	})
}

// badEchoArgs has test_echo's kind but a payload its worker cannot decode.
type badEchoArgs struct {
	Key int `json:"key"`
}

func (badEchoArgs) Kind() string { return "test_echo" }

func TestNonRetryableErrorNotRetried(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := startService(t, st, testConfig(t, nil), testRegistry(rec))
		id := insert(t, s, hopelessArgs{}, nil)
		j := waitState(t, s, id, rivertype.JobStateCancelled)
		if rec.count("hopeless") != 1 || !strings.Contains(j.Errors[0].Error, "malformed") {
			t.Errorf("ran %d times, errors %v; want once, with the reason", rec.count("hopeless"), j.Errors)
		}
	})
}

func TestUniqueJobsDeduplicated(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		s := newService(t, st, testConfig(t, nil), testRegistry(rec))
		ctx := context.Background()
		opts := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
		for range 3 {
			if err := s.Enqueue(ctx, st.Q, echoArgs{Key: "once"}, opts); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Enqueue(ctx, st.Q, echoArgs{Key: "other"}, opts); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop(ctx) })
		waitFor(t, "the jobs", func() bool { return rec.count("once") >= 1 && rec.count("other") == 1 })
		if n := rec.count("once"); n != 1 {
			t.Errorf("unique job ran %d times; want 1", n)
		}
	})
}

func TestPauseAndResume(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		ctx := context.Background()
		s := newService(t, st, testConfig(t, nil), testRegistry(rec))
		// Paused before the workers start, so no worker can miss the pause.
		if err := s.Pause(ctx, Pull); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop(ctx) })
		paused := insert(t, s, echoArgs{Key: "paused"}, &river.InsertOpts{Queue: Pull})
		insert(t, s, echoArgs{Key: "free"}, nil)
		waitFor(t, "the unpaused queue's job", func() bool { return rec.count("free") == 1 })
		time.Sleep(300 * time.Millisecond)
		if rec.count("paused") != 0 {
			t.Fatal("a job of a paused queue ran")
		}
		stats := statsOf(t, s, Pull)
		if !stats.Paused || stats.Waiting != 1 {
			t.Errorf("Stats(pull) = %+v; want paused with one waiting", stats)
		}
		if err := s.Resume(ctx, Pull); err != nil {
			t.Fatal(err)
		}
		waitState(t, s, paused, rivertype.JobStateCompleted)
		if err := s.Pause(ctx, "nope"); !errors.Is(err, ErrUnknownQueue) {
			t.Errorf("Pause(nope) = %v; want ErrUnknownQueue", err)
		}
	})
}

func statsOf(t testing.TB, s *Service, queue string) QueueStats {
	t.Helper()
	all, err := s.Stats(context.Background())
	if err != nil {
		t.Fatalf("stats: %v", err)
	}
	for _, q := range all {
		if q.Name == queue {
			return q
		}
	}
	t.Fatalf("no stats for %s", queue)
	return QueueStats{}
}

func TestStatsAndConsoleActions(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		ctx := context.Background()
		cfg := testConfig(t, map[string]string{"TUSK_QUEUES": "push=7"})
		s := newService(t, st, cfg, testRegistry(rec))
		if err := s.Pause(ctx, Ingress); err != nil {
			t.Fatal(err)
		}
		if err := s.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Stop(ctx) })
		done := insert(t, s, echoArgs{Key: "done"}, &river.InsertOpts{Queue: Push})
		dead := insert(t, s, doomedArgs{}, &river.InsertOpts{Queue: Push})
		insert(t, s, echoArgs{Key: "later"}, &river.InsertOpts{Queue: Push, ScheduledAt: time.Now().Add(time.Hour)})
		insert(t, s, echoArgs{Key: "retrying", Fail: 1}, &river.InsertOpts{Queue: Push, MaxAttempts: 5})
		insert(t, s, echoArgs{Key: "w1"}, &river.InsertOpts{Queue: Ingress})
		insert(t, s, echoArgs{Key: "w2"}, &river.InsertOpts{Queue: Ingress})
		waitState(t, s, done, rivertype.JobStateCompleted)
		waitState(t, s, dead, rivertype.JobStateDiscarded)
		waitFor(t, "the flaky job's second run", func() bool { return rec.count("retrying") == 2 })

		push := statsOf(t, s, Push)
		want := QueueStats{Name: Push, Scheduled: 1, Dead: 1, DoneLastMinute: 2, DoneLastHour: 2, FailedLastHour: 1, FailedLastMinute: 1, Concurrency: 7}
		if push != want {
			t.Errorf("Stats(push) = %+v\nwant            %+v", push, want)
		}
		ingress := statsOf(t, s, Ingress)
		if ingress.Waiting != 2 || !ingress.Paused || ingress.OldestWaiting <= 0 || ingress.OldestWaiting > time.Minute {
			t.Errorf("Stats(ingress) = %+v; want 2 waiting, paused, a small age", ingress)
		}

		if n, err := s.RetryAllDead(ctx, Push); err != nil || n != 1 {
			t.Fatalf("RetryAllDead = %d, %v; want 1", n, err)
		}
		waitState(t, s, dead, rivertype.JobStateDiscarded) // one more attempt, then dead again
		if n, err := s.ClearDead(ctx, ""); err != nil || n != 1 {
			t.Fatalf("ClearDead = %d, %v; want 1", n, err)
		}
		if _, err := s.client.JobGet(ctx, dead); !errors.Is(err, ErrNotFound) {
			t.Errorf("cleared job: %v; want not found", err)
		}
		waiting, err := s.Jobs(ctx, Ingress, StateWaiting, 10)
		if err != nil || len(waiting) != 2 || waiting[0].State != StateWaiting || !strings.Contains(string(waiting[0].Args), `"w2"`) {
			t.Fatalf("Jobs(ingress, waiting) = %+v, %v", waiting, err)
		}
		if err := s.Delete(ctx, waiting[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Retry(ctx, waiting[1].ID); err != nil {
			t.Fatal(err)
		}
		if got := statsOf(t, s, Ingress).Waiting; got != 1 {
			t.Errorf("waiting after delete = %d; want 1", got)
		}
		if _, err := s.Jobs(ctx, "", "sleeping", 10); !errors.Is(err, ErrUnknownState) {
			t.Errorf("Jobs(sleeping) = %v; want ErrUnknownState", err)
		}
	})
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	b := &backoff{base: 10 * time.Second}
	for n, want := range []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second} {
		got := b.delay(n)
		if got < want*3/4 || got > want*5/4 {
			t.Errorf("delay(%d) = %s; want %s ±25%%", n, got, want)
		}
	}
	if got := b.delay(40); got > maxBackoff*5/4 {
		t.Errorf("delay(40) = %s; want at most about a day", got)
	}
}

func TestWebOnlyInsertsButWorksNothing(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		rec := &recorder{}
		st := db.open(t, 0)
		web := startService(t, st, testConfig(t, map[string]string{"TUSK_ROLE": "web"}), testRegistry(rec))
		id := insert(t, web, echoArgs{Key: "from-web"}, nil)
		time.Sleep(200 * time.Millisecond)
		if rec.count("from-web") != 0 {
			t.Fatal("a web-only process worked a job")
		}
		startService(t, db.open(t, 0), testConfig(t, map[string]string{"TUSK_ROLE": "worker", "TUSK_WORKER_QUEUES": "default"}), testRegistry(rec))
		waitState(t, web, id, rivertype.JobStateCompleted)
	})
}

// TestScheduledCleanups checks the periodic jobs' work itself.
func TestScheduledCleanups(t *testing.T) {
	engines(t, func(t *testing.T, db database) {
		st := db.open(t, 0)
		ctx := context.Background()
		seedOAuth(t, st)
		cfg := testConfig(t, map[string]string{"TUSK_SCHEDULE_CLEAN_TOKENS": "1s"})
		s := startService(t, st, cfg, NewRegistry())
		waitFor(t, "the periodic clean-up", func() bool {
			done, _ := s.Jobs(ctx, Scheduler, StateCompleted, 100)
			kinds := map[string]bool{}
			for _, j := range done {
				kinds[j.Kind] = true
			}
			return kinds[CleanOAuthArgs{}.Kind()]
		})
		var tokens, codes int
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM tokens`).Scan(&tokens)
		st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM oauth_codes`).Scan(&codes)
		if tokens != 2 || codes != 1 {
			t.Errorf("after cleanup: %d tokens, %d codes; want 2 (live, refreshable) and 1 (unexpired)", tokens, codes)
		}
	})
}
