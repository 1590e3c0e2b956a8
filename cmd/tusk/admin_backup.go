package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tuskhq/tusk/internal/backup"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/dbcopy"
	"github.com/tuskhq/tusk/internal/server"
)

// isBackupGroup reports whether an admin group is backup's or the database move's: they
// run without wiring the instance (a restore must not create a database first).
func isBackupGroup(group string) bool { return group == "backup" || group == "db" }

const backupUsage = `Backup and database commands:
  backup create FILE|DIR [--no-media]     a consistent online backup (DIR: a dated file in it)
  backup verify FILE                      check an archive against its manifest
  backup restore FILE [--data-dir DIR] [--database-url postgres://…]   onto an empty data dir or database
  db copy --to postgres://…               copy the SQLite database into PostgreSQL, verified; resumable
`

func runBackupGroup(ctx context.Context, cfg config.Config, rest []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(rest) < 2 {
		fmt.Fprint(stderr, backupUsage)
		return errors.New("admin: missing command")
	}
	switch rest[0] + " " + rest[1] {
	case "backup create":
		return backupCreate(ctx, cfg, rest[2:], stdout, stderr, getenv)
	case "backup verify":
		return backupVerify(rest[2:], stdout)
	case "backup restore":
		return backupRestore(ctx, rest[2:], stdout, stderr)
	case "db copy":
		return dbCopy(ctx, cfg, rest[2:], stdout, stderr)
	}
	fmt.Fprint(stderr, backupUsage)
	return fmt.Errorf("admin: unknown command %q", rest[0]+" "+rest[1])
}

// parseWithArg parses flags around one positional argument.
func parseWithArg(fs *flag.FlagSet, args []string, what string) (string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("%s: missing FILE", what)
	}
	arg := fs.Arg(0)
	return arg, fs.Parse(fs.Args()[1:])
}

func backupCreate(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("backup create", flag.ContinueOnError)
	noMedia := fs.Bool("no-media", false, "leave local media files out")
	dest, err := parseWithArg(fs, args, "backup create")
	if err != nil {
		return err
	}
	if st, err := os.Stat(dest); err == nil && st.IsDir() {
		dest = filepath.Join(dest, backup.Name(time.Now()))
	}
	srv, err := server.Open(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer srv.Close()
	f, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600) // it holds secrets
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m, err := backup.Create(ctx, srv.BackupSource(config.Environment(getenv), *noMedia), f)
	if err = errors.Join(err, f.Close()); err != nil {
		os.Remove(dest)
		return err
	}
	fmt.Fprintf(stdout, "backup written to %s: %s schema %d, %d files, media: %s\n", dest, m.Engine, m.SchemaVersion, len(m.Files), m.Media)
	return nil
}

func backupVerify(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("backup verify: want one FILE")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	m, err := backup.Verify(f)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: intact. %d files; %s database, schema %d, made by tusk %s at %s; media: %s\n", args[0], len(m.Files),
		m.Engine, m.SchemaVersion, m.TuskVersion, m.CreatedAt.Format(time.RFC3339), m.Media)
	return nil
}

func backupRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup restore", flag.ContinueOnError)
	dataDir := fs.String("data-dir", "", "empty folder for the SQLite database, media and tusk.env")
	dbURL := fs.String("database-url", "", "empty PostgreSQL database to restore into")
	file, err := parseWithArg(fs, args, "backup restore")
	if err != nil {
		return err
	}
	m, err := backup.Restore(ctx, file, backup.Target{DataDir: *dataDir, DatabaseURL: *dbURL, Progress: stderr})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s (%s backup of %s).\n", file, m.Engine, m.CreatedAt.Format(time.RFC3339))
	if *dataDir != "" {
		fmt.Fprintf(stdout, "Settings: %s holds the instance's settings; start with them and TUSK_DATA_DIR=%s", filepath.Join(*dataDir, "tusk.env"), *dataDir)
		if *dbURL != "" {
			fmt.Fprintf(stdout, " DATABASE_URL=%s", *dbURL)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

func dbCopy(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("db copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "postgres:// URL of the database to copy into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("db copy: --to postgres://… is required")
	}
	if cfg.IsPostgres() {
		return errors.New("db copy: this instance already runs on PostgreSQL (DATABASE_URL is set)")
	}
	rep, err := dbcopy.Copy(ctx, cfg.SQLitePath(), *to, dbcopy.Options{Progress: stderr})
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range rep.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "verified: %d tables, %d rows equal in both (%d copied by this run in %s)\n", len(rep.Tables), rows, rep.Copied, rep.Elapsed.Round(time.Millisecond))
	if len(rep.Absent) > 0 {
		fmt.Fprintf(stdout, "not copied: %v (SQLite's own search index); PostgreSQL's was rebuilt for %d statuses\n", rep.Absent, rep.Reindexed)
	}
	fmt.Fprintf(stdout, "\nStop tusk, run this command once more (it copies what changed meanwhile), then set the one setting:\n  DATABASE_URL=%s\nand start tusk again.\n", *to)
	return nil
}
