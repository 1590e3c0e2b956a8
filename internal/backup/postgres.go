package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/tuskhq/tusk/internal/dbcopy"
)

// pgTable is one dumped table: its stored columns, and its serial column if it has one.
type pgTable struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Serial  string   `json:"serial,omitempty"`
}

const pgTablesName = pgPrefix + "tables.json"

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

// dumpPostgres writes every table with COPY … TO STDOUT inside one read-only REPEATABLE
// READ transaction: all tables come from the same moment while the instance writes on.
// Tables go parents first, the order a restore must load them in.
func dumpPostgres(ctx context.Context, w *writer, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("backup: connect to postgres: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("backup: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	tables, err := pgTables(ctx, tx)
	if err != nil {
		return err
	}
	list, _ := json.Marshal(tables)
	if err := w.addBytes(pgTablesName, list); err != nil {
		return err
	}
	for _, t := range tables {
		if err := dumpTable(ctx, w, conn, t); err != nil {
			return err
		}
	}
	return nil
}

// dumpTable spools one table to a temporary file first: a tar entry needs its size.
func dumpTable(ctx context.Context, w *writer, conn *pgx.Conn, t pgTable) error {
	f, err := os.CreateTemp("", "tusk-dump-")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	q := fmt.Sprintf("COPY %s (%s) TO STDOUT", quoteIdent(t.Name), quoteList(t.Columns))
	if _, err := conn.PgConn().CopyTo(ctx, f, q); err != nil {
		return fmt.Errorf("backup: dump %s: %w", t.Name, err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return w.add(pgPrefix+t.Name+".copy", size, f)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quoteIdent(n)
	}
	return strings.Join(q, ", ")
}

type queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// pgTables lists the schema's tables (but the migration records, which the restore's own
// migrations write) with their columns, parents first.
func pgTables(ctx context.Context, q queryer) ([]pgTable, error) {
	rows, err := q.Query(ctx, `SELECT c.table_name, c.column_name,
			COALESCE(pg_get_serial_sequence(quote_ident(c.table_name), c.column_name), '') <> ''
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
		  AND c.table_name NOT IN ('schema_migrations', 'river_migration')
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	byName := map[string]*pgTable{}
	var names []string
	for rows.Next() {
		var table, col string
		var serial bool
		if err := rows.Scan(&table, &col, &serial); err != nil {
			return nil, err
		}
		t := byName[table]
		if t == nil {
			t = &pgTable{Name: table}
			byName[table] = t
			names = append(names, table)
		}
		t.Columns = append(t.Columns, col)
		if serial {
			t.Serial = col
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	deps, err := pgDeps(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []pgTable
	for _, n := range dbcopy.ParentsFirst(names, deps) {
		out = append(out, *byName[n])
	}
	return out, nil
}

func pgDeps(ctx context.Context, q queryer) (map[string][]string, error) {
	rows, err := q.Query(ctx, `SELECT ch.relname, pa.relname FROM pg_constraint c
		JOIN pg_class ch ON ch.oid = c.conrelid JOIN pg_class pa ON pa.oid = c.confrelid
		WHERE c.contype = 'f' AND ch.relnamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, fmt.Errorf("backup: foreign keys: %w", err)
	}
	deps := map[string][]string{}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			return nil, err
		}
		if child != parent {
			deps[child] = append(deps[child], parent)
		}
	}
	return deps, rows.Err()
}

// pgLoader loads a dump's tables into an empty database, in the archive's order.
type pgLoader struct {
	conn   *pgx.Conn
	tables map[string]pgTable
}

func (l *pgLoader) load(ctx context.Context, name string, r io.Reader) error {
	if name == pgTablesName {
		var list []pgTable
		if err := json.NewDecoder(r).Decode(&list); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
		}
		l.tables = map[string]pgTable{}
		for _, t := range list {
			l.tables[t.Name] = t
		}
		return nil
	}
	t, ok := l.tables[strings.TrimSuffix(strings.TrimPrefix(name, pgPrefix), ".copy")]
	if !ok {
		return fmt.Errorf("%w: %s is not in tables.json", ErrCorrupt, name)
	}
	q := fmt.Sprintf("COPY %s (%s) FROM STDIN", quoteIdent(t.Name), quoteList(t.Columns))
	if _, err := l.conn.PgConn().CopyFrom(ctx, r, q); err != nil {
		return fmt.Errorf("backup: restore %s: %w", t.Name, err)
	}
	if t.Serial == "" {
		return nil
	}
	_, err := l.conn.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)`,
		quoteIdent(t.Serial), quoteIdent(t.Name)), quoteIdent(t.Name), t.Serial)
	if err != nil {
		return fmt.Errorf("backup: sequence of %s: %w", t.Name, err)
	}
	return nil
}
