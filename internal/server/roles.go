package server

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/authpages"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mastoapi"
	"github.com/tuskhq/tusk/internal/web"
)

// routes registers what this process's roles serve (TUSK_ROLE). Every process answers
// /health, /readyz and /metrics, so a load balancer and Prometheus can watch workers
// too; the rest belongs to a role, and a process without it answers 404 there.
func (s *Server) routes(mux *http.ServeMux) {
	s.healthRoutes(mux)
	if s.Config.Jobs.Web {
		s.webRoutes(mux)
	} else {
		// The web pages own the catch-all 404; without them, answer it here.
		mux.Handle("/", httpx.Serve(s.Log, func(w http.ResponseWriter, r *http.Request) error {
			return httpx.Errorf(http.StatusNotFound, "Not found")
		}))
	}
	if s.Config.Jobs.Streaming {
		s.Streaming.Routes(mux)
	}
}

// webRoutes is the web role: the client API, OAuth, sign-in and console pages, the
// public pages and media.
func (s *Server) webRoutes(mux *http.ServeMux) {
	s.mediaRoutes(mux)
	s.OAuth.Routes(mux)
	mastoapi.New(s.Social, s.Store, s.Config, s.Log).Routes(mux)
	s.Federation.Routes(mux)
	s.consoleRoutes(mux)
	(&authpages.Pages{Accounts: s.Accounts, Sessions: s.Sessions, Config: s.Config, Log: s.Log}).Routes(mux)
	web.New(s.Store, s.Config, s.Log).Routes(mux)
}
