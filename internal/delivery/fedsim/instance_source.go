package fedsim

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/outbound"
)

// InstanceSource is a local account of a running tusk (the Poster). Follow has every
// fake host's actor follow it with a signed Follow, which tusk verifies by fetching
// the actor, processes on its ingress queue and accepts; Post publishes statuses
// through the client API, and federation queues a Create to every follower's shared
// inbox. The ids Post returns are those Creates' ids, the ones the hosts count.
type InstanceSource struct {
	Instance *Instance
	Poster   *Poster
	Client   *outbound.Client // deliveries go through it, signed with tusk's own keys
	Policy   delivery.Policy  // delivery's policy while the follows are answered
	Progress func(format string, args ...any)
	seq      int
}

// followsAtOnce bounds the Follows in flight, as many servers would not all send at
// the same instant either.
const followsAtOnce = 16

// Follow implements Source. Delivery runs meanwhile, to send the Accepts, and stops
// before Follow returns, so that the backlog can be queued before it runs again.
func (s *InstanceSource) Follow(ctx context.Context, fleet *Fleet) error {
	runCtx, stop := context.WithCancel(ctx)
	var running sync.WaitGroup
	svc := s.Delivery()
	running.Go(func() { svc.Run(runCtx) })
	defer func() {
		stop()
		running.Wait()
	}()
	if err := s.sendFollows(ctx, fleet); err != nil {
		return err
	}
	if err := s.waitAccepted(ctx, fleet, 10*time.Minute); err != nil {
		return err
	}
	n, err := s.Poster.Followers(ctx)
	if err != nil {
		return err
	}
	if n != len(fleet.Hosts) {
		return fmt.Errorf("fedsim: every host got its Accept, yet %s has %d followers, not %d", s.Poster.Account.Username, n, len(fleet.Hosts))
	}
	return nil
}

// sendFollows has every host follow the poster, followsAtOnce at a time.
func (s *InstanceSource) sendFollows(ctx context.Context, fleet *Fleet) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: followsAtOnce}}
	defer client.CloseIdleConnections()
	target, inbox := s.Poster.ActorURL(), s.Instance.URL+"/inbox"
	hosts := make(chan *Host)
	errs := make(chan error, followsAtOnce)
	var wg sync.WaitGroup
	for range followsAtOnce {
		wg.Go(func() {
			var first error
			for h := range hosts {
				if err := h.Follow(ctx, client, target, inbox); err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		})
	}
	for _, h := range fleet.Hosts {
		hosts <- h
	}
	close(hosts)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// waitAccepted waits until every host has the Accept of its Follow.
func (s *InstanceSource) waitAccepted(ctx context.Context, fleet *Fleet, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	lastSaid := time.Now()
	for {
		n := fleet.Accepted()
		if n == len(fleet.Hosts) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("fedsim: %d of %d follows accepted after %v", n, len(fleet.Hosts), limit)
		}
		if s.Progress != nil && time.Since(lastSaid) > 5*time.Second {
			s.Progress("%d of %d follows accepted…", n, len(fleet.Hosts))
			lastSaid = time.Now()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Post implements Source.
func (s *InstanceSource) Post(ctx context.Context, n int) ([]string, error) {
	var ids []string
	for range n {
		s.seq++
		uri, err := s.Poster.Post(ctx, fmt.Sprintf("Post %d from the simulated fediverse.", s.seq))
		if err != nil {
			return nil, err
		}
		ids = append(ids, uri+"/activity") // the Create's id, as federation renders it
	}
	return ids, nil
}

// Delivery implements Source: the instance's own delivery service, sending through
// Client with the keys federation signs with.
func (s *InstanceSource) Delivery() *delivery.Service {
	svc := s.Instance.Server.Delivery
	sender := &delivery.HTTPSender{Client: s.Client, Keys: s.Instance.Server.Federation.DeliveryKey}
	svc.Send, svc.Observe = sender.Send, nil
	if s.Policy.Lease == 0 {
		s.Policy.Lease = svc.Policy.Lease
	}
	svc.Policy = s.Policy
	return svc
}
