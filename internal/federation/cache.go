package federation

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// actorOf is the stored actor row of a remote account.
func (s *Service) actorOf(ctx context.Context, a *model.Account) (*model.Actor, error) {
	return s.Store.ActorByAccountID(ctx, a.ID)
}

// domainPolicy is what the domain blocks say about host.
func (s *Service) domainPolicy(ctx context.Context, host string) (store.DomainPolicy, error) {
	return s.Store.DomainPolicyFor(ctx, host)
}
