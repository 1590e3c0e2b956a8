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
