package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
)

// The periodic jobs. River's leader (one process among all that work queues) inserts
// them on schedule into the scheduler queue; unique by period, so even a change of leader
// mid-interval cannot run one twice in the same interval.
//
// Publishing due scheduled statuses and expiring polls join this list with the client API
// features they serve. Notifications need no pruning: they reference their status with
// ON DELETE CASCADE, so none outlives it.

// CleanOAuthArgs deletes dead OAuth tokens and expired authorization codes.
type CleanOAuthArgs struct{}

// Kind names the job.
func (CleanOAuthArgs) Kind() string { return "clean_oauth" }

func periodicJobs(jc config.JobsConfig, reg *Registry) []*river.PeriodicJob {
	// The database upkeep waits for its first interval: a process in a restart loop must
	// not repeat a sweep of big tables each time. Features' light periodic jobs (queue
	// samples, session clean-up) also run at start.
	every := func(d time.Duration, args river.JobArgs, onStart bool) *river.PeriodicJob {
		opts := &river.InsertOpts{Queue: Scheduler, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: d}}
		return river.NewPeriodicJob(river.PeriodicInterval(d),
			func() (river.JobArgs, *river.InsertOpts) { return args, opts },
			&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: onStart})
	}
	var out []*river.PeriodicJob
	if jc.CleanTokensEvery > 0 {
		out = append(out, every(jc.CleanTokensEvery, CleanOAuthArgs{}, false))
	}
	for _, p := range reg.periodic {
		out = append(out, every(p.every, p.args, true))
	}
	return out
}

// registerScheduled adds the periodic jobs' workers unless reg already has them.
func registerScheduled(reg *Registry, st *store.Store) {
	if !reg.has(CleanOAuthArgs{}.Kind()) {
		Register(reg, &cleanOAuth{st: st})
	}
}

type cleanOAuth struct {
	river.WorkerDefaults[CleanOAuthArgs]
	st *store.Store
}

func (w *cleanOAuth) Work(ctx context.Context, _ *river.Job[CleanOAuthArgs]) error {
	tokens, codes, err := w.st.Writer().CleanOAuth(ctx, time.Now())
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]int64{"tokens": tokens, "codes": codes})
}
