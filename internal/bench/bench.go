// Package bench measures tusk on a seeded instance of realistic size: home and public
// timeline latency through the real HTTP handler, posting throughput through the real
// posting path, and the idle memory of the real binary. The "tusk bench" command wires
// it to the usual settings; docs/benchmarks.md records its figures.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tuskhq/tusk/internal/server"
)

// Sizes is how big the seeded instance is and how much load is applied to it.
type Sizes struct {
	Accounts int `json:"accounts"` // local accounts, each with a confirmed user
	Follows  int `json:"follows"`  // distinct accounts each account follows
	Statuses int `json:"statuses"` // seeded statuses, spread over the last 30 days
	Requests int `json:"requests"` // requests per timeline benchmark
	Posts    int `json:"posts"`    // statuses created through the posting path
}

// DefaultSizes is a mid-sized instance: 10k accounts following 200 each, 1M statuses.
func DefaultSizes() Sizes {
	return Sizes{Accounts: 10000, Follows: 200, Statuses: 1000000, Requests: 2000, Posts: 3000}
}

func (s Sizes) validate() error {
	var errs []error
	if s.Accounts < 2 {
		errs = append(errs, errors.New("accounts must be at least 2"))
	}
	if s.Follows < 0 || s.Follows >= s.Accounts {
		errs = append(errs, errors.New("follows must be between 0 and accounts-1"))
	}
	if s.Statuses < 1 || s.Requests < 1 || s.Posts < 1 {
		errs = append(errs, errors.New("statuses, requests and posts must be positive"))
	}
	return errors.Join(errs...)
}

// Options configure a run.
type Options struct {
	Sizes
	Seed     uint64     // seeds every random choice, so runs are repeatable
	Progress io.Writer  // progress lines; nil discards them
	Serve    *ServeSpec // how to start the binary for the idle-RSS step; nil skips it
	// ProfileDir, when set, receives a CPU profile of each phase: seed, home, public, posts.
	ProfileDir string
}

func (o Options) progress() io.Writer {
	if o.Progress == nil {
		return io.Discard
	}
	return o.Progress
}

// logf writes one progress line.
func (o Options) logf(format string, args ...any) {
	fmt.Fprintf(o.progress(), "bench: "+format+"\n", args...)
}

// Run seeds srv's (empty, migrated) database and measures it.
func Run(ctx context.Context, srv *server.Server, o Options) (*Result, error) {
	seeded, err := profiled(o.ProfileDir, "seed", func() (*Seeded, error) {
		return Seed(ctx, srv.Store, srv.Config.BaseURL(), o)
	})
	if err != nil {
		return nil, err
	}
	return Measure(ctx, srv, seeded, o)
}

// Measure runs the timeline, posting and idle-memory benchmarks on a seeded instance.
func Measure(ctx context.Context, srv *server.Server, seeded *Seeded, o Options) (*Result, error) {
	r := &Result{Engine: string(srv.Store.Engine()), Sizes: o.Sizes, SeedSeconds: seeded.Took.Seconds(),
		FollowRows: seeded.FollowRows, Targets: DefaultTargets()}
	clients, err := newClients(ctx, srv, seeded, o)
	if err != nil {
		return nil, err
	}
	o.logf("home timeline: %d requests", o.Requests)
	r.Home, err = profiled(o.ProfileDir, "home", func() (Latency, error) {
		return clients.timeline(ctx, "/api/v1/timelines/home", true, o.Requests)
	})
	if err != nil {
		return nil, err
	}
	o.logf("public timeline: %d requests", o.Requests)
	r.Public, err = profiled(o.ProfileDir, "public", func() (Latency, error) {
		return clients.timeline(ctx, "/api/v1/timelines/public", false, o.Requests)
	})
	if err != nil {
		return nil, err
	}
	o.logf("posting: %d statuses from %d goroutines", o.Posts, postWorkers)
	r.Posting, err = profiled(o.ProfileDir, "posts", func() (Posting, error) { return post(ctx, srv.Social, seeded, o) })
	if err != nil {
		return nil, err
	}
	if o.Serve != nil {
		o.logf("idle RSS: starting %s serve", o.Serve.Binary)
		if r.IdleRSSMB, err = idleRSS(ctx, *o.Serve); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// since reports the time elapsed since start, for progress lines.
func since(start time.Time) time.Duration {
	return time.Since(start).Round(10 * time.Millisecond)
}
