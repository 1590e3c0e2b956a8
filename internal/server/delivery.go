package server

import (
	"context"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/outbound"
)

// deliveryRun is the delivery service's run in this process, when it works push.
type deliveryRun struct {
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// wireDelivery builds per-host delivery: signed POSTs through the guarded client, and
// the inbox telling it which hosts were just seen alive.
func (s *Server) wireDelivery() {
	sender := &delivery.HTTPSender{Client: s.outboundClient(), Keys: s.Federation.DeliveryKey}
	// A claimed delivery stays with its worker a minute past the longest attempt, so no
	// other process takes it while the attempt may still be running.
	lease := max(s.Config.Network.OutboundTimeout, outbound.TotalTimeout) + time.Minute
	s.Delivery = &delivery.Service{Store: s.Store, Send: sender.Send, Log: s.Log.With("component", "delivery"),
		Policy: delivery.Policy{Lease: lease}}
	s.Federation.MarkAlive = s.Delivery.MarkAlive
}

// startDelivery runs delivery in a process that works the push queue.
func (s *Server) startDelivery(ctx context.Context) {
	if !delivery.Runs(s.Config.Jobs) || s.delivering != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.delivering = &deliveryRun{cancel: cancel}
	s.delivering.done.Go(func() {
		if err := s.Delivery.Run(ctx); err != nil {
			s.Log.Error("delivery stopped", "err", err)
		}
	})
}

// stopDelivery stops it; attempts in flight are cancelled and their deliveries released.
func (s *Server) stopDelivery() {
	if s.delivering == nil {
		return
	}
	s.delivering.cancel()
	s.delivering.done.Wait()
	s.delivering = nil
}
