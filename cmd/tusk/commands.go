package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tuskhq/tusk/internal/admin"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/logging"
	"github.com/tuskhq/tusk/internal/portability"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/version"
)

// loadConfig parses a command's flags over the environment, with --help that shows
// what the command does and every setting it reads.
func loadConfig(name, summary string, args []string, stderr io.Writer, getenv func(string) string) (config.Config, []string, error) {
	fs := flag.NewFlagSet("tusk "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tusk %s\n\n%s\n\nSettings (flag, or the environment variable in brackets):\n", name, summary)
		fs.PrintDefaults()
	}
	cfg, err := config.Load(fs, args, getenv)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, fs.Args(), nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	return logging.New(w, cfg.LogLevel, cfg.LogFormat)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, _, err := loadConfig("serve [flags]", "Runs the instance: the Mastodon client API and web pages.", args, stderr, getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	raiseOpenFileLimit(log)
	srv, err := server.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := srv.StartJobs(ctx); err != nil {
		return err
	}
	defer srv.StopJobs(30 * time.Second)
	// Every role listens: a worker-only process still answers /health, /readyz and /metrics.
	ln, err := net.Listen("tcp", cfg.ListenAddr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr(), err)
	}
	log.Info("tusk is running", "roles", cfg.Jobs.Roles(), "url", cfg.BaseURL(), "listen", ln.Addr().String(),
		"database", srv.Store.Engine(), "data_dir", cfg.DataDir, "queues", srv.Jobs.Worked(), "version", version.Version)
	return srv.Serve(ctx, ln)
}

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, _, err := loadConfig("migrate [flags]", "Applies pending database migrations and exits.", args, stderr, getenv)
	if err != nil {
		return err
	}
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	n, jobsN, err := server.MigrateAll(ctx, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: applied %d migration(s); schema version %d\n", st.Engine(), n, st.SchemaVersion())
	fmt.Fprintf(stdout, "%s: applied %d job queue migration(s)\n", st.Engine(), jobsN)
	return nil
}

var adminUsage = `Usage: tusk admin [settings] accounts|queues COMMAND [flags]

Account commands:
  create USERNAME --email E [--password P] [--confirmed] [--approve] [--role Owner|Admin|Moderator]
  list [--json]
  modify USERNAME [--role R] [--disable|--enable] [--confirm] [--approve] [--reset-password] [--email E]
  approve USERNAME
  delete USERNAME
  rotate-keys USERNAME | --all         (new signing keys; restart tusk afterwards)
  refresh USER@DOMAIN | --domain D | --all [--concurrency N]   (fetch remote profiles again)
  export USERNAME --kind K [--out FILE]   (Mastodon's CSV; K: following, followers, bookmarks,
                                           blocks, mutes, domain_blocks, lists)
  import USERNAME --kind K --file FILE [--overwrite]   (any K but followers)

Queue commands (the queue console; also at /admin/queues on the web):
  [stats] [--json]
  jobs [--queue Q] [--state dead|retrying|waiting|scheduled|running|completed] [--limit N] [--json]
  retry ID | retry --all-dead [--queue Q]
  delete ID
  clear-dead [--queue Q]
  pause QUEUE
  resume QUEUE

Trends commands (what may trend, when TUSK_TRENDS_REVIEW is on):
  list [tags|statuses]
  allow tag NAME | allow status ID
  disallow tag NAME | disallow status ID

Announcement commands:
  create TEXT [--starts-at T] [--ends-at T] [--all-day]
  list
  delete ID

Instance commands (rules, server domain blocks, custom emoji):
  rules add TEXT [--hint H] | rules list | rules remove ID
  domain-blocks add DOMAIN [--severity silence|suspend|noop] [--public-comment C] [--private-comment C] [--obfuscate]
  domain-blocks list | domain-blocks remove DOMAIN
  emoji import PATH [--category C] [--prefix P] [--suffix S] [--overwrite] [--unlisted]
  emoji list | emoji remove SHORTCODE | emoji export FILE.tar.gz | emoji purge [--remote-only] [--json]

Doctor (checks configuration, database, storage, SMTP, ffmpeg, open-file limit, Redis;
exits non-zero when a check fails):
  doctor [--json]

Media commands (storage backends, remote media cache):
  migrate --to s3|local [--dry-run]
  usage
  remove [--days N] [--prune-profiles]
  remove-orphans [--dry-run]

` + admin.OpsUsage() + backupUsage + `
` + federationUsage + `
Run "tusk admin accounts COMMAND --help" for a command's flags, and
"tusk serve --help" for the settings (database, domain) every command reads.
`

