// Package store is tusk's database layer: one Store type, with SQLite (embedded default)
// and PostgreSQL behind it. Queries use $N placeholders, which both engines accept; the
// little SQL that differs lives beside its twin, chosen by Engine.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"

	"github.com/tuskhq/tusk/internal/id"
)

// Engine names the database behind a Store.
type Engine string

// The engines tusk runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique constraint refuses a write.
var ErrConflict = errors.New("already exists")

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Q runs queries on a connection pool or inside a transaction; every query method
// of the store hangs off Q, so the same code serves reads and transactional writes.
type Q struct {
	db     querier
	engine Engine
	ids    *id.Generator
	after  *[]func()     // run once Store.Tx commits; nil outside a transaction
	caches *caches       // shared by the Store's Qs; see readcache.go
	bumps  *counterBumps // counters to write before Store.Tx commits; nil outside one
}

// Store is an open database. Its embedded Q reads from the read pool; writes go through Tx.
type Store struct {
	Q
	read, write *sql.DB
}

// Options tune Open.
type Options struct {
	// Pool caps open connections; 0 sizes the pool from the CPU count.
	Pool int
}

// Open connects to PostgreSQL when databaseURL is set, otherwise to SQLite at sqlitePath.
// It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL, sqlitePath string, o Options) (*Store, error) {
	var s *Store
	var err error
	if databaseURL != "" {
		s, err = openPostgres(databaseURL, o)
	} else {
		s, err = openSQLite(sqlitePath, o)
	}
	if err != nil {
		return nil, err
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", s.engine, err)
	}
	return s, nil
}

func autoPool(o Options) int {
	if o.Pool > 0 {
		return o.Pool
	}
	return 4*runtime.GOMAXPROCS(0) + 4
}

func openPostgres(url string, o Options) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(autoPool(o))
	db.SetMaxIdleConns(autoPool(o))
	gen := &id.Generator{}
	return &Store{Q: Q{db: db, engine: Postgres, ids: gen, caches: &caches{}}, read: db, write: db}, nil
}

// sqlitePragmas: busy_timeout first so the others wait instead of failing; WAL lets
// readers run beside the single writer; NORMAL sync is durable across process crashes.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
	"&_pragma=foreign_keys(ON)&_time_format=sqlite"

// openSQLiteDB opens a pool whose connections keep their compiled statements.
func openSQLiteDB(dsn string) (*sql.DB, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(cachingConnector{base: base}), nil
}

func openSQLite(path string, o Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create data dir: %w", err)
	}
	dsn := "file:" + path + "?" + sqlitePragmas
	// The writer gets a 64 MiB page cache (allocated only as pages are used): fan-out
	// writes land on many feeds' pages, and re-reading them from the OS costs a syscall each.
	write, err := openSQLiteDB(dsn + "&_txlock=immediate&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// One writer: SQLite serializes writes anyway; queueing them in Go avoids busy errors.
	write.SetMaxOpenConns(1)
	read, err := openSQLiteDB(dsn + "&_pragma=query_only(ON)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	read.SetMaxOpenConns(autoPool(o))
	read.SetMaxIdleConns(autoPool(o))
	gen := &id.Generator{}
	return &Store{Q: Q{db: read, engine: SQLite, ids: gen, caches: &caches{}}, read: read, write: write}, nil
}

// Engine reports which database is behind the store.
func (q Q) Engine() Engine { return q.engine }

// NewID returns a fresh snowflake id.
func (q Q) NewID() int64 { return q.ids.New() }

// IDs exposes the id generator (seeding backdated rows).
func (q Q) IDs() *id.Generator { return q.ids }

// Close closes every connection.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Tx runs fn in one write transaction: committed when fn returns nil, rolled back otherwise,
// so a failed request leaves nothing half-written.
func (s *Store) Tx(ctx context.Context, fn func(q Q) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	var after []func()
	q := Q{db: tx, engine: s.engine, ids: s.ids, after: &after, caches: s.caches, bumps: &counterBumps{}}
	if err := fn(q); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := q.applyBumps(ctx, q.bumps); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	for _, f := range after {
		f()
	}
	return nil
}

// AfterCommit runs f once q's transaction has committed, and never if it rolls back;
// outside a transaction it runs f at once. Live events use it so that a subscriber who
// reads what an event names finds it written.
func (q Q) AfterCommit(f func()) {
	if q.after == nil {
		f()
		return
	}
	*q.after = append(*q.after, f)
}

// SQLTx is the transaction q runs in, or nil outside Store.Tx: job queues use it to
// enqueue follow-up work in the same transaction as the change that causes it.
func (q Q) SQLTx() *sql.Tx {
	tx, _ := q.db.(*sql.Tx)
	return tx
}

// Writer returns a Q on the write connection outside a transaction (single statements).
func (s *Store) Writer() Q { return Q{db: s.write, engine: s.engine, ids: s.ids, caches: s.caches} }

// DB exposes the write pool for tools that need database/sql directly (benchmarks, copy).
func (s *Store) DB() *sql.DB { return s.write }

// isUniqueViolation recognises both engines' unique-constraint errors.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// notFound maps sql.ErrNoRows to ErrNotFound with context.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}
