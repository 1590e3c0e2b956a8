package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/version"
)

//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func (q Q) migrations() ([]migration, error) { return migrationsFor(q.engine) }

func migrationsFor(engine Engine) ([]migration, error) {
	dir := "migrations/" + string(engine)
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %s: name must start with a number", e.Name())
		}
		body, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest migration this binary knows for the store's engine.
func (s *Store) SchemaVersion() int { return BundledSchemaVersion(s.engine) }

// BundledSchemaVersion is the newest migration this binary carries for an engine.
func BundledSchemaVersion(engine Engine) int {
	ms, err := migrationsFor(engine)
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// AppliedVersion is the newest migration applied to the database (0 for an empty one).
func (s *Store) AppliedVersion(ctx context.Context) (int, error) {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: schema_migrations: %w", err)
	}
	var v int
	err := s.write.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// SchemaTooNewError is Migrate's refusal to run on a database a newer tusk has
// migrated: this binary would misread tables it does not know.
type SchemaTooNewError struct {
	Database, Binary int // schema versions
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("store: the database's schema is version %d, newer than this tusk (%s) knows (schema %d): "+
		"a newer tusk has upgraded it. Run that newer release (or a later one); to go back to this release, "+
		"restore the backup taken before the upgrade (see docs/upgrading.md)", e.Database, version.Version, e.Binary)
}

// Migrate applies every pending migration, each in its own transaction (DDL included:
// both SQLite and PostgreSQL roll schema changes back), and refuses to touch a database
// whose schema is newer than this binary with a *SchemaTooNewError.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	return s.migrateTo(ctx, s.SchemaVersion())
}

// migrateTo applies the pending migrations up to and including target.
func (s *Store) migrateTo(ctx context.Context, target int) (applied int, err error) {
	current, err := s.AppliedVersion(ctx)
	if err != nil {
		return 0, err
	}
	ms, err := s.migrations()
	if err != nil {
		return 0, err
	}
	if latest := s.SchemaVersion(); current > latest {
		return 0, &SchemaTooNewError{Database: current, Binary: latest}
	}
	for _, m := range ms {
		if m.version <= current || m.version > target {
			continue
		}
		if err := s.applyMigration(ctx, m); err != nil {
			return applied, err
		}
		applied++
	}
	return applied, nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) error {
	return s.Tx(ctx, func(q Q) error {
		if _, err := q.db.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		_, err := q.db.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, CURRENT_TIMESTAMP)`, m.version)
		return err
	})
}

// migrationLockKey names tusk's PostgreSQL advisory lock for migrations (any fixed number
// no other program sharing the database uses).
const migrationLockKey int64 = 0x7475736b // "tusk"

// WithMigrationLock runs fn holding a lock that every tusk process sharing the database
// takes before migrating, so processes started at once after an upgrade migrate one after
// the other: the first applies the migrations, the rest find nothing to do. On SQLite,
// which one process serves, it just runs fn.
func (s *Store) WithMigrationLock(ctx context.Context, fn func() error) error {
	if s.engine != Postgres {
		return fn()
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
		return fmt.Errorf("store: migration lock: %w", err)
	}
	// Unlock even when ctx ended: the connection goes back to the pool, lock and all, otherwise.
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
	return fn()
}
