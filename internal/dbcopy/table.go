package dbcopy

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// copyTable copies the rows the target lacks: past its highest id for a table keyed by an
// integer id, everything (skipping keys already there) for other keyed tables, and a
// keyless table only into an empty target (verification resyncs it otherwise).
func (c *copier) copyTable(ctx context.Context, t table) (int64, error) {
	var present int64
	if err := c.dst.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(t.name)).Scan(&present); err != nil {
		return 0, fmt.Errorf("dbcopy: count %s in the target: %w", t.name, err)
	}
	if c.bar != nil {
		c.bar.Describe(t.name)
		_ = c.bar.Add64(present)
	}
	where, conflict := "", ""
	var args []any
	switch {
	case t.intID:
		var hw sql.NullInt64
		if err := c.dst.QueryRowContext(ctx, fmt.Sprintf("SELECT MAX(%s) FROM %s", quote(t.pk[0]), quote(t.name))).Scan(&hw); err != nil {
			return 0, fmt.Errorf("dbcopy: high-water mark of %s: %w", t.name, err)
		}
		if hw.Valid {
			where, args = fmt.Sprintf(" WHERE %s > $1", quote(t.pk[0])), []any{hw.Int64}
		}
	case present == 0:
	case len(t.pk) > 0:
		conflict = " ON CONFLICT DO NOTHING"
	default:
		return 0, nil
	}
	return c.stream(ctx, t, where+orderBy(t), args, conflict)
}