func adminCommand(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, rest, err := loadConfig("admin [settings] accounts|queues COMMAND", strings.TrimPrefix(adminUsage, "Usage: tusk admin [settings] accounts|queues COMMAND [flags]\n\n"), args, stderr, getenv)
	if doctorAt := slices.Index(args, "doctor"); doctorAt >= 0 && !errors.Is(err, flag.ErrHelp) && (err != nil || len(rest) > 0 && rest[0] == "doctor") {
		// The doctor opens nothing through server.Open: it must report what would make that fail.
		return runDoctor(ctx, cfg, err, args[doctorAt+1:], stdout, stderr)
	}
	if err != nil {
		return err
	}
	if len(rest) > 0 && isBackupGroup(rest[0]) {
		return runBackupGroup(ctx, cfg, rest, stdout, stderr, getenv)
	}
	if len(rest) == 0 || (rest[0] != "accounts" && rest[0] != "queues" && rest[0] != "media" && rest[0] != "federation" && !isDiscoveryGroup(rest[0]) && !admin.IsInstanceGroup(rest[0]) && !admin.IsOpsGroup(rest[0])) {
		fmt.Fprint(stderr, adminUsage)
		return fmt.Errorf("admin: unknown or missing group (want: accounts or queues)")
	}
	srv, err := server.Open(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	defer srv.Close()
	if rest[0] == "federation" {
		return runFederationGroup(ctx, srv, rest, stdout)
	}
	if admin.IsOpsGroup(rest[0]) {
		return runOpsGroup(ctx, srv, rest, stdout, stderr)
	}
	if isDiscoveryGroup(rest[0]) {
		return runDiscoveryGroup(ctx, srv, rest, stdout)
	}
	if rest[0] == "media" {
		return admin.Media(ctx, admin.MediaDeps{Storage: srv.MediaStorage, SetState: server.SetMediaState(srv.Store),
			Cache: srv.MediaCache, Owners: srv.MediaOwners(), Settle: server.MediaSettle, Out: stdout, Err: stderr}, rest[1:])
	}
	if rest[0] == "queues" {
		return admin.Queues(ctx, admin.QueueDeps{Console: srv.Console, Out: stdout}, rest[1:])
	}
	if admin.IsInstanceGroup(rest[0]) {
		im := &emoji.Importer{Store: srv.Store, Blobs: srv.MediaStorage, Catalogue: srv.Social.Emojis}
		return admin.Instance(ctx, admin.InstanceDeps{Store: srv.Store, Emoji: im, Out: stdout}, rest[0], rest[1:])
	}
	return admin.Accounts(ctx, admin.Deps{Store: srv.Store, Config: cfg, Accounts: srv.Accounts,
		Portability: portability.New(srv.Social), Refresher: srv.Federation, Mover: srv.Federation, Out: stdout, Progress: stderr}, rest[1:])
}

// printVersion prints the binary's versions and, when the configured database exists
// and answers, the schema version it is at.
func printVersion(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	cfg, _, cfgErr := loadConfig("version [settings]", "Prints the version, the schema versions this binary carries and the database's.", args, stderr, getenv)
	if errors.Is(cfgErr, flag.ErrHelp) {
		return cfgErr
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "tusk\t%s\n", version.Version)
	fmt.Fprintf(w, "Mastodon API\t%s\n", version.MastodonCompat)
	fmt.Fprintf(w, "schema (sqlite)\t%d\n", store.BundledSchemaVersion(store.SQLite))
	fmt.Fprintf(w, "schema (postgres)\t%d\n", store.BundledSchemaVersion(store.Postgres))
	if cfgErr != nil {
		fmt.Fprintf(w, "database\tnot read: %v\n", cfgErr)
	} else {
		fmt.Fprintf(w, "database\t%s\n", databaseVersion(ctx, cfg))
	}
	return w.Flush()
}

// databaseVersion describes the configured database's schema version, without creating
// a database that does not exist yet.
func databaseVersion(ctx context.Context, cfg config.Config) string {
	if cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.SQLitePath()); err != nil {
			return "none yet at " + cfg.SQLitePath()
		}
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return "unreachable: " + err.Error()
	}
	defer st.Close()
	v, err := st.AppliedVersion(ctx)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	note := "up to date"
	switch {
	case v == 0:
		note = "empty: tusk serve or tusk migrate creates the tables"
	case v < st.SchemaVersion():
		note = fmt.Sprintf("%d migration(s) behind: tusk serve or tusk migrate applies them", st.SchemaVersion()-v)
	case v > st.SchemaVersion():
		note = "NEWER than this binary: run the newer release (docs/upgrading.md)"
	}
	return fmt.Sprintf("%s schema %d (%s)", st.Engine(), v, note)
}
