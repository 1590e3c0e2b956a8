package federation

import (
	"context"
	"crypto/rsa"
	"fmt"

	"github.com/tuskhq/tusk/internal/jobs"
)

// Deliveries leave through internal/delivery: send queues them in the action's
// transaction, and delivery's HTTPSender signs and posts them with DeliveryKey.

// DeliveryKey is the key a local account (0: the instance actor) signs deliveries with:
// a delivery.KeyFunc. An account deleted meanwhile answers store.ErrNotFound, which
// delivery takes as the delivery given up.
func (s *Service) DeliveryKey(ctx context.Context, accountID int64) (string, *rsa.PrivateKey, error) {
	var key *LocalKey
	var err error
	if accountID == 0 {
		key, err = s.Keys.Instance(ctx)
	} else {
		key, err = s.accountKey(ctx, accountID)
	}
	if err != nil {
		return "", nil, fmt.Errorf("federation: key of signer %d: %w", accountID, err)
	}
	return key.ID, key.Private, nil
}

func (s *Service) accountKey(ctx context.Context, accountID int64) (*LocalKey, error) {
	a, err := s.Store.AccountByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return s.Keys.Account(ctx, a)
}

// registerOutboundJobs adds the worker of actor updates (deliveries have their own queue).
func (s *Service) registerOutboundJobs(reg *jobs.Registry) {
	jobs.Register(reg, &updateActorWorker{s: s})
}
