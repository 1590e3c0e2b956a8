package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgLoader streams each table with COPY FROM on one connection.
type pgLoader struct{ conn *sql.Conn }

func (l *pgLoader) load(ctx context.Context, t table) error {
	return l.conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("connection is %T, not pgx", driverConn)
		}
		src := pgx.CopyFromFunc(func() ([]any, error) { return t.next(), nil })
		n, err := c.Conn().CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, src)
		if err == nil && int(n) != t.rows {
			err = fmt.Errorf("copied %d rows, want %d", n, t.rows)
		}
		return err
	})
}

// finish gathers planner statistics, as autovacuum would soon after a bulk load.
func (l *pgLoader) finish(ctx context.Context) error {
	_, err := l.conn.ExecContext(ctx, `ANALYZE`)
	return wrap(err, "analyze")
}

func (l *pgLoader) close() error { return l.conn.Close() }

// sqliteLoader writes multi-row INSERTs in large transactions on the write connection.
type sqliteLoader struct{ conn *sql.Conn }

// Rows per INSERT statement, and per transaction.
const (
	sqliteStmtRows = 200
	sqliteTxRows   = 100000
)

// sqliteLoadPragmas are bulk-load settings for the seeding connection only; finish puts
// back the store's (see store.sqlitePragmas). Foreign keys are off because the plan is
// consistent by construction and checking millions of child rows one by one costs.
func sqliteLoadPragmas() []string {
	return []string{"PRAGMA foreign_keys = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"}
}

func sqliteRestorePragmas() []string {
	return []string{"PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000",
		"PRAGMA wal_checkpoint(TRUNCATE)"}
}

func newSQLiteLoader(ctx context.Context, conn *sql.Conn) (*sqliteLoader, error) {
	l := &sqliteLoader{conn: conn}
	if err := l.exec(ctx, sqliteLoadPragmas()); err != nil {
		conn.Close()
		return nil, err
	}
	return l, nil
}

func (l *sqliteLoader) exec(ctx context.Context, stmts []string) error {
	for _, s := range stmts {
		if _, err := l.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("bench: %s: %w", s, err)
		}
	}
	return nil
}

func (l *sqliteLoader) finish(ctx context.Context) error { return l.exec(ctx, sqliteRestorePragmas()) }

func (l *sqliteLoader) close() error { return l.conn.Close() }

// load writes t in transactions of sqliteTxRows rows.
func (l *sqliteLoader) load(ctx context.Context, t table) error {
	full := insertSQL(t, sqliteStmtRows)
	args := make([]any, 0, sqliteStmtRows*len(t.cols))
	for done := false; !done; {
		var err error
		args, done, err = l.loadTx(ctx, t, full, args)
		if err != nil {
			return err
		}
	}
	if len(args) == 0 {
		return nil
	}
	_, err := l.conn.ExecContext(ctx, insertSQL(t, len(args)/len(t.cols)), args...)
	return wrap(err, "insert last rows")
}

// loadTx inserts up to sqliteTxRows rows in one transaction, full statements only; it
// returns the rows left over for a last, shorter statement, and whether t is exhausted.
func (l *sqliteLoader) loadTx(ctx context.Context, t table, full string, args []any) ([]any, bool, error) {
	tx, err := l.conn.BeginTx(ctx, nil)
	if err != nil {
		return args, false, wrap(err, "begin")
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, full)
	if err != nil {
		return args, false, wrap(err, "prepare")
	}
	defer stmt.Close()
	done := false
	for n := 0; n < sqliteTxRows; n++ {
		row := t.next()
		if row == nil {
			done = true
			break
		}
		args = append(args, row...)
		if len(args) == cap(args) {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return args, false, wrap(err, "insert")
			}
			args = args[:0]
		}
	}
	return args, done, wrap(tx.Commit(), "commit")
}

// insertSQL is INSERT INTO t (cols) VALUES (?, …), … for n rows.
func insertSQL(t table, n int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(t.cols)), ", ") + ")"
	values := strings.TrimSuffix(strings.Repeat(one+", ", n), ", ")
	return "INSERT INTO " + t.name + " (" + strings.Join(t.cols, ", ") + ") VALUES " + values
}

// wrap adds context to a non-nil error.
func wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
