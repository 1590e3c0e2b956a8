package server

import (
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/streaming"
)

// wireBus gives the domain its event bus: Redis when REDIS_URL configures one, so that
// events reach the streams of every process, and the in-process bus otherwise.
func (s *Server) wireBus() error {
	if s.Bus == nil {
		bus, err := pubsub.Open(s.Config, s.Log)
		if err != nil {
			return err
		}
		if bus == nil {
			bus = pubsub.NewMemory()
		}
		s.Bus = bus
	}
	s.Social.Bus = s.Bus
	s.OAuth.Sessions = s.Social
	s.Accounts.Sessions = s.Social
	return nil
}

// wireStreaming builds the streaming API; routes serves it, behind the same
// authentication, rate limits and logging as the REST API, when the process has the
// streaming role.
func (s *Server) wireStreaming() {
	render := entity.Renderer{Config: s.Config, Emojis: s.Social.Emojis}
	s.Streaming = streaming.New(s.Social, s.OAuth, s.Bus, render, s.Log, streaming.Options{})
}

// closeBus releases the bus's connections.
func (s *Server) closeBus() error {
	if s.Bus == nil {
		return nil
	}
	return s.Bus.Close()
}
