package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	benchmark "github.com/tuskhq/tusk/internal/bench"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fdlimit"
	"github.com/tuskhq/tusk/internal/server"
)

const benchStreamingUsage = `Usage: tusk bench streaming [settings] [--connections N] [--members N] [--user-stream]
                            [--posts N] [--post-interval D] [--idle D] [--source-addrs N]
                            [--parallel N] [--settle D] [--json] [--keep]

Measures the streaming API at scale on loopback. Creates the members in a fresh database
(a temporary SQLite folder, or with --database-url a new schema bench_<random>, removed
afterwards unless --keep), starts "tusk serve" on it as a child process, and opens
--connections WebSocket streams to /api/v1/streaming?stream=public (with --user-stream each
also subscribes to its member's user stream), spread over 127.0.0.x source addresses so
they are not bounded by one address's ephemeral ports. It reports the server's resident
memory per connection, its CPU while the streams idle (--idle) and while --posts public
statuses are posted through POST /api/v1/statuses, and the time from each POST to its
update arriving on every stream (p50, p99, max). Every connection is closed at the end.
This process and the server raise their open-file limits; more connections than the hard
limit allows need it raised first (ulimit -Hn as root, or LimitNOFILE).
`

func benchStreaming(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("tusk bench streaming", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := benchmark.DefaultStreamingOptions()
	var asJSON, keep bool
	fs.IntVar(&o.Connections, "connections", o.Connections, "concurrent WebSocket streams")
	fs.IntVar(&o.Members, "members", 0, "accounts the streams sign in as, in turn (0: one per stream)")
	fs.BoolVar(&o.UserStream, "user-stream", false, "also subscribe every stream to its member's user stream")
	fs.IntVar(&o.Posts, "posts", o.Posts, "public statuses posted in the burst")
	fs.DurationVar(&o.PostInterval, "post-interval", o.PostInterval, "pause between two posts")
	fs.DurationVar(&o.Idle, "idle", o.Idle, "how long the open streams idle while the server's CPU is measured")
	fs.IntVar(&o.SourceAddrs, "source-addrs", 0, "127.0.0.x source addresses to spread connections over (0: at least 4, and one per 20,000)")
	fs.IntVar(&o.Parallel, "parallel", o.Parallel, "handshakes in flight at once")
	fs.DurationVar(&o.Settle, "settle", o.Settle, "wait after opening the streams before reading memory")
	fs.BoolVar(&asJSON, "json", false, "print the results as JSON")
	fs.BoolVar(&keep, "keep", false, "keep the database (schema or folder) afterwards")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\nFlags and settings (flag, or the environment variable in brackets):\n", benchStreamingUsage)
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected arguments %q", fs.Args())
	}
	raiseBenchFileLimit(o.Connections, stderr)
	dataDirSet := getenv("TUSK_DATA_DIR") != ""
	fs.Visit(func(f *flag.Flag) { dataDirSet = dataDirSet || f.Name == "data-dir" })
	cleanup, err := prepareBenchDatabase(ctx, &cfg, dataDirSet, keep, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	res, err := runStreamingBench(ctx, cfg, o, stderr)
	if err != nil {
		return err
	}
	if asJSON {
		return res.WriteJSON(stdout)
	}
	return res.WriteTable(stdout)
}

// raiseBenchFileLimit lifts this process's open-file limit, which the server it starts
// inherits, to what conns connections need on each side, and warns when it cannot.
func raiseBenchFileLimit(conns int, stderr io.Writer) {
	need := uint64(conns) + 1024
	lim, err := fdlimit.RaiseTo(need)
	if err != nil || lim.Soft < need {
		fmt.Fprintf(stderr, "bench: the open-file limit is %d (hard %d), below the %d that %d connections need; some will fail (%v)\n",
			lim.Soft, lim.Hard, need, conns, err)
	}
}

// runStreamingBench writes the members in-process and measures a child "tusk serve".
func runStreamingBench(ctx context.Context, cfg config.Config, o benchmark.StreamingOptions, stderr io.Writer) (*benchmark.StreamingResult, error) {
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
	o.Progress = stderr
	o.Serve = benchmark.ServeSpec{Binary: exe, Args: serveArgs, Env: childEnv()}
	return benchmark.RunStreaming(ctx, srv, o)
}
