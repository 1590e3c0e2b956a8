package store

import (
	"context"
	"time"
)

// MediaStorageState is the row that says which media backend is active.
type MediaStorageState struct {
	Backend  string // where reads go first and writes go
	Fallback string // during a move, where reads go when Backend lacks an object
}

// MediaStorage reads the active media backend; ErrNotFound until one was ever set.
func (q Q) MediaStorage(ctx context.Context) (MediaStorageState, error) {
	var s MediaStorageState
	err := q.db.QueryRowContext(ctx, `SELECT backend, fallback FROM media_storage WHERE id = 1`).Scan(&s.Backend, &s.Fallback)
	return s, notFound(err, "media storage")
}

// SetMediaStorage records the active media backend.
func (q Q) SetMediaStorage(ctx context.Context, s MediaStorageState) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO media_storage (id, backend, fallback, updated_at) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET backend = excluded.backend, fallback = excluded.fallback, updated_at = excluded.updated_at`,
		s.Backend, s.Fallback, time.Now().UTC())
	return wrap(err, "set media storage")
}

// CachedMedia is one remote file kept in the cache area.
type CachedMedia struct {
	Key         string
	RemoteURL   string
	Size        int64
	ContentType string
	FetchedAt   time.Time
	LastAccess  time.Time
}

const cachedMediaColumns = `key, remote_url, size, content_type, fetched_at, last_access`

func scanCachedMedia(row scanner) (*CachedMedia, error) {
	var c CachedMedia
	err := row.Scan(&c.Key, &c.RemoteURL, &c.Size, &c.ContentType, &c.FetchedAt, &c.LastAccess)
	return &c, err
}

// CachedMediaByURL finds the cached copy of a remote URL.
func (q Q) CachedMediaByURL(ctx context.Context, remoteURL string) (*CachedMedia, error) {
	c, err := scanCachedMedia(q.db.QueryRowContext(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache WHERE remote_url = $1`, remoteURL))
	return c, notFound(err, "cached media")
}

// InsertCachedMedia records a freshly cached file, replacing an entry for the same URL.
func (q Q) InsertCachedMedia(ctx context.Context, c *CachedMedia) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO remote_media_cache (`+cachedMediaColumns+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (remote_url) DO UPDATE SET key = excluded.key, size = excluded.size, content_type = excluded.content_type,
			fetched_at = excluded.fetched_at, last_access = excluded.last_access`,
		c.Key, c.RemoteURL, c.Size, c.ContentType, c.FetchedAt.UTC(), c.LastAccess.UTC())
	return wrap(err, "cache media %s", c.RemoteURL)
}

// TouchCachedMedia records a read of a cached file, for least-recently-used eviction.
func (q Q) TouchCachedMedia(ctx context.Context, key string, at time.Time) error {
	_, err := q.db.ExecContext(ctx, `UPDATE remote_media_cache SET last_access = $1 WHERE key = $2`, at.UTC(), key)
	return wrap(err, "touch cached media")
}

// DeleteCachedMedia forgets a cached file.
func (q Q) DeleteCachedMedia(ctx context.Context, key string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM remote_media_cache WHERE key = $1`, key)
	return wrap(err, "delete cached media")
}

// CachedMediaTotal is the cache's size in bytes and files.
func (q Q) CachedMediaTotal(ctx context.Context) (bytes, files int64, err error) {
	err = q.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0), COUNT(*) FROM remote_media_cache`).Scan(&bytes, &files)
	return bytes, files, wrap(err, "cached media total")
}

// LeastRecentlyUsedMedia lists up to limit cached files, least recently read first.
func (q Q) LeastRecentlyUsedMedia(ctx context.Context, limit int) ([]*CachedMedia, error) {
	return q.cachedMediaList(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache ORDER BY last_access, key LIMIT $1`, limit)
}

// CachedMediaUnreadSince lists up to limit cached files not read since before.
func (q Q) CachedMediaUnreadSince(ctx context.Context, before time.Time, limit int) ([]*CachedMedia, error) {
	return q.cachedMediaList(ctx, `SELECT `+cachedMediaColumns+` FROM remote_media_cache WHERE last_access < $1 ORDER BY last_access, key LIMIT $2`, before.UTC(), limit)
}

// CachedMediaKeyExists tells whether a key in the cache area has its index row.
func (q Q) CachedMediaKeyExists(ctx context.Context, key string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM remote_media_cache WHERE key = $1`, key).Scan(&n)
	return n > 0, wrap(err, "cached media key")
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
