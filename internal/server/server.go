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
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mastoapi"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/web"
)

// Server is a whole tusk instance.
type Server struct {
	Config   config.Config
	Log      *slog.Logger
	Store    *store.Store
	Social   *social.Service
	Accounts *accounts.Service
	OAuth    *oauth.Service
	mux      *http.ServeMux
	handler  http.Handler
}

// Open connects to the database, applies pending migrations and wires every part.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Server, error) {
	st, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if applied > 0 {
		log.Info("database migrated", "engine", st.Engine(), "applied", applied, "schema", st.SchemaVersion())
	}
	return Wire(cfg, log, st), nil
}

// OpenStore opens the configured database without migrating it.
func OpenStore(ctx context.Context, cfg config.Config) (*store.Store, error) {
	return store.Open(ctx, cfg.DatabaseURL, cfg.SQLitePath(), store.Options{Pool: cfg.DBPool})
}

// Wire builds the services and routes over an open, migrated store.
func Wire(cfg config.Config, log *slog.Logger, st *store.Store) *Server {
	s := &Server{Config: cfg, Log: log, Store: st}
	s.Social = &social.Service{Store: st, Config: cfg, Log: log}
	s.Accounts = &accounts.Service{Store: st, Config: cfg}
	s.OAuth = &oauth.Service{Store: st, Config: cfg, Accounts: s.Accounts, Log: log}
	mux := http.NewServeMux()
	s.OAuth.Routes(mux)
	mastoapi.New(s.Social, st, cfg, log).Routes(mux)
	web.New(st, cfg, log).Routes(mux)
	s.mux = mux
	s.handler = logRequests(log, cors(s.OAuth.Authenticate(mux)))
	return s
}

// Route reports the pattern that serves r ("/" is the catch-all 404): for coverage tests.
func (s *Server) Route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}

// Handler is the instance's whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the database.
func (s *Server) Close() error { return s.Store.Close() }

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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}
