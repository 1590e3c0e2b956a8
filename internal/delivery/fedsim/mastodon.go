package fedsim

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// The Mastodon-style pool the issue compares with: a fixed pool of workers taking
// deliveries first come first served, each attempt bounded by a 10 s connect and a 30 s
// read deadline, and a per-host breaker that fails attempts at once after 10 failures.
const (
	MastodonWorkers          = 20
	mastodonReadDeadline     = 30 * time.Second
	mastodonBreakerThreshold = 10
)

// MastodonEstimate is what that pool spends on the same scenario, computed by replaying
// the same hosts and queue through a model of it (an event simulation; nothing is sent).
type MastodonEstimate struct {
	Workers      int
	DrainHealthy time.Duration               // until every healthy host had every queued activity
	Post         time.Duration               // a new post afterwards, the queue otherwise empty
	WorkerTime   map[Behaviour]time.Duration // over the drain
	Attempts     map[Behaviour]int64
}

// BadShare is the share of worker time spent on dead and black-hole hosts.
func (m MastodonEstimate) BadShare() float64 {
	var total, bad time.Duration
	for b, d := range m.WorkerTime {
		total += d
		if b == Dead || b == BlackHole {
			bad += d
		}
	}
	if total == 0 {
		return 0
	}
	return float64(bad) / float64(total)
}

// EstimateMastodon replays activities × hosts (activity by activity, as fan-out queues
// them) through the modelled pool.
func EstimateMastodon(kinds []Behaviour, activities int, t Timing, seed uint64) MastodonEstimate {
	r := rand.New(rand.NewPCG(seed, 0x3a5))
	est := MastodonEstimate{Workers: MastodonWorkers, WorkerTime: map[Behaviour]time.Duration{}, Attempts: map[Behaviour]int64{}}
	failures := make([]int, len(kinds))
	pool := newPool(MastodonWorkers)
	for range activities {
		for i, b := range kinds {
			cost, ok := mastodonAttempt(b, failures[i] >= mastodonBreakerThreshold, t, r)
			end := pool.run(cost)
			est.WorkerTime[b] += cost
			est.Attempts[b]++
			if !ok {
				failures[i]++
			}
			if b == Healthy {
				est.DrainHealthy = max(est.DrainHealthy, end)
			}
		}
	}
	post := newPool(MastodonWorkers)
	for i, b := range kinds {
		cost, _ := mastodonAttempt(b, failures[i] >= mastodonBreakerThreshold, t, r)
		if end := post.run(cost); b == Healthy {
			est.Post = max(est.Post, end)
		}
	}
	return est
}

// mastodonAttempt is one attempt's worker time and whether it succeeded.
func mastodonAttempt(b Behaviour, breakerOpen bool, t Timing, r *rand.Rand) (time.Duration, bool) {
	if breakerOpen {
		return 0, false
	}
	between := func(lo, hi time.Duration) time.Duration {
		if hi <= lo {
			return lo
		}
		return lo + time.Duration(r.Int64N(int64(hi-lo)))
	}
	switch b {
	case Slow:
		return min(between(t.SlowMin, t.SlowMax), mastodonReadDeadline), true
	case Dead:
		return time.Millisecond, false // refused at once; a host that drops packets would cost the 10 s connect
	case BlackHole:
		return mastodonReadDeadline, false
	case Flaky:
		return between(t.HealthyMin, t.HealthyMax), r.Float64() >= t.FlakyRate
	}
	return between(t.HealthyMin, t.HealthyMax), true // healthy; gone answers as fast and is not retried
}

// pool is the workers' next free times.
type pool []time.Duration

func newPool(n int) *pool {
	p := make(pool, n)
	return &p
}

// run gives a job costing cost to the first free worker and returns when it ends.
func (p *pool) run(cost time.Duration) time.Duration {
	end := (*p)[0] + cost
	(*p)[0] = end
	heap.Fix(p, 0)
	return end
}

func (p pool) Len() int           { return len(p) }
func (p pool) Less(i, j int) bool { return p[i] < p[j] }
func (p pool) Swap(i, j int)      { p[i], p[j] = p[j], p[i] }
func (p *pool) Push(x any)        { *p = append(*p, x.(time.Duration)) }
func (p *pool) Pop() any {
	old := *p
	x := old[len(old)-1]
	*p = old[:len(old)-1]
	return x
}
