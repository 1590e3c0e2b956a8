// Package federation is tusk's ActivityPub edge: discovery (WebFinger, host-meta,
// NodeInfo), the actor and object documents other servers fetch, the inboxes they post
// to, and the deliveries and fetches tusk sends them. It is thin over the domain layer
// (internal/social): what a remote activity does to local data is decided there, once,
// for the client API and federation alike.
package federation

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Service is the federation edge of one instance.
type Service struct {
	Store  *store.Store
	Social *social.Service
	Config config.Config
	Log    *slog.Logger
	Jobs   social.Enqueuer  // ingress, pull and push work; nil only in tests that send nothing
	Client *outbound.Client // every request to another server goes through it
	URLs   URLs
	Keys   *Keys
	Now    func() time.Time // the clock; nil is time.Now
	// MarkAlive, when set, hears of the actor of each validly signed delivery, so that
	// delivery stops treating its host as unavailable (delivery.Service.MarkAlive).
	MarkAlive func(ctx context.Context, actorURI string) error

	remoteKeys keyCache     // remote public keys already parsed, by key id
	ingress    ingressGroup // deliveries waiting for their group commit
}

// New builds the federation edge over the domain services.
func New(st *store.Store, soc *social.Service, cfg config.Config, log *slog.Logger, client *outbound.Client, jq social.Enqueuer) *Service {
	return &Service{
		Store: st, Social: soc, Config: cfg, Log: log, Jobs: jq, Client: client,
		URLs: URLs{Base: cfg.BaseURL(), Domain: cfg.LocalDomain},
		Keys: NewKeys(st, URLs{Base: cfg.BaseURL(), Domain: cfg.LocalDomain}),
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Routes registers the ActivityPub, WebFinger and NodeInfo endpoints. Each area of the
// edge registers its own routes from its own file.
func (s *Service) Routes(mux *http.ServeMux) {
	_ = mux // each area adds its registration here
	s.inboxRoutes(mux)
	s.documentRoutes(mux)
}

// RegisterJobs adds the workers of federation's queued work (ingress, pull, push).
func (s *Service) RegisterJobs(reg *jobs.Registry) {
	_ = reg // each area adds its workers here
	s.registerInboundJobs(reg)
	s.registerOutboundJobs(reg)
}
