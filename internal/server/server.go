// Package server is tusk's composition root: it builds the store, the domain services
// and the protocol edges from one Config, and runs the HTTP server.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/federation"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/mediacache"
	"github.com/tuskhq/tusk/internal/metrics"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/push"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/streaming"
	"github.com/tuskhq/tusk/internal/websession"
)

// Server is a whole tusk instance.
type Server struct {
	Config   config.Config
	Log      *slog.Logger
	Store    *store.Store
	Social   *social.Service
	Accounts *accounts.Service
	OAuth    *oauth.Service
	Jobs     *jobs.Service
	Console  *console.Service
	Sessions *websession.Service
	Metrics  *metrics.Metrics
	Push     *push.Service
	// Media is the media storage and its URLs; MediaStorage the switch between backends.
	Media        *blob.Media
	MediaStorage *blob.Switch
	MediaCache   *mediacache.Cache
	mux          *http.ServeMux
	handler      http.Handler

	Bus       pubsub.Bus        // live events between the domain and the streaming API: streaming.go
	Streaming *streaming.Server // the streaming API of this process

	Federation *federation.Service // ActivityPub: discovery, documents, inboxes, deliveries
	Delivery   *delivery.Service   // per-host delivery queue and health: delivery.go
	delivering *deliveryRun
}

// Open connects to the database, applies pending migrations and wires every part.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Server, error) {
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	applied, jobsApplied, err := MigrateAll(ctx, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	if applied > 0 {
		log.Info("database migrated", "engine", st.Engine(), "applied", applied, "schema", st.SchemaVersion())
	}
	if jobsApplied > 0 {
		log.Info("job queue tables migrated", "applied", jobsApplied)
	}
	s, err := wire(cfg, log, st)
	if err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// MigrateAll applies tusk's migrations and then River's, holding the migration lock so
// that processes started together migrate one at a time.
func MigrateAll(ctx context.Context, st *store.Store) (applied, jobsApplied int, err error) {
	err = st.WithMigrationLock(ctx, func() error {
		if applied, err = st.Migrate(ctx); err != nil {
			return err
		}
		jobsApplied, err = jobs.Migrate(ctx, st)
		return err
	})
	return applied, jobsApplied, err
}

// OpenStore opens the configured database without migrating it.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath(), store.Options{Pool: jobs.PoolSize(cfg)})
}

// New builds the services and routes over an open, migrated store (River's tables
// included, see jobs.Migrate) that the caller keeps and closes: for an instance run
// inside another program, such as the simulated fediverse.
func New(cfg config.Config, log *slog.Logger, st *store.Store) (*Server, error) {
	return wire(cfg, log, st)
}

// Wire is New for tests: it panics where New fails.
func Wire(cfg config.Config, log *slog.Logger, st *store.Store) *Server {
	s, err := wire(cfg, log, st)
	if err != nil {
		panic(err)
	}
	return s
}

func wire(cfg config.Config, log *slog.Logger, st *store.Store) (*Server, error) {
	s := &Server{Config: cfg, Log: log, Store: st}
	s.Push = push.New(st, cfg, log)
	s.Social = &social.Service{Store: st, Config: cfg, Log: log, Push: s.Push}
	s.Social.FFmpeg = media.LocateFFmpeg(cfg.Storage.FFmpegPath)
	s.Social.ImageSlots = make(chan struct{}, runtime.NumCPU())
	s.Accounts = &accounts.Service{Store: st, Config: cfg}
	s.OAuth = &oauth.Service{Store: st, Config: cfg, Accounts: s.Accounts, Log: log, VAPID: s.Push}
	if err := s.wireBus(); err != nil {
		return nil, err
	}
	s.Federation = federation.New(st, s.Social, cfg, log, s.outboundClient(), nil)
	s.Social.Resolver = s.Federation // search with resolve=true asks other servers
	s.wireDelivery()
	reg := jobs.NewRegistry()
	s.registerWorkers(reg)
	s.wireConsole(reg)
	var err error
	if s.Jobs, err = jobs.New(st, cfg, log, reg); err != nil {
		return nil, err
	}
	s.Accounts.Mail = &mail.Outbox{Jobs: s.Jobs, Config: cfg}
	s.Push.Jobs = s.Jobs
	s.Social.Jobs = s.Jobs
	s.Federation.Jobs = s.Jobs
	s.Social.Federator = s.Federation
	s.Social.Mail, s.Social.Emojis = s.Accounts.Mail, emoji.NewCatalogue(st, log)
	if err := s.wireMedia(); err != nil {
		return nil, err
	}
	s.Social.Media = s.Media // uploads go through the storage switch, so a move takes them too
	s.wireStreaming()
	s.watchMetrics()
	mux := http.NewServeMux()
	s.routes(mux) // by role: roles.go
	s.mux = mux
	s.handler = requestIDs(cfg.Network.TrustedProxies, logRequests(log,
		s.blockIPs(compressJSON(cors(s.serveMetrics(s.OAuth.Authenticate(s.rateLimit(s.Metrics.Instrument(mux)))))))))
	return s, nil
}

// Route reports the pattern that serves r ("/" is the catch-all 404): for coverage tests.
func (s *Server) Route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}

// Handler is the instance's whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the database.
func (s *Server) Close() error { return errors.Join(s.closeBus(), s.Store.Close()) }

// Serve answers HTTP on ln until ctx ends, then drains requests for up to 10 seconds.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	s.Streaming.Shutdown() // hijacked WebSockets are not the HTTP server's to close
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}
