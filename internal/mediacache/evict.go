package mediacache

import (
	"context"
	"errors"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// evictBatch is how many entries one query of an eviction pass reads.
const evictBatch = 200

// EvictOverCap removes the least recently read files until the cache fits MaxBytes.
func (c *Cache) EvictOverCap(ctx context.Context) error {
	c.evictMu.Lock()
	defer c.evictMu.Unlock()
	for {
		total, _, err := c.Store.CachedMediaTotal(ctx)
		if err != nil || total <= c.MaxBytes {
			return err
		}
		lru, err := c.Store.LeastRecentlyUsedMedia(ctx, evictBatch)
		if err != nil || len(lru) == 0 {
			return err
		}
		for _, e := range lru {
			if total <= c.MaxBytes {
				return nil
			}
			if err := c.evict(ctx, e); err != nil {
				return err
			}
			total -= e.Size
		}
	}
}

// EvictUnread removes files of the kinds not read for maxAge; it returns how many files
// and bytes it removed.
func (c *Cache) EvictUnread(ctx context.Context, maxAge time.Duration, kinds []string) (files int, bytes int64, err error) {
	c.evictMu.Lock()
	defer c.evictMu.Unlock()
	before := c.now().Add(-maxAge)
	for {
		old, err := c.Store.CachedMediaUnreadSince(ctx, before, kinds, evictBatch)
		if err != nil || len(old) == 0 {
			return files, bytes, err
		}
		for _, e := range old {
			if err := c.evict(ctx, e); err != nil {
				return files, bytes, err
			}
			files++
			bytes += e.Size
		}
	}
}

func (c *Cache) evict(ctx context.Context, e *store.CachedMedia) error {
	if err := c.Blobs.Delete(ctx, e.Key); err != nil {
		return err
	}
	return c.Store.Writer().MarkCachedMediaEvicted(ctx, e.Key, c.now())
}

// AllKinds are every kind of remote media.
var AllKinds = []string{Attachment, Avatar, Header, Emoji}

// Sweep is the periodic job's pass: files past the age limit go, then the least
// recently read until the cache fits its cap.
func (c *Cache) Sweep(ctx context.Context) error {
	if _, _, err := c.EvictUnread(ctx, c.MaxAge, AllKinds); err != nil {
		return err
	}
	return c.EvictOverCap(ctx)
}

// Owns tells whether key has an index entry holding it, for orphan removal.
func (c *Cache) Owns(ctx context.Context, key string) (bool, error) {
	e, err := c.Store.CachedMediaByKey(ctx, key)
	if err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, err
	}
	return !e.Evicted, nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
