// Package dbcopy moves an instance's embedded SQLite database into PostgreSQL: every
// table the two schemas share, River's job tables included, copied in primary-key order
// in batches, resumable after an interruption, then verified by row counts and per-table
// checksums computed the same way on both sides.
package dbcopy

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// kind is how a column's values are compared and converted, from its PostgreSQL type.
type kind int

const (
	kindText kind = iota
	kindInt
	kindFloat
	kindBool
	kindTime
	kindJSON      // json, jsonb
	kindTextArray // text[], varchar[]: JSON arrays in SQLite
	kindJSONArray // jsonb[]: JSON arrays of objects in SQLite
	kindBit       // bit(n): an integer bit mask in SQLite
	kindBytes
)

type column struct {
	name   string
	kind   kind
	pgType string // udt name, for casts
}

// table is one table both schemas have, with the columns they share.
type table struct {
	name  string
	cols  []column
	pk    []string // primary key columns, in key order; empty when the table has none
	intID bool     // the key is one integer column: copies resume past the target's max
}

// skipped are tables whose contents each side's migrations own.
var skipped = []string{"schema_migrations", "river_migration"}

// discover lists the tables to copy, parents before children, and the source tables the
// target lacks (SQLite's full-text index, whose PostgreSQL twin is a column).
func discover(ctx context.Context, src, dst *sql.DB) (tables []table, absent []string, err error) {
	names, err := sqliteTables(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	deps := map[string][]string{}
	for _, name := range names {
		cols, err := pgColumns(ctx, dst, name)
		if err != nil {
			return nil, nil, err
		}
		if len(cols) == 0 {
			absent = append(absent, name)
			continue
		}
		t, refs, err := sqliteShape(ctx, src, name, cols)
		if err != nil {
			return nil, nil, err
		}
		deps[name] = refs
		tables = append(tables, t)
	}
	return parentsFirst(tables, deps), absent, nil
}

func sqliteTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("dbcopy: list source tables: %w", err)
	}
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, err
		}
		if !slices.Contains(skipped, name) {
			out = append(out, name)
		}
	}
	rows.Close()
	return out, rows.Err()
}

// pgColumns lists a target table's stored (not generated) columns with their kinds.
func pgColumns(ctx context.Context, db *sql.DB, name string) (map[string]column, error) {
	rows, err := db.QueryContext(ctx, `SELECT column_name, data_type, udt_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'`, name)
	if err != nil {
		return nil, fmt.Errorf("dbcopy: columns of %s in the target: %w", name, err)
	}
	defer rows.Close()
	out := map[string]column{}
	for rows.Next() {
		var c column
		var dataType string
		if err := rows.Scan(&c.name, &dataType, &c.pgType); err != nil {
			return nil, err
		}
		c.kind = kindOf(dataType, c.pgType)
		out[c.name] = c
	}
	return out, rows.Err()
}

func kindOf(dataType, udt string) kind {
	switch {
	case udt == "_jsonb" || udt == "_json":
		return kindJSONArray
	case dataType == "ARRAY":
		return kindTextArray
	case udt == "bool":
		return kindBool
	case udt == "int2" || udt == "int4" || udt == "int8":
		return kindInt
	case udt == "float4" || udt == "float8" || udt == "numeric":
		return kindFloat
	case strings.HasPrefix(udt, "timestamp") || udt == "date":
		return kindTime
	case udt == "json" || udt == "jsonb":
		return kindJSON
	case udt == "bit" || udt == "varbit":
		return kindBit
	case udt == "bytea":
		return kindBytes
	}
	return kindText
}

// sqliteShape keeps the columns both sides have, in the source's order, and reads the
// primary key and the tables this one refers to.
func sqliteShape(ctx context.Context, db *sql.DB, name string, target map[string]column) (table, []string, error) {
	t := table{name: name}
	rows, err := db.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid`, name)
	if err != nil {
		return t, nil, fmt.Errorf("dbcopy: columns of %s: %w", name, err)
	}
	pks := map[int]string{}
	var pkType string
	for rows.Next() {
		var col, typ string
		var pk int
		if err := rows.Scan(&col, &typ, &pk); err != nil {
			rows.Close()
			return t, nil, err
		}
		if c, ok := target[col]; ok {
			t.cols = append(t.cols, c)
		}
		if pk > 0 {
			pks[pk], pkType = col, typ
		}
	}
	rows.Close()
	for i := 1; i <= len(pks); i++ {
		t.pk = append(t.pk, pks[i])
	}
	t.intID = len(t.pk) == 1 && strings.Contains(strings.ToUpper(pkType), "INT")
	refs, err := references(ctx, db, name)
	return t, refs, err
}

func references(ctx context.Context, db *sql.DB, name string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, name)
	if err != nil {
		return nil, fmt.Errorf("dbcopy: foreign keys of %s: %w", name, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, err
		}
		if ref != name {
			out = append(out, ref)
		}
	}
	return out, rows.Err()
}

// ParentsFirst orders table names so that each comes after the tables its foreign keys
// name (deps), as a database that enforces them while rows arrive needs; cycles are
// broken where they are met.
func ParentsFirst(names []string, deps map[string][]string) []string {
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	done := map[string]bool{}
	var out []string
	var visit func(name string, path map[string]bool)
	visit = func(name string, path map[string]bool) {
		if !known[name] || done[name] || path[name] {
			return
		}
		path[name] = true
		for _, d := range deps[name] {
			visit(d, path)
		}
		done[name] = true
		out = append(out, name)
	}
	for _, n := range names {
		visit(n, map[string]bool{})
	}
	return out
}

func parentsFirst(tables []table, deps map[string][]string) []table {
	byName := map[string]table{}
	names := make([]string, len(tables))
	for i, t := range tables {
		byName[t.name], names[i] = t, t.name
	}
	out := make([]table, 0, len(tables))
	for _, n := range ParentsFirst(names, deps) {
		out = append(out, byName[n])
	}
	return out
}
