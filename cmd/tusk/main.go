// Command tusk runs a Mastodon-compatible social network server and its admin tools.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `tusk: a Mastodon-compatible social network server in one binary.

Usage:
  tusk serve   [flags]                 run the instance (applies migrations first)
  tusk migrate [flags]                 apply database migrations and exit
  tusk admin   [flags] accounts|queues ...  operator commands (see: tusk admin --help)
  tusk bench   timelines|jobs|streaming|fediverse [flags]  measure a fresh instance (see: tusk bench --help)
  tusk version  [flags]                print the version, and the schema versions of the binary and database

Every flag can also be set by the environment variable named in its help;
run "tusk serve --help" for the full list.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "tusk:", err)
		os.Exit(1)
	}
}

// run dispatches a command line; it is main without the process around it, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		return migrate(ctx, rest, stdout, stderr, getenv)
	case "admin":
		return adminCommand(ctx, rest, stdout, stderr, getenv)
	case "bench":
		return bench(ctx, rest, stdout, stderr, getenv)
	case "version", "--version":
		return printVersion(ctx, rest, stdout, stderr, getenv)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
