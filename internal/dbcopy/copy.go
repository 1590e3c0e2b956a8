package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/searchindex"
	"github.com/tuskhq/tusk/internal/store"
)

// ErrForeignTarget is returned when the target holds data that did not come from the source.
var ErrForeignTarget = errors.New("dbcopy: the target database holds another instance's data")

// Options tune Copy.
type Options struct {
	Progress  io.Writer // where the progress bar goes (stderr); nil shows none
	BatchRows int       // rows per INSERT; 0 means 500
	// AfterBatch, when set, runs after each committed batch with the rows the table's
	// copy wrote so far; an error stops the copy (a later run resumes it).
	AfterBatch func(table string, copied int64) error
}

// Table is one table's outcome.
type Table struct {
	Name     string
	Rows     int64  // rows in the source, equal in the target once verified
	Copied   int64  // rows this run wrote
	Checksum string // the same on both sides once verified
	Resynced bool   // rows changed in the source after an earlier run were brought over again
}

// Report is what a copy did.
type Report struct {
	Tables []Table
	Absent []string // source tables the target keeps otherwise (SQLite's search index)
	Copied int64
	// Reindexed is how many statuses the target's search index was rebuilt for: the
	// source's FTS5 table does not copy, so the target's index is built from the rows.
	Reindexed int64
	Elapsed   time.Duration
}

// Copy copies the SQLite database at sqlitePath into the PostgreSQL database at targetURL,
// migrating the target first, and verifies the result. Run again after an interruption it
// continues where it stopped; run again after a complete copy it changes nothing.
func Copy(ctx context.Context, sqlitePath, targetURL string, o Options) (Report, error) {
	start := time.Now()
	if o.BatchRows <= 0 {
		o.BatchRows = 500
	}
	src, err := openSource(ctx, sqlitePath)
	if err != nil {
		return Report{}, err
	}
	defer src.Close()
	dst, err := openTarget(ctx, targetURL)
	if err != nil {
		return Report{}, err
	}
	defer dst.Close()
	// One read transaction: every table is read from the same moment of the source.
	srcTx, err := src.BeginTx(ctx, nil)
	if err != nil {
		return Report{}, fmt.Errorf("dbcopy: begin reading the source: %w", err)
	}
	defer srcTx.Rollback()
	c := &copier{src: srcTx, dst: dst.DB(), o: o}
	rep, err := c.run(ctx, src)
	if err == nil {
		rep.Reindexed, err = searchindex.Rebuild(ctx, dst, nil)
	}
	rep.Elapsed = time.Since(start)
	return rep, err
}

