package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
)

// The full-text index differs by engine: an FTS5 table in SQLite, a tsvector column
// with a GIN index in PostgreSQL. These functions are the only place that knows.

func (q Q) indexStatus(ctx context.Context, statusID int64, text string) error {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	var err error
	switch q.engine {
	case SQLite:
		_, err = q.db.ExecContext(ctx, `INSERT INTO statuses_fts (rowid, body) VALUES ($1, $2)`, statusID, text)
	case Postgres:
		_, err = q.db.ExecContext(ctx, `UPDATE statuses SET search_vector = to_tsvector('simple', $1) WHERE id = $2`, text, statusID)
	}
	return wrap(err, "index status %d", statusID)
}

func (q Q) unindexStatus(ctx context.Context, statusID int64) error {
	if q.engine != SQLite {
		return nil // the column goes with the row
	}
	_, err := q.db.ExecContext(ctx, `DELETE FROM statuses_fts WHERE rowid = $1`, statusID)
	return wrap(err, "unindex status %d", statusID)
}

func (q Q) deleteAccountSearchRows(ctx context.Context, accountID int64) error {
	if q.engine != SQLite {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `DELETE FROM statuses_fts WHERE rowid IN (SELECT id FROM statuses WHERE account_id = $1)`, accountID)
	return wrap(err, "unindex statuses of account %d", accountID)
}

// SearchStatuses returns statuses matching every word of query that viewer may see,
// newest first.
func (q Q) SearchStatuses(ctx context.Context, viewer int64, query string, accountID int64, limit, offset int) ([]*model.Status, error) {
	words := strings.Fields(query)
	if len(words) == 0 {
		return nil, nil
	}
	var b builder
	switch q.engine {
	case SQLite:
		b.where(`s.id IN (SELECT rowid FROM statuses_fts WHERE statuses_fts MATCH ?)`, ftsQuery(words))
	case Postgres:
		b.where(`s.search_vector @@ plainto_tsquery('simple', ?)`, strings.Join(words, " "))
	}
	b.where("s.reblog_of_id IS NULL")
	b.visibleTo(viewer)
	b.screenFor(viewer)
	if accountID != 0 {
		b.where("s.account_id = ?", accountID)
	}
	return q.statuses(ctx, "search statuses", b.clause()+fmt.Sprintf(" ORDER BY s.id DESC LIMIT %d OFFSET %d", limit, offset), b.args...)
}

// ftsQuery quotes each word so user input cannot use FTS5 query syntax.
func ftsQuery(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " ")
}

// EnsureTag returns the tag with this name, creating it when new.
func (q Q) EnsureTag(ctx context.Context, name string) (*model.Tag, error) {
	t, err := q.TagByName(ctx, name)
	if err == nil {
		return t, nil
	}
	t = &model.Tag{ID: q.NewID(), Name: name, CreatedAt: time.Now().UTC()}
	_, err = q.db.ExecContext(ctx, `INSERT INTO tags (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, t.ID, t.Name, t.CreatedAt)
	if err != nil {
		return nil, fmt.Errorf("store: insert tag %s: %w", name, err)
	}
	return q.TagByName(ctx, name)
}

// TagByName loads a tag case-insensitively.
func (q Q) TagByName(ctx context.Context, name string) (*model.Tag, error) {
	var t model.Tag
	err := q.db.QueryRowContext(ctx, `SELECT id, name, created_at FROM tags WHERE lower(name) = lower($1)`, name).Scan(&t.ID, &t.Name, &t.CreatedAt)
	return &t, notFound(err, "tag "+name)
}

// SearchTags finds tags whose name starts with prefix, most used first.
func (q Q) SearchTags(ctx context.Context, prefix string, limit, offset int) ([]*model.Tag, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT t.id, t.name, t.created_at FROM tags t WHERE lower(t.name) LIKE $1 ESCAPE '\'
		ORDER BY (SELECT COUNT(*) FROM status_tags st WHERE st.tag_id = t.id) DESC, t.name LIMIT $2 OFFSET $3`,
		escapeLike(strings.ToLower(prefix))+"%", limit, offset)
	if err != nil {
		return nil, fmt.Errorf("store: search tags: %w", err)
	}
	defer rows.Close()
	var out []*model.Tag
	for rows.Next() {
		var t model.Tag
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, &t)
	}
	return out, rows.Err()
}
