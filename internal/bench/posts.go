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
	Statuses        int     `json:"statuses"` // created successfully
	Failed          int     `json:"failed"`
	FirstError      string  `json:"first_error,omitempty"`
	Seconds         float64 `json:"seconds"`
	PerSecond       float64 `json:"statuses_per_second"`
	FeedRows        int64   `json:"feed_rows"`
	FeedRowsPerSec  float64 `json:"feed_rows_per_second"`
	MeanFanoutWidth float64 `json:"mean_fanout_width"`
}

// poster is one posting goroutine's tally.
type poster struct {
	ok, failed int
	rows       int64
	firstErr   error
}

// post creates o.Posts public statuses through social.Service.Post, by random seeded
// authors, from postWorkers goroutines. Each fans out to its author's feed and its
// followers' (about o.Follows of them).
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
		r.Statuses, r.Failed, r.FeedRows = r.Statuses+t.ok, r.Failed+t.failed, r.FeedRows+t.rows
		if t.firstErr != nil && r.FirstError == "" {
			r.FirstError = t.firstErr.Error()
		}
	}
	if r.Statuses == 0 {
		return r, fmt.Errorf("bench: every post failed: %s", r.FirstError)
	}
	r.PerSecond, r.FeedRowsPerSec = float64(r.Statuses)/secs, float64(r.FeedRows)/secs
	r.MeanFanoutWidth = float64(r.FeedRows) / float64(r.Statuses)
	return r, nil
}

// postOne publishes post k by account a, counting the feed rows it fans out to.
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
	t.rows += int64(1 + len(p.followers[a]))
}
