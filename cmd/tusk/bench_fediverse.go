package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/delivery/fedsim"
	"github.com/tuskhq/tusk/internal/server"
)

const benchFediverseUsage = `Usage: tusk bench fediverse [settings] [--hosts N] [--dead F] [--blackhole F] [--slow F]
                            [--flaky F] [--gone F] [--backlog N] [--posts N] [--timeout D]
                            [--source instance|direct] [--no-baseline] [--csv FILE] [--keep]

A simulated fediverse on loopback. It starts a whole tusk on 127.0.0.1 (its job queues
included) and N fake remote servers, each with its own actor, key id, WebFinger and
inbox. Every fake actor follows a local account with a signed Follow, which tusk
verifies by fetching the actor and accepts (the fake servers check tusk's signatures
with the key they fetch from tusk); this setup is timed but not measured. Then the
fake servers take on their behaviours — healthy (answers in 5–50 ms), slow (1–10 s),
dead (connection refused), black hole (accepts and never answers), flaky (503 at
random), gone (410) — the local account posts --backlog statuses through the client
API while delivery is stopped, and delivery starts. It measures: the time until every
healthy host has every post, attempts and worker time per kind of host, the time a new
post takes to reach every healthy host once the bad hosts' breakers are open (also with
every host healthy, unless --no-baseline), queue depth over time, CPU and memory; and
what a Mastodon-style pool (20 workers, 30 s read deadline, breaker after 10 failures)
would spend on the same. --source direct skips the instance and writes the activities
straight into the delivery queue, to compare. Like the other benchmarks it works in a
fresh SQLite database in a temporary folder, or with --database-url in a new schema
bench_<random> of that PostgreSQL database. Of the settings, only the database's and
logging's apply: the instance runs on tusk's defaults, with loopback allowed.
`

func benchFediverse(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("tusk bench fediverse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := fedsim.Options{Mix: fedsim.Mix{}, Timing: fedsim.DefaultTiming, Progress: stderr}
	var dead, hole, slow, flaky, gone float64
	var csvPath, cpuProfile string
	var keep, noBaseline bool
	fs.StringVar(&o.Source, "source", fedsim.FromInstance, "where the posts come from: instance (a whole tusk, followed with signed Follows, posting through the client API) or direct (written into the delivery queue)")
	fs.IntVar(&o.Hosts, "hosts", 1000, "fake remote servers")
	fs.Float64Var(&dead, "dead", 0.1, "share of dead hosts (connection refused)")
	fs.Float64Var(&hole, "blackhole", 0.1, "share of black holes (accept, never answer)")
	fs.Float64Var(&slow, "slow", 0.1, "share of slow hosts (1–10 s)")
	fs.Float64Var(&flaky, "flaky", 0, "share of flaky hosts (503 at random)")
	fs.Float64Var(&gone, "gone", 0, "share of gone hosts (410)")
	fs.IntVar(&o.Backlog, "backlog", 8, "posts queued to every host before delivery starts (8 × 1,000 hosts = the memo's 8,000)")
	fs.IntVar(&o.Posts, "posts", 5, "new posts measured once the bad hosts' breakers are open")
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, "outbound total time-out per attempt")
	fs.DurationVar(&o.Connect, "connect-timeout", 5*time.Second, "outbound connect time-out")
	fs.IntVar(&o.Policy.Workers, "workers", 0, "attempts in flight at once (0: delivery's default)")
	fs.IntVar(&o.KeyPool, "key-pool", fedsim.DefaultKeyPool, "RSA keys the fake actors share, each served under its host's own key id (0.1 s of CPU to make one)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed for the mix and answer times")
	fs.BoolVar(&noBaseline, "no-baseline", false, "skip the run with every host healthy")
	fs.StringVar(&csvPath, "csv", "", "also write the figures and the queue depth over time to this CSV file")
	fs.BoolVar(&keep, "keep", false, "keep the database (schema or folder) afterwards")
	fs.StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of the whole run to this file")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags and settings (flag, or the environment variable in brackets):\n", benchFediverseUsage)
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil {
		return err
	}
	o.Mix = fedsim.Mix{fedsim.Dead: dead, fedsim.BlackHole: hole, fedsim.Slow: slow, fedsim.Flaky: flaky, fedsim.Gone: gone}
	o.Baseline = !noBaseline
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	return runBenchFediverse(ctx, cfg, o, csvPath, keep, stdout, stderr, getenv)
}

func runBenchFediverse(ctx context.Context, cfg config.Config, o fedsim.Options, csvPath string, keep bool, stdout, stderr io.Writer, getenv func(string) string) error {
	log := newLogger(cfg, stderr)
	raiseOpenFileLimit(log)
	dataDirSet := getenv("TUSK_DATA_DIR") != ""
	cleanup, err := prepareBenchDatabase(ctx, &cfg, dataDirSet, keep, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	o.Log = log
	o.Policy = o.Policy.Defaults()
	rep, err := fedsim.Bench(ctx, st, o)
	if err != nil {
		return err
	}
	if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	if csvPath == "" {
		return nil
	}
	f, err := os.Create(csvPath)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := rep.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
