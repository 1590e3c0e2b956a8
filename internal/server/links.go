package server

import (
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/version"
)

// outboundClient is the guarded client for requests to other servers, built from the
// network settings (ALLOWED_PRIVATE_ADDRESSES, the outbound deadline).
// OutboundClient is a guarded client for requests leaving the instance, as every part uses.
func (s *Server) OutboundClient() *outbound.Client { return s.outboundClient() }

func (s *Server) outboundClient() *outbound.Client {
	return outbound.New(outbound.Options{
		Guard:     outbound.Guard{Allowed: s.Config.Network.AllowedPrivate},
		Timeout:   s.Config.Network.OutboundTimeout,
		UserAgent: "tusk/" + version.Version + " (+" + s.Config.BaseURL() + "/)",
	})
}

// registerLinkJobs adds the preview card fetch.
func (s *Server) registerLinkJobs(reg *jobs.Registry) {
	s.Social.RegisterLinkJobs(reg, s.outboundClient())
}