func orderBy(t table) string {
	if len(t.pk) == 0 {
		return ""
	}
	return " ORDER BY " + quoteAll(t.pk)
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// stream reads the source's rows and inserts them in batches, each its own statement, so
// an interruption loses at most the batch in flight.
func (c *copier) stream(ctx context.Context, t table, tail string, args []any, conflict string) (int64, error) {
	exprs := make([]string, len(t.cols))
	for i, col := range t.cols {
		exprs[i] = sourceExpr(col)
	}
	rows, err := c.src.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+quote(t.name)+tail, args...)
	if err != nil {
		return 0, fmt.Errorf("dbcopy: read %s: %w", t.name, err)
	}
	defer rows.Close()
	perBatch := min(c.o.BatchRows, 60000/max(1, len(t.cols))) // PostgreSQL takes 65,535 parameters at most
	var batch [][]any
	var copied int64
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := c.insert(ctx, t, batch, conflict)
		if err != nil {
			return err
		}
		copied += n // rows written, not those a conflict skipped
		if c.bar != nil {
			_ = c.bar.Add(len(batch))
		}
		batch = batch[:0]
		if c.o.AfterBatch != nil {
			return c.o.AfterBatch(t.name, copied)
		}
		return nil
	}
	for rows.Next() {
		row, err := scanRow(rows, len(t.cols))
		if err != nil {
			return copied, fmt.Errorf("dbcopy: read %s: %w", t.name, err)
		}
		for i, col := range t.cols {
			if row[i], err = toTarget(col, row[i]); err != nil {
				return copied, fmt.Errorf("dbcopy: %s.%s: %w", t.name, col.name, err)
			}
		}
		if batch = append(batch, row); len(batch) == perBatch {
			if err := flush(); err != nil {
				return copied, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return copied, fmt.Errorf("dbcopy: read %s: %w", t.name, err)
	}
	return copied, flush()
}

func scanRow(rows *sql.Rows, n int) ([]any, error) {
	row := make([]any, n)
	ptrs := make([]any, n)
	for i := range row {
		ptrs[i] = &row[i]
	}
	return row, rows.Scan(ptrs...)
}

func (c *copier) insert(ctx context.Context, t table, batch [][]any, conflict string) (int64, error) {
	var b strings.Builder
	names := make([]string, len(t.cols))
	for i, col := range t.cols {
		names[i] = col.name
	}
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", quote(t.name), quoteAll(names))
	args := make([]any, 0, len(batch)*len(t.cols))
	for r, row := range batch {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i, col := range t.cols {
			if i > 0 {
				b.WriteString(", ")
			}
			args = append(args, row[i])
			b.WriteString(placeholder(col, len(args)))
		}
		b.WriteByte(')')
	}
	b.WriteString(conflict)
	res, err := c.dst.ExecContext(ctx, b.String(), args...)
	if err != nil {
		return 0, fmt.Errorf("dbcopy: write %s: %w", t.name, err)
	}
	return res.RowsAffected()
}

// verifyAll compares every table's count and checksum; a table that differs (rows the
// running instance changed after an earlier run copied them) is brought over again and
// everything compared once more, since a resync can cascade to child tables.
func (c *copier) verifyAll(ctx context.Context, tables []table, rep *Report) error {
	for round := 0; ; round++ {
		var bad []string
		for i, t := range tables {
			s, d, err := c.sums(ctx, t)
			if err != nil {
				return err
			}
			rep.Tables[i].Rows, rep.Tables[i].Checksum = s.rows, s.String()
			if s.rows != d.rows || s.String() != d.String() {
				bad = append(bad, t.name)
				if round < 2 {
					if err := c.resync(ctx, t); err != nil {
						return err
					}
					rep.Tables[i].Resynced = true
				}
			}
		}
		if len(bad) == 0 {
			return nil
		}
		if round == 2 {
			return fmt.Errorf("dbcopy: verification failed: %s differ between source and target", strings.Join(bad, ", "))
		}
	}
}

func (c *copier) sums(ctx context.Context, t table) (src, dst checksum, err error) {
	if src, err = sum(ctx, c.src, t, sourceExpr); err != nil {
		return src, dst, err
	}
	dst, err = sum(ctx, c.dst, t, targetExpr)
	return src, dst, err
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func sum(ctx context.Context, db querier, t table, expr func(column) string) (checksum, error) {
	var s checksum
	exprs := make([]string, len(t.cols))
	for i, col := range t.cols {
		exprs[i] = expr(col)
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+quote(t.name))
	if err != nil {
		return s, fmt.Errorf("dbcopy: checksum %s: %w", t.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		row, err := scanRow(rows, len(t.cols))
		if err != nil {
			return s, err
		}
		if err := s.add(t.cols, row); err != nil {
			return s, fmt.Errorf("dbcopy: checksum %s: %w", t.name, err)
		}
	}
	return s, rows.Err()
}

// resync makes a target table equal to the source: keyed rows upserted and the target's
// extra keys deleted; a keyless table emptied and copied whole.
func (c *copier) resync(ctx context.Context, t table) error {
	if len(t.pk) == 0 {
		if _, err := c.dst.ExecContext(ctx, "DELETE FROM "+quote(t.name)); err != nil {
			return fmt.Errorf("dbcopy: empty %s: %w", t.name, err)
		}
		_, err := c.stream(ctx, t, "", nil, "")
		return err
	}
	if _, err := c.stream(ctx, t, orderBy(t), nil, upsert(t)); err != nil {
		return err
	}
	return c.deleteExtra(ctx, t)
}

func upsert(t table) string {
	var sets []string
	for _, col := range t.cols {
		if !slices.Contains(t.pk, col.name) {
			sets = append(sets, fmt.Sprintf("%s = EXCLUDED.%s", quote(col.name), quote(col.name)))
		}
	}
	if len(sets) == 0 {
		return " ON CONFLICT DO NOTHING"
	}
	return fmt.Sprintf(" ON CONFLICT (%s) DO UPDATE SET %s", quoteAll(t.pk), strings.Join(sets, ", "))
}

// deleteExtra removes target rows whose key the source no longer has.
func (c *copier) deleteExtra(ctx context.Context, t table) error {
	keyTable := table{name: t.name}
	for _, name := range t.pk {
		for _, col := range t.cols {
			if col.name == name {
				keyTable.cols = append(keyTable.cols, col)
			}
		}
	}
	have := map[string]bool{}
	if err := eachKey(ctx, c.src, keyTable, sourceExpr, func(k string, _ []any) { have[k] = true }); err != nil {
		return err
	}
	var extra [][]any
	if err := eachKey(ctx, c.dst, keyTable, targetExpr, func(k string, raw []any) {
		if !have[k] {
			extra = append(extra, raw)
		}
	}); err != nil {
		return err
	}
	cond := make([]string, len(t.pk))
	for i, name := range t.pk {
		cond[i] = fmt.Sprintf("%s = $%d", quote(name), i+1)
	}
	for _, key := range extra {
		if _, err := c.dst.ExecContext(ctx, "DELETE FROM "+quote(t.name)+" WHERE "+strings.Join(cond, " AND "), key...); err != nil {
			return fmt.Errorf("dbcopy: delete from %s: %w", t.name, err)
		}
	}
	return nil
}

func eachKey(ctx context.Context, db querier, t table, expr func(column) string, fn func(string, []any)) error {
	exprs := make([]string, len(t.cols))
	for i, col := range t.cols {
		exprs[i] = expr(col)
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+quote(t.name))
	if err != nil {
		return fmt.Errorf("dbcopy: keys of %s: %w", t.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		row, err := scanRow(rows, len(t.cols))
		if err != nil {
			return err
		}
		var k strings.Builder
		for i, col := range t.cols {
			text, err := canonical(col, row[i])
			if err != nil {
				return err
			}
			fmt.Fprintf(&k, "%d:%s", len(text), text)
		}
		fn(k.String(), row)
	}
	return rows.Err()
}
