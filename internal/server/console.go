package server

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/metrics"
	"github.com/tuskhq/tusk/internal/websession"
)

// wireConsole builds the web sign-in, the queue console and the metrics, and adds
// their periodic jobs and the metrics' job observer to reg. It runs before the job
// service exists; consoleRoutes completes the wiring after.
func (s *Server) wireConsole(reg *jobs.Registry) {
	s.Metrics = metrics.New(s.Config.Admin)
	s.Sessions = &websession.Service{Store: s.Store, Accounts: s.Accounts, Config: s.Config, Log: s.Log}
	s.Console = &console.Service{Store: s.Store, Config: s.Config, Log: s.Log, Sessions: s.Sessions,
		Delivery: s.Delivery}
	reg.Observe(s.Metrics)
	s.Console.RegisterJobs(reg)
	s.Sessions.RegisterJobs(reg)
}

// watchMetrics points the console and the metrics at the job service, the database
// pool, the streaming connections, media serving and delivery.
func (s *Server) watchMetrics() {
	s.Console.Queues = s.Jobs
	s.Metrics.WatchQueues(s.Jobs)
	s.Metrics.WatchDB(s.Store.DB(), "tusk")
	s.Metrics.WatchStreams(s.Streaming.Connections)
	s.Metrics.WatchDelivery(s.Store)
	s.Delivery.Observe = func(a delivery.Attempt) {
		if result := a.Result(); result != "" {
			s.Metrics.ObserveDelivery(result, a.HostState)
		}
	}
}

// consoleRoutes registers the sign-in pages, the console's API and page.
func (s *Server) consoleRoutes(mux *http.ServeMux) {
	s.Sessions.Routes(mux)
	s.Console.Routes(mux)
}

// serveMetrics answers /metrics before any other middleware: its bearer token is not
// an OAuth token, and the OAuth middleware would refuse it.
func (s *Server) serveMetrics(next http.Handler) http.Handler {
	m := s.Metrics.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == metrics.Path && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			m.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
