package federation_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

// Concurrent deliveries share group commits and batch jobs: each is answered 202 once
// queued, each distinct activity is stored once, and copies of one activity sent at the
// same moment (possibly in one batch) are taken in once.
func TestConcurrentDeliveriesAreEachTakenInOnce(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		deliver(t, in, alice, alice.Activity("Create", "/notes/0/activity", alice.Note("/notes/0", "first"))) // alice is known
		var activities []map[string]any
		for i := 1; i <= 15; i++ {
			path := fmt.Sprintf("/notes/%d", i)
			activities = append(activities, alice.Activity("Create", path+"/activity", alice.Note(path, "note")))
		}
		repeated := alice.Activity("Create", "/notes/99/activity", alice.Note("/notes/99", "sent five times"))
		for range 5 {
			activities = append(activities, repeated)
		}
		var wg sync.WaitGroup
		for _, a := range activities {
			wg.Go(func() {
				if resp := alice.Post(t, in.URL+"/inbox", a); resp.Status != 202 {
					t.Errorf("delivery: status %d %s; want 202", resp.Status, resp.Body)
				}
			})
		}
		wg.Wait()
		waitIdle(t, in)
		t.Logf("batch jobs: %d", count(t, in, `SELECT COUNT(*) FROM river_job WHERE kind = 'federation_ingress_batch'`))
		if n := count(t, in, `SELECT COUNT(*) FROM statuses WHERE local = FALSE`); n != 17 {
			t.Errorf("remote statuses = %d; want 17", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM inbox_activities`); n != 17 {
			t.Errorf("activities remembered = %d; want 17", n)
		}
	})
}
