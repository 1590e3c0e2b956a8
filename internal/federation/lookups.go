package federation

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// The reads inbound processing repeats for every activity, in one place: where a cache
// would go once it has the invalidation hooks it needs (see docs/decisions.md).

// actorOf is the stored actor row of a remote account.
func (s *Service) actorOf(ctx context.Context, a *model.Account) (*model.Actor, error) {
	return s.Store.ActorByAccountID(ctx, a.ID)
}

// domainPolicy is what the domain blocks say about host.
func (s *Service) domainPolicy(ctx context.Context, host string) (store.DomainPolicy, error) {
	return s.Store.DomainPolicyFor(ctx, host)
}
