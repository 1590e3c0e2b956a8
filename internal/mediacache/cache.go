// Package mediacache keeps copies of remote media (attachments, avatars, headers and
// emoji of other servers' accounts) in the cache/ area of the media storage, under a
// size cap with least-recently-used eviction and an age limit. An evicted file keeps its
// index entry, so a request for it fetches it again from its origin.
package mediacache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

// Kinds of remote media.
const (
	Attachment = "attachment"
	Avatar     = "avatar"
	Header     = "header"
	Emoji      = "emoji"
)

// Prefix is the key prefix of the cache area.
const Prefix = "cache/"

// DefaultMaxObjectBytes caps one remote file, as Mastodon caps remote video.
const DefaultMaxObjectBytes = 99 << 20

var (
	// ErrDisabled means the admin chose not to cache remote media: link to the origin.
	ErrDisabled = errors.New("mediacache: remote media caching is off")
	// ErrUnsupported is a remote file that is not an image, video or audio.
	ErrUnsupported = errors.New("mediacache: not an image, video or audio file")
)

// Cache is the remote media cache.
type Cache struct {
	Store          *store.Store
	Blobs          blob.Store
	Client         *outbound.Client // the guarded client: remote URLs are untrusted
	Enabled        bool
	MaxBytes       int64         // size cap of what the cache holds
	MaxAge         time.Duration // files unread for this long are evicted
	MaxObjectBytes int64         // one file's cap; 0 means DefaultMaxObjectBytes
	Now            func() time.Time

	evictMu sync.Mutex // one eviction pass at a time
}

func (c *Cache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// touchEvery limits last-access writes: a file read often is written at most once a minute.
const touchEvery = time.Minute

// Fetch returns the key of remoteURL's cached copy, fetching it when the cache does not
// hold it (never fetched, or evicted). kind is one of Attachment, Avatar, Header, Emoji.
func (c *Cache) Fetch(ctx context.Context, kind, remoteURL string) (string, error) {
	if !c.Enabled {
		return "", ErrDisabled
	}
	e, err := c.Store.CachedMediaByURL(ctx, remoteURL)
	switch {
	case err == nil && !e.Evicted:
		if _, serr := c.Blobs.Stat(ctx, e.Key); serr == nil {
			return e.Key, c.touch(ctx, e)
		}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	return c.download(ctx, kind, remoteURL)
}

// Ensure makes sure the cache holds key, fetching it again when it was evicted, and
// records the read. ErrNotExist: the key was never cached.
func (c *Cache) Ensure(ctx context.Context, key string) error {
	e, err := c.Store.CachedMediaByKey(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return blob.ErrNotExist
	}
	if err != nil {
		return err
	}
	if !e.Evicted {
		if _, err := c.Blobs.Stat(ctx, key); err == nil {
			return c.touch(ctx, e)
		}
	}
	if !c.Enabled {
		return ErrDisabled
	}
	_, err = c.download(ctx, e.Kind, e.RemoteURL)
	return err
}

func (c *Cache) touch(ctx context.Context, e *store.CachedMedia) error {
	if now := c.now(); now.Sub(e.LastAccess) >= touchEvery {
		return c.Store.Writer().TouchCachedMedia(ctx, e.Key, now)
	}
	return nil
}

// download fetches remoteURL through the guarded client and stores it, trusting the
// bytes rather than the declared type.
func (c *Cache) download(ctx context.Context, kind, remoteURL string) (string, error) {
	limit := c.MaxObjectBytes
	if limit == 0 {
		limit = DefaultMaxObjectBytes
	}
	resp, err := c.Client.Get(ctx, remoteURL, nil, limit)
	if err != nil {
		return "", fmt.Errorf("mediacache: %w", err)
	}
	if resp.Status != http.StatusOK {
		return "", fmt.Errorf("mediacache: GET %s: status %d", remoteURL, resp.Status)
	}
	ct := http.DetectContentType(resp.Body)
	ext, ok := extensions[ct]
	if !ok {
		return "", fmt.Errorf("%w: %s is %s", ErrUnsupported, remoteURL, ct)
	}
	key := KeyFor(remoteURL, ext)
	if err := c.Blobs.Put(ctx, key, bytes.NewReader(resp.Body), int64(len(resp.Body)), ct); err != nil {
		return "", err
	}
	now := c.now()
	e := &store.CachedMedia{Key: key, RemoteURL: remoteURL, Kind: kind, Size: int64(len(resp.Body)), ContentType: ct,
		FetchedAt: now, LastAccess: now}
	if err := c.Store.Writer().PutCachedMedia(ctx, e); err != nil {
		return "", err
	}
	return key, c.EvictOverCap(ctx)
}

// KeyFor names the cached copy of a remote URL: a digest of the URL, so the same URL
// always lands on the same key and no remote name ever becomes a path.
func KeyFor(remoteURL, ext string) string {
	sum := sha256.Sum256([]byte(remoteURL))
	h := hex.EncodeToString(sum[:])
	return Prefix + h[:2] + "/" + h[2:32] + ext
}

// extensions are the types the cache keeps, as sniffed from the bytes.
var extensions = map[string]string{
	"image/jpeg": ".jpeg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/avif": ".avif",
	"video/mp4": ".mp4", "video/webm": ".webm", "audio/mpeg": ".mp3", "audio/ogg": ".ogg", "audio/wave": ".wav",
	"application/ogg": ".ogg",
}
