package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	benchmark "github.com/tuskhq/tusk/internal/bench" // the command is named bench
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server"
)

const benchUsage = `Usage: tusk bench timelines [settings] [--accounts N] [--follows N] [--statuses N]
                            [--requests N] [--posts N] [--seed N] [--json] [--keep]
                            [--profile-dir DIR]

Seeds a fresh instance and measures it: home and public timeline latency through the
HTTP handler, posting throughput through the posting path, and the idle memory of
"tusk serve" started on the same database. It never writes into an existing instance:
with --database-url (or DATABASE_URL) it works in a new schema bench_<random> of that
PostgreSQL database; otherwise in a SQLite database in a temporary folder (or in an
empty --data-dir). Both are removed at the end unless --keep is given.

Also: tusk bench jobs (the job queues), tusk bench streaming (streaming connections at
scale) and tusk bench fediverse (delivery to a simulated fediverse); each takes --help.
`

// benchFlags are the bench command's own flags, beside the usual settings.
type benchFlags struct {
	sizes      benchmark.Sizes
	seed       uint64
	json, keep bool
	profileDir string
}

func (b *benchFlags) register(fs *flag.FlagSet) {
	d := benchmark.DefaultSizes()
	fs.IntVar(&b.sizes.Accounts, "accounts", d.Accounts, "local accounts to seed")
	fs.IntVar(&b.sizes.Follows, "follows", d.Follows, "accounts each seeded account follows")
	fs.IntVar(&b.sizes.Statuses, "statuses", d.Statuses, "statuses to seed, over the last 30 days")
	fs.IntVar(&b.sizes.Requests, "requests", d.Requests, "requests per timeline benchmark")
	fs.IntVar(&b.sizes.Posts, "posts", d.Posts, "statuses to create through the posting path")
	fs.Uint64Var(&b.seed, "seed", 1, "seed for the random choices")
	fs.BoolVar(&b.json, "json", false, "print the results as JSON")
	fs.BoolVar(&b.keep, "keep", false, "keep the seeded database (schema or folder) afterwards")
	fs.StringVar(&b.profileDir, "profile-dir", "", "write a CPU profile of each phase (seed, home, public, posts) here")
}

func bench(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 && args[0] == "jobs" {
		return benchJobs(ctx, args[1:], stdout, stderr, getenv)
	}
	if len(args) > 0 && args[0] == "fediverse" {
		return benchFediverse(ctx, args[1:], stdout, stderr, getenv)
	}
	if len(args) > 0 && args[0] == "streaming" {
		return benchStreaming(ctx, args[1:], stdout, stderr, getenv)
	}
	if len(args) == 0 || args[0] != "timelines" {
		fmt.Fprint(stderr, benchUsage)
		return errors.New("bench: unknown or missing benchmark (want: timelines, jobs, streaming or fediverse)")
	}
	cfg, b, dataDirSet, err := loadBenchConfig(args[1:], stderr, getenv)
	if err != nil {
		return err
	}
	cleanup, err := prepareBenchDatabase(ctx, &cfg, dataDirSet, b.keep, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := runBench(ctx, cfg, b, stderr)
	if err != nil {
		return err
	}
	if b.json {
		return res.WriteJSON(stdout)
	}
	return res.WriteTable(stdout)
}

// loadBenchConfig parses the settings and the bench flags together.
func loadBenchConfig(args []string, stderr io.Writer, getenv func(string) string) (config.Config, *benchFlags, bool, error) {
	fs := flag.NewFlagSet("tusk bench timelines", flag.ContinueOnError)
	fs.SetOutput(stderr)
	b := &benchFlags{}
	b.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags and settings (flag, or the environment variable in brackets):\n", benchUsage)
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil {
		return cfg, nil, false, err
	}
	if fs.NArg() > 0 {
		return cfg, nil, false, fmt.Errorf("bench: unexpected arguments %q", fs.Args())
	}
	dataDirSet := getenv("TUSK_DATA_DIR") != ""
	fs.Visit(func(f *flag.Flag) { dataDirSet = dataDirSet || f.Name == "data-dir" })
	return cfg, b, dataDirSet, nil
}

// prepareBenchDatabase points cfg at a fresh database and returns what removes it.
func prepareBenchDatabase(ctx context.Context, cfg *config.Config, dataDirSet, keep bool, stderr io.Writer) (func(), error) {
	if cfg.IsPostgres() {
		schemaURL, drop, err := benchmark.PostgresSchema(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		cfg.DatabaseURL = schemaURL
		return func() {
			if keep {
				fmt.Fprintf(stderr, "bench: kept the seeded database: --database-url '%s'\n", schemaURL)
			} else if err := drop(context.WithoutCancel(ctx)); err != nil {
				fmt.Fprintln(stderr, err)
			}
		}, nil
	}
	if dataDirSet {
		return func() {}, benchmark.CheckFreshSQLite(cfg.SQLitePath())
	}
	dir, err := os.MkdirTemp("", "tusk-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	cfg.DataDir = dir
	return func() {
		if keep {
			fmt.Fprintf(stderr, "bench: kept the seeded database: --data-dir %s\n", dir)
		} else {
			os.RemoveAll(dir)
		}
	}, nil
}

// runBench opens the instance in-process and runs every benchmark on it.
func runBench(ctx context.Context, cfg config.Config, b *benchFlags, stderr io.Writer) (*benchmark.Result, error) {
	srv, err := server.Open(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: find the tusk binary: %w", err)
	}
	serveArgs := []string{"--data-dir", cfg.DataDir}
	if cfg.IsPostgres() {
		serveArgs = append(serveArgs, "--database-url", cfg.DatabaseURL)
	}
	return benchmark.Run(ctx, srv, benchmark.Options{Sizes: b.sizes, Seed: b.seed, Progress: stderr, ProfileDir: b.profileDir,
		Serve: &benchmark.ServeSpec{Binary: exe, Args: serveArgs, Env: childEnv()}})
}

// childEnv is this process's environment without the settings the child gets as flags
// (an inherited DB_HOST would otherwise win over an empty --database-url).
func childEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "DATABASE_URL", "DB_HOST", "TUSK_DATA_DIR", "BIND", "PORT", "LOG_LEVEL":
			continue
		}
		out = append(out, kv)
	}
	return out
}