func openSource(ctx context.Context, path string) (*sql.DB, error) {
	st, err := store.Open(ctx, "", path, store.Options{Pool: 1})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	applied, err := st.AppliedVersion(ctx)
	if err != nil {
		return nil, err
	}
	if want := store.BundledSchemaVersion(store.SQLite); applied != want {
		return nil, fmt.Errorf("dbcopy: the source database is at schema version %d, this tusk at %d: run \"tusk migrate\" on it first", applied, want)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(ON)&_time_format=sqlite")
	if err != nil {
		return nil, fmt.Errorf("dbcopy: open source: %w", err)
	}
	db.SetMaxOpenConns(2)
	return db, nil
}

func openTarget(ctx context.Context, url string) (*store.Store, error) {
	st, err := store.Open(ctx, url, "", store.Options{Pool: 4})
	if err != nil {
		return nil, err
	}
	if st.Engine() != store.Postgres {
		st.Close()
		return nil, errors.New("dbcopy: the target must be a postgres:// URL")
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	if _, err := jobs.Migrate(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

type copier struct {
	src interface {
		QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	}
	dst *sql.DB
	o   Options
	bar *progressbar.ProgressBar
}

func (c *copier) run(ctx context.Context, srcDB *sql.DB) (Report, error) {
	tables, absent, err := discover(ctx, srcDB, c.dst)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Absent: absent}
	if err := c.checkIdentity(ctx, tables); err != nil {
		return rep, err
	}
	counts, total, err := c.sourceCounts(ctx, tables)
	if err != nil {
		return rep, err
	}
	c.startBar(total)
	for _, t := range tables {
		n, err := c.copyTable(ctx, t)
		rep.Copied += n
		rep.Tables = append(rep.Tables, Table{Name: t.name, Rows: counts[t.name], Copied: n})
		if err != nil {
			return rep, err
		}
	}
	if c.bar != nil {
		_ = c.bar.Finish()
	}
	if err := c.setSequences(ctx, tables); err != nil {
		return rep, err
	}
	return rep, c.verifyAll(ctx, tables, &rep)
}

func (c *copier) sourceCounts(ctx context.Context, tables []table) (map[string]int64, int64, error) {
	counts := map[string]int64{}
	var total int64
	for _, t := range tables {
		var n int64
		if err := c.src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t.name)).Scan(&n); err != nil {
			return nil, 0, fmt.Errorf("dbcopy: count %s: %w", t.name, err)
		}
		counts[t.name] = n
		total += n
	}
	return counts, total, nil
}

func (c *copier) startBar(total int64) {
	if c.o.Progress == nil {
		return
	}
	c.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(c.o.Progress),
		progressbar.OptionSetDescription("copying"), progressbar.OptionShowCount(),
		progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(c.o.Progress) }))
}

// checkIdentity refuses a target with data unless it is this instance's: its first local
// account must be the source's, with the same id and name. An earlier run of this copy
// passes; another instance's database, with ids of its own, does not.
func (c *copier) checkIdentity(ctx context.Context, tables []table) error {
	used, err := c.targetHasData(ctx, tables)
	if err != nil || !used {
		return err
	}
	var id int64
	var name string
	err = c.dst.QueryRowContext(ctx, `SELECT id, username FROM accounts WHERE domain = '' ORDER BY id LIMIT 1`).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: it has rows but no local account; copy into an empty database", ErrForeignTarget)
	}
	if err != nil {
		return fmt.Errorf("dbcopy: read the target's accounts: %w", err)
	}
	var srcName string
	err = c.src.QueryRowContext(ctx, `SELECT username FROM accounts WHERE id = $1 AND domain = ''`, id).Scan(&srcName)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && srcName != name) {
		return fmt.Errorf("%w: its local account %q (id %d) is not in this instance; copy into an empty database", ErrForeignTarget, name, id)
	}
	return err
}

func (c *copier) targetHasData(ctx context.Context, tables []table) (bool, error) {
	for _, t := range tables {
		if strings.HasPrefix(t.name, "river_") {
			continue // River creates its queue and leader rows itself
		}
		var any bool
		if err := c.dst.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+quote(t.name)+")").Scan(&any); err != nil {
			return false, fmt.Errorf("dbcopy: look into %s: %w", t.name, err)
		}
		if any {
			return true, nil
		}
	}
	return false, nil
}

// setSequences moves each serial column's sequence past the copied ids, so the next row
// PostgreSQL numbers itself (River's jobs) does not collide with a copied one.
func (c *copier) setSequences(ctx context.Context, tables []table) error {
	for _, t := range tables {
		if !t.intID {
			continue
		}
		var seq sql.NullString
		if err := c.dst.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, $2)`, quote(t.name), t.pk[0]).Scan(&seq); err != nil {
			return fmt.Errorf("dbcopy: sequence of %s: %w", t.name, err)
		}
		if !seq.Valid {
			continue
		}
		q := fmt.Sprintf(`SELECT setval($1, COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)`, quote(t.pk[0]), quote(t.name))
		if _, err := c.dst.ExecContext(ctx, q, seq.String); err != nil {
			return fmt.Errorf("dbcopy: set sequence of %s: %w", t.name, err)
		}
	}
	return nil
}
