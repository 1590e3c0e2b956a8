package store

import (
	"context"
	"database/sql"
	"time"
)

// CachedMedia is one remote file in the media cache's index.
type CachedMedia struct {
	Key         string
	RemoteURL   string
	Kind        string // attachment, avatar, header or emoji
	Size        int64
	ContentType string
	FetchedAt   time.Time
	LastAccess  time.Time
	Evicted     bool // the file was removed; its key refetches it
}

const cachedMediaColumns = `key, remote_url, kind, size, content_type, fetched_at, last_access, evicted_at`

func scanCachedMedia(row scanner) (*CachedMedia, error) {
	var c CachedMedia
	var evicted sql.NullTime
	err := row.Scan(&c.Key, &c.RemoteURL, &c.Kind, &c.Size, &c.ContentType, &c.FetchedAt, &c.LastAccess, &evicted)
	c.Evicted = evicted.Valid
	return &c, err
}

// CachedMediaByURL finds the index entry of a remote URL.
func (q Q) CachedMediaByURL(ctx context.Context, remoteURL string) (*CachedMedia, error) {
	c, err := scanCachedMedia(q.db.QueryRowContext(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache WHERE remote_url = $1`, remoteURL))
	return c, notFound(err, "cached media")
}

// CachedMediaByKey finds the index entry of a key in the cache area.
func (q Q) CachedMediaByKey(ctx context.Context, key string) (*CachedMedia, error) {
	c, err := scanCachedMedia(q.db.QueryRowContext(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache WHERE key = $1`, key))
	return c, notFound(err, "cached media")
}

// PutCachedMedia records a freshly fetched file, replacing the entry of its key.
func (q Q) PutCachedMedia(ctx context.Context, c *CachedMedia) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO remote_media_cache (`+cachedMediaColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
		ON CONFLICT (key) DO UPDATE SET remote_url = excluded.remote_url, kind = excluded.kind, size = excluded.size,
			content_type = excluded.content_type, fetched_at = excluded.fetched_at, last_access = excluded.last_access, evicted_at = NULL`,
		c.Key, c.RemoteURL, c.Kind, c.Size, c.ContentType, c.FetchedAt.UTC(), c.LastAccess.UTC())
	return wrap(err, "cache media %s", c.RemoteURL)
}

// TouchCachedMedia records a read of a cached file, for least-recently-used eviction.
func (q Q) TouchCachedMedia(ctx context.Context, key string, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE remote_media_cache SET last_access = $1 WHERE key = $2`, at.UTC(), key)
	return wrap(err, "touch cached media")
}

// MarkCachedMediaEvicted records that a cached file was removed.
func (q Q) MarkCachedMediaEvicted(ctx context.Context, key string, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE remote_media_cache SET evicted_at = $1 WHERE key = $2`, at.UTC(), key)
	return wrap(err, "evict cached media")
}

// CachedMediaTotal is the size in bytes and the file count of what the cache holds.
func (q Q) CachedMediaTotal(ctx context.Context) (bytes, files int64, err error) {
	err = q.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0), COUNT(*) FROM remote_media_cache WHERE evicted_at IS NULL`).Scan(&bytes, &files)
	return bytes, files, wrap(err, "cached media total")
}

// LeastRecentlyUsedMedia lists up to limit held files, least recently read first.
func (q Q) LeastRecentlyUsedMedia(ctx context.Context, limit int) ([]*CachedMedia, error) {
	return q.cachedMediaList(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache
		WHERE evicted_at IS NULL ORDER BY last_access, key LIMIT $1`, limit)
}

// CachedMediaUnreadSince lists up to limit held files of the kinds not read since before.
func (q Q) CachedMediaUnreadSince(ctx context.Context, before time.Time, kinds []string, limit int) ([]*CachedMedia, error) {
	args := []any{before.UTC(), limit}
	for _, k := range kinds {
		args = append(args, k)
	}
	return q.cachedMediaList(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache
		WHERE evicted_at IS NULL AND last_access < $1 AND kind IN (`+placeholders(3, len(kinds))+`)
		ORDER BY last_access, key LIMIT $2`, args...)
}

func (q Q) cachedMediaList(ctx context.Context, query string, args ...any) ([]*CachedMedia, error) {
	rows, err := q.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(err, "cached media")
	}
	defer rows.Close()
	var out []*CachedMedia
	for rows.Next() {
		c, err := scanCachedMedia(rows)
		if err != nil {
			return nil, wrap(err, "cached media")
		}
		out = append(out, c)
	}
	return out, wrap(rows.Err(), "cached media")
}
