package server

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/streaming"
)

// wireBus gives the domain its event bus: the in-process one unless one was set
// (a broker shared by several processes).
func (s *Server) wireBus() {
	if s.Bus == nil {
		s.Bus = pubsub.NewMemory()
	}
	s.Social.Bus = s.Bus
	s.OAuth.Sessions = s.Social
	s.Accounts.Sessions = s.Social
}

// streamingRoutes serves the streaming API from this process, behind the same
// authentication, rate limits and logging as the REST API.
func (s *Server) streamingRoutes(mux *http.ServeMux) {
	render := entity.Renderer{Config: s.Config, Emojis: s.Social.Emojis}
	s.Streaming = streaming.New(s.Social, s.OAuth, s.Bus, render, s.Log, streaming.Options{})
	s.Streaming.Routes(mux)
}

// closeBus releases the bus's connections.
func (s *Server) closeBus() error {
	if s.Bus == nil {
		return nil
	}
	return s.Bus.Close()
}
