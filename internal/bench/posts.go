package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// postWorkers is how many goroutines post at once.
const postWorkers = 4

// Posting is the status-creation benchmark's outcome. Failed posts are counted, not
// fatal: a failure under concurrency (a deadlock, a busy database) is itself a finding.
type Posting struct {
	Statuses   int     `json:"statuses"` // created successfully
	Failed     int     `json:"failed"`
	FirstError string  `json:"first_error,omitempty"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"statuses_per_second"`
}

// poster is one posting goroutine's tally.
type poster struct {
	ok, failed int
	firstErr   error
}

// post creates o.Posts public statuses through social.Service.Post, by random seeded
// authors, from postWorkers goroutines; each author has about o.Follows followers,
// whose home timelines show the post when they are next read.
func post(ctx context.Context, svc *social.Service, seeded *Seeded, o Options) (Posting, error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	tallies := make([]poster, postWorkers)
	start := time.Now()
	for w := range postWorkers {
		rng := rand.New(rand.NewPCG(o.Seed, uint64(100+w)))
		wg.Go(func() {
			for k := next.Add(1); k <= int64(o.Posts) && ctx.Err() == nil; k = next.Add(1) {
				tallies[w].postOne(ctx, svc, seeded.plan, rng.IntN(len(seeded.plan.accounts)), k)
			}
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	if err := ctx.Err(); err != nil {
		return Posting{}, err
	}
	r := Posting{Seconds: secs}
	for _, t := range tallies {
		r.Statuses, r.Failed = r.Statuses+t.ok, r.Failed+t.failed
		if t.firstErr != nil && r.FirstError == "" {
			r.FirstError = t.firstErr.Error()
		}
	}
	if r.Statuses == 0 {
		return r, fmt.Errorf("bench: every post failed: %s", r.FirstError)
	}
	r.PerSecond = float64(r.Statuses) / secs
	return r, nil
}

// postOne publishes post k by account a.
func (t *poster) postOne(ctx context.Context, svc *social.Service, p *plan, a int, k int64) {
	author := p.accounts[a]
	_, err := svc.Post(ctx, author, p.users[a], social.PostParams{
		Text: fmt.Sprintf("Benchmark post %d by %s.", k, author.Username), Visibility: model.Public})
	if err != nil {
		t.failed++
		if t.firstErr == nil {
			t.firstErr = err
		}
		return
	}
	t.ok++
}
