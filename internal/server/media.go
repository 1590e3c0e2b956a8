package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/store"
)

// LocalMediaDir is the local backend's folder under the data dir.
func LocalMediaDir(cfg config.Config) string { return filepath.Join(cfg.DataDir, "media") }

// MediaBackends builds every configured backend: the local folder always, the S3 bucket
// when its settings are given (S3_ENABLED only chooses the default).
func MediaBackends(cfg config.Config) (map[string]blob.Store, error) {
	backends := map[string]blob.Store{blob.BackendLocal: &blob.Local{Root: LocalMediaDir(cfg)}}
	s3 := cfg.Storage.S3
	if s3.Bucket == "" {
		return backends, nil
	}
	b, err := blob.NewS3(blob.S3Options{Endpoint: s3.Endpoint, Secure: s3.Secure, Region: s3.Region, Bucket: s3.Bucket,
		AccessKey: s3.AccessKey, SecretKey: s3.SecretKey, PathStyle: s3.PathStyle, Permission: s3.Permission,
		KeyPrefix: s3.KeyPrefix, MultipartThreshold: s3.MultipartThreshold})
	if err != nil {
		return nil, err
	}
	backends[blob.BackendS3] = b
	return backends, nil
}

// MediaState reads the persisted active backend for a blob.Switch.
func MediaState(st *store.Store) func(ctx context.Context) (blob.State, bool, error) {
	return func(ctx context.Context) (blob.State, bool, error) {
		s, err := st.MediaStorage(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return blob.State{}, false, nil
		}
		return blob.State{Backend: s.Backend, Fallback: s.Fallback}, err == nil, err
	}
}

// SetMediaState persists the active backend.
func SetMediaState(st *store.Store) func(ctx context.Context, s blob.State) error {
	return func(ctx context.Context, s blob.State) error {
		return st.Writer().SetMediaStorage(ctx, store.MediaStorageState{Backend: s.Backend, Fallback: s.Fallback})
	}
}

// wireMedia builds the media storage; mediaRoutes serves it.
func (s *Server) wireMedia() error {
	if err := emoji.MoveLegacyDir(s.Config.DataDir); err != nil {
		return err
	}
	backends, err := MediaBackends(s.Config)
	if err != nil {
		return err
	}
	def := blob.State{Backend: blob.BackendLocal}
	if s.Config.Storage.S3.Enabled {
		def.Backend = blob.BackendS3
	}
	s.MediaStorage = &blob.Switch{Backends: backends, Load: MediaState(s.Store), Default: def, Log: s.Log}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.MediaStorage.Refresh(ctx); err != nil { // before serving, so no write goes to a stale backend
		return err
	}
	s.Media = &blob.Media{Store: s.MediaStorage, Host: s.Config.MediaBaseURL()}
	c := s.Config.Storage
	s.MediaCache = &mediacache.Cache{Store: s.Store, Blobs: s.MediaStorage, Client: s.outboundClient(),
		Enabled: c.CacheRemote, MaxBytes: c.CacheMaxBytes, MaxAge: c.CacheMaxAge}
	return nil
}

// mediaRoutes serves the media at /system/ and on the media host.
func (s *Server) mediaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /system/{key...}", s.serveMedia)
	if host := s.Config.Storage.MediaHost; host != "" {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h // the mux matches hosts without their port
		}
		mux.HandleFunc("GET "+host+"/{key...}", s.serveMedia)
	}
}

// serveMedia answers for one object; a remote file evicted from the cache is fetched
// again first.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if strings.HasPrefix(key, uploadsPrefix) || strings.HasPrefix(key, backupsPrefix) {
		http.NotFound(w, r) // raw uploads wait here for processing, backups hold secrets: never served
		return
	}
	if strings.HasPrefix(key, mediacache.Prefix) {
		if err := s.MediaCache.Ensure(r.Context(), key); err != nil && !errors.Is(err, blob.ErrNotExist) {
			s.Log.Warn("media: refetch an evicted remote file", "key", key, "err", err)
		}
	}
	counted := &countingWriter{ResponseWriter: w}
	blob.Serve(counted, r, s.MediaStorage, key, s.Log)
	s.Metrics.MediaServed(counted.n)
}

// countingWriter counts the body bytes written, for the media metric.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// Unwrap lets http.ServeContent's ResponseController reach the connection.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// SweepMediaCacheArgs is the periodic job evicting remote media past its age or over the
// cache's size cap.
type SweepMediaCacheArgs struct{}

// Kind names the job.
func (SweepMediaCacheArgs) Kind() string { return "sweep_media_cache" }

type sweepMediaCacheWorker struct {
	river.WorkerDefaults[SweepMediaCacheArgs]
	s *Server
}

func (w *sweepMediaCacheWorker) Work(ctx context.Context, _ *river.Job[SweepMediaCacheArgs]) error {
	return w.s.MediaCache.Sweep(ctx)
}

// registerMediaJobs adds the hourly sweep of the remote media cache.
func (s *Server) registerMediaJobs(reg *jobs.Registry) {
	jobs.Register(reg, &sweepMediaCacheWorker{s: s})
	reg.Every(time.Hour, SweepMediaCacheArgs{})
}

// MediaOwners are the tables that refer to keys, by key prefix, for orphan removal.
func (s *Server) MediaOwners() map[string]blob.Owner {
	return map[string]blob.Owner{
		mediacache.Prefix: s.MediaCache,
		"emoji/": blob.OwnerFunc(func(ctx context.Context, key string) (bool, error) {
			return s.Store.EmojiFileInUse(ctx, strings.TrimPrefix(key, "emoji/"))
		}),
		"media_attachments/": ownedByID("media_attachments/", s.Store.MediaKeyInUse),
		uploadsPrefix:        ownedByID(uploadsPrefix, s.Store.MediaKeyInUse),
		"accounts/":          ownedByID("accounts/", s.Store.ProfileImageKeyInUse),
	}
}

// ownedByID asks inUse about a key that starts with prefix and then the owning row's id
// (media_attachments/<id>/…, uploads/<id>-…, accounts/<id>/…): one primary-key lookup per
// object. A key without an id is no row's, so it is an orphan.
func ownedByID(prefix string, inUse func(ctx context.Context, id int64, key string) (bool, error)) blob.Owner {
	return blob.OwnerFunc(func(ctx context.Context, key string) (bool, error) {
		rest := strings.TrimPrefix(key, prefix)
		end := strings.IndexAny(rest, "/-")
		if end < 0 {
			return false, nil
		}
		rowID, err := strconv.ParseInt(rest[:end], 10, 64)
		if err != nil {
			return false, nil
		}
		return inUse(ctx, rowID, key)
	})
}

// uploadsPrefix holds video and audio uploads until the queue has processed them.
const uploadsPrefix = "uploads/"

// MediaSettle is how long a move waits for every running server to pick up a new active
// backend: comfortably more than the switch's refresh interval.
const MediaSettle = 5 * time.Second
