package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/server"
)

const benchJobsUsage = `Usage: tusk bench jobs [settings] [--jobs N] [--backlog N] [--json] [--keep] [--profile-dir DIR]

Measures the job queues with the configured (by default CPU-derived) concurrency:
jobs enqueued per second (one insert per call, and in batches), jobs completed per
second (no-op jobs, and jobs doing one small write), enqueueing and working at once,
and the time a backlog of no-op push jobs takes to drain. Like "bench timelines" it
works in a fresh SQLite database in a temporary folder, or with --database-url in a new
schema bench_<random> of that PostgreSQL database, removed afterwards unless --keep.
`

func benchJobs(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("tusk bench jobs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := jobs.BenchOptions{Progress: stderr}
	var asJSON, keep bool
	fs.IntVar(&o.Jobs, "jobs", 20000, "jobs per throughput phase")
	fs.IntVar(&o.Backlog, "backlog", 8000, "no-op push jobs in the backlog phase")
	fs.BoolVar(&asJSON, "json", false, "print the results as JSON")
	fs.BoolVar(&keep, "keep", false, "keep the database (schema or folder) afterwards")
	fs.StringVar(&o.ProfileDir, "profile-dir", "", "write a CPU profile of each phase here")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags and settings (flag, or the environment variable in brackets):\n", benchJobsUsage)
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil {
		return err
	}
	dataDirSet := getenv("TUSK_DATA_DIR") != ""
	fs.Visit(func(f *flag.Flag) { dataDirSet = dataDirSet || f.Name == "data-dir" })
	cleanup, err := prepareBenchDatabase(ctx, &cfg, dataDirSet, keep, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, err := server.Open(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer srv.Close()
	res, err := jobs.Bench(ctx, srv.Store, cfg, o)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteTable(stdout)
}
