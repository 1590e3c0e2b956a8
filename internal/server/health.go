package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
)

// readyTimeout bounds every dependency check of /readyz: a load balancer polls it
// often and must not pile requests up on a dependency that hangs.
const readyTimeout = 2 * time.Second

// healthRoutes registers /health (liveness: the process runs and answers HTTP) and
// /readyz (readiness: the dependencies it needs answer too).
func (s *Server) healthRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte("OK"))
	})
	mux.HandleFunc("GET /readyz", s.serveReady)
}

// readiness is /readyz's answer: each dependency checked, "ok" or "down", and the list
// of those down. Causes are logged, not shown: the endpoint is public.
type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
	Down   []string          `json:"down,omitempty"`
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	res := readiness{Status: "ok", Checks: map[string]string{}}
	for name, err := range s.checkDependencies(ctx) {
		res.Checks[name] = "ok"
		if err != nil {
			res.Checks[name] = "down"
			res.Down = append(res.Down, name)
			s.Log.WarnContext(r.Context(), "readiness check failed", "dependency", name, "err", err)
		}
	}
	code := http.StatusOK
	if len(res.Down) > 0 {
		sort.Strings(res.Down)
		res.Status, code = "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(res)
}

// checkDependencies checks, at once, the database and, when configured, Redis and the
// S3 bucket.
func (s *Server) checkDependencies(ctx context.Context) map[string]error {
	checks := map[string]func(context.Context) error{"database": s.Store.DB().PingContext}
	if p, ok := s.Bus.(interface{ Ping(context.Context) error }); ok {
		checks["redis"] = p.Ping
	}
	if b, ok := s.MediaStorage.Backends[blob.BackendS3].(interface{ Check(context.Context) error }); ok {
		checks["s3"] = b.Check
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make(map[string]error, len(checks))
	for name, check := range checks {
		wg.Go(func() {
			err := check(ctx)
			mu.Lock()
			out[name] = err
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}
