package store

import (
	"context"
	"fmt"
	"strings"
)

// IndexSource is what the full-text index of one status is built from.
type IndexSource struct {
	ID                         int64
	SpoilerText, Text, Content string
}

// CountIndexable counts the statuses the full-text index covers (every one but boosts).
func (q Q) CountIndexable(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM statuses WHERE reblog_of_id IS NULL`).Scan(&n)
	return n, wrap(err, "count indexable statuses")
}

// IndexSources pages through the statuses the index covers, by id.
func (q Q) IndexSources(ctx context.Context, afterID int64, limit int) ([]IndexSource, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, spoiler_text, text, content FROM statuses
		WHERE reblog_of_id IS NULL AND id > $1 ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: index sources: %w", err)
	}
	defer rows.Close()
	var out []IndexSource
	for rows.Next() {
		var s IndexSource
		if err := rows.Scan(&s.ID, &s.SpoilerText, &s.Text, &s.Content); err != nil {
			return nil, fmt.Errorf("store: index sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ReindexStatus replaces a status's entry in the full-text index; blank text removes it.
func (q Q) ReindexStatus(ctx context.Context, statusID int64, text string) error {
	if err := q.unindexStatus(ctx, statusID); err != nil {
		return err
	}
	if q.engine == Postgres && strings.TrimSpace(text) == "" {
		_, err := q.db.ExecContext(ctx, `UPDATE statuses SET search_vector = NULL WHERE id = $1`, statusID)
		return wrap(err, "unindex status %d", statusID)
	}
	return q.indexStatus(ctx, statusID, text)
}
