package delivery

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// SampleWindow is how long the per-minute outcome samples are kept.
const SampleWindow = 24 * time.Hour

// counters are this process's outcomes since the last flush.
type counters struct {
	delivered, failed, gaveUp atomic.Int64
}

func (c *counters) add(o outcome) {
	switch o {
	case delivered:
		c.delivered.Add(1)
	case refused, dropped:
		c.gaveUp.Add(1)
	case failed, timedOut:
		c.failed.Add(1)
	}
}

// flushInterval is how often a worker process adds its counts to the minute's sample.
const flushInterval = 10 * time.Second

// maintain flushes the samples and expires old deliveries until ctx ends.
func (s *Service) maintain(ctx context.Context) {
	flush := time.NewTicker(flushInterval)
	defer flush.Stop()
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-flush.C:
			s.flushSamples(ctx, now)
		case now := <-sweep.C:
			s.sweep(ctx, now)
		}
	}
}

func (s *Service) flushSamples(ctx context.Context, now time.Time) {
	backlog, err := s.Store.DeliveryBacklog(ctx)
	if err != nil {
		s.log().Error("delivery: sample", "err", err)
		return
	}
	sm := sampleOf(&s.counts, now, backlog)
	if err := s.Store.Writer().AddDeliverySample(ctx, sm); err != nil {
		s.log().Error("delivery: sample", "err", err)
		s.counts.delivered.Add(sm.Delivered) // keep them for the next flush
		s.counts.failed.Add(sm.Failed)
		s.counts.gaveUp.Add(sm.GaveUp)
	}
}

// sweep drops deliveries past GiveUpAfter (their hosts' breakers kept them waiting)
// and samples past SampleWindow.
func (s *Service) sweep(ctx context.Context, now time.Time) {
	var n int64
	err := s.Store.Tx(ctx, func(q store.Q) (err error) {
		n, err = q.ExpireDeliveries(ctx, now.Add(-s.Policy.GiveUpAfter))
		return err
	})
	if err != nil {
		s.log().Error("delivery: expire", "err", err)
	}
	s.counts.gaveUp.Add(n)
	if err := s.Store.Writer().PruneDeliverySamples(ctx, now.Add(-SampleWindow)); err != nil {
		s.log().Error("delivery: prune samples", "err", err)
	}
}

// sampleOf takes the counts since the last flush.
func sampleOf(c *counters, now time.Time, backlog int64) store.DeliverySample {
	return store.DeliverySample{Minute: now, Delivered: c.delivered.Swap(0), Failed: c.failed.Swap(0),
		GaveUp: c.gaveUp.Swap(0), Backlog: backlog}
}
