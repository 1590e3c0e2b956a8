package fedsim

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// fastTiming keeps the behaviours but shrinks the waits, so the test checks
// correctness in seconds; timing is the benchmark's business. The 5 s time-out stays
// well above a healthy answer even under the race detector: a healthy host that timed
// out would be sent the activity again, and rightly so (delivery is at least once).
var fastTiming = Timing{HealthyMin: time.Millisecond, HealthyMax: 5 * time.Millisecond,
	SlowMin: 100 * time.Millisecond, SlowMax: 300 * time.Millisecond, FlakyRate: 0.3}

// TestSimulatedFediverse runs 50 fake servers of every behaviour against each source:
// a whole tusk, which the fake actors follow with signed Follows and whose poster posts
// through the client API, and the direct queue. Every healthy host must get every
// activity exactly once, validly signed, and the attempts on healthy hosts must be one
// per activity and host.
func TestSimulatedFediverse(t *testing.T) {
	t.Parallel()
	for _, source := range []string{FromInstance, Direct} {
		t.Run(source, func(t *testing.T) {
			t.Parallel()
			storetest.Engines(t, func(t *testing.T, st *store.Store) {
				t.Parallel()
				checkSimulation(t, st, source)
			})
		})
	}
}

func checkSimulation(t *testing.T, st *store.Store, source string) {
	o := Options{Source: source, Hosts: 50, Mix: Mix{Dead: 0.1, BlackHole: 0.1, Slow: 0.1, Flaky: 0.1, Gone: 0.1},
		Timing: fastTiming, Backlog: 3, Posts: 2, Connect: time.Second, Timeout: 5 * time.Second, Seed: 7, KeyPool: 4,
		Policy: delivery.Policy{Workers: 64, CoolOff: time.Minute, RetryBase: 20 * time.Millisecond, Poll: 10 * time.Millisecond}}
	rep, err := Bench(context.Background(), st, o)
	if err != nil {
		t.Fatal(err)
	}
	sc := rep.Scenarios[0]
	if sc.Duplicates != 0 || sc.Missing != 0 {
		t.Errorf("healthy hosts: %d activities received twice, %d never; want 0 and 0", sc.Duplicates, sc.Missing)
	}
	if sc.BadSigs != 0 {
		t.Errorf("%d deliveries had signatures the fake servers refused", sc.BadSigs)
	}
	if source == FromInstance && sc.Followers != o.Hosts {
		t.Errorf("%d follows accepted; want one per host, %d", sc.Followers, o.Hosts)
	}
	if len(sc.Posts) != o.Posts {
		t.Errorf("measured %d posts; want %d", len(sc.Posts), o.Posts)
	}
	if sc.Hosts[Healthy] != 25 || sc.Hosts[Dead] != 5 || sc.Hosts[BlackHole] != 5 {
		t.Errorf("hosts per behaviour = %v; want 25 healthy, 5 dead, 5 black holes", sc.Hosts)
	}
	if sc.Attempts[Healthy] != int64(25*(o.Backlog+o.Posts)) {
		t.Errorf("attempts on healthy hosts = %d; want one per activity and host, %d", sc.Attempts[Healthy], 25*(o.Backlog+o.Posts))
	}
	if rep.Mastodon.DrainHealthy <= 0 {
		t.Errorf("Mastodon estimate drain = %v; want a positive time", rep.Mastodon.DrainHealthy)
	}
}

func TestAssignRefusesOverfullMix(t *testing.T) {
	t.Parallel()
	if _, err := assign(10, Mix{Dead: 0.7, Slow: 0.5}, 1); err == nil {
		t.Error("assign with shares adding to 1.2 succeeded; want an error")
	}
	kinds, err := assign(10, Mix{Dead: 0.2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range kinds {
		if k == Dead {
			n++
		}
	}
	if n != 2 {
		t.Errorf("assign(10, 20%% dead) made %d dead hosts; want 2", n)
	}
}
