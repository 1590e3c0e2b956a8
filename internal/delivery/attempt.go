package delivery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// StatusError is a non-2xx answer to a delivery.
type StatusError struct {
	Inbox string
	Code  int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("delivery: POST %s: status %d", e.Inbox, e.Code)
}

// classify turns Send's result into the host's outcome. A 4xx other than 408 and 429
// means the inbox will never take this activity (410 Gone and 404 among them): the
// delivery is given up, but the host answered, so its health is fine.
func classify(ctx context.Context, err error) outcome {
	var status *StatusError
	var netErr net.Error
	switch {
	case err == nil:
		return delivered
	case ctx.Err() != nil:
		return cancelled
	case errors.As(err, &status):
		if status.Code >= 400 && status.Code < 500 && status.Code != http.StatusRequestTimeout && status.Code != http.StatusTooManyRequests {
			return refused
		}
		return failed
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return timedOut
	}
	return failed
}

// claim takes host's next due delivery; an open breaker whose cool-off has ended lets
// exactly one process through as its half-open probe.
func (s *Service) claim(ctx context.Context, h *store.DeliveryHost) (*store.QueuedDelivery, error) {
	if h == nil {
		return nil, store.ErrNotFound
	}
	now := time.Now()
	var job *store.QueuedDelivery
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if h.Breaker != store.BreakerClosed {
			won, err := q.StartDeliveryProbe(ctx, h.Host, now, now.Add(s.Policy.Lease))
			if err != nil {
				return err
			}
			if !won {
				return fmt.Errorf("delivery: probe of %s taken: %w", h.Host, store.ErrNotFound)
			}
		}
		var err error
		job, err = q.ClaimDelivery(ctx, h.Host, now, now.Add(s.Policy.Lease))
		return err
	})
	return job, err
}

// attempt sends one delivery and records what happened to it and to its host.
func (s *Service) attempt(ctx context.Context, job *store.QueuedDelivery) finished {
	start := time.Now()
	err := s.Send(ctx, job.Inbox, job.Body, job.SignerAccountID)
	took := time.Since(start)
	o := classify(ctx, err)
	state, recErr := s.record(context.WithoutCancel(ctx), job, o, took, err)
	if recErr != nil {
		s.log().Error("delivery: record attempt", "host", job.Host, "err", recErr)
	}
	s.counts.add(o)
	if s.Observe != nil {
		s.Observe(Attempt{Host: job.Host, Inbox: job.Inbox, Outcome: o.String(), Took: took, Err: err})
	}
	return finished{host: job.Host, state: state}
}

// record updates the delivery and its host in one transaction.
func (s *Service) record(ctx context.Context, job *store.QueuedDelivery, o outcome, took time.Duration, sendErr error) (*store.DeliveryHost, error) {
	now := time.Now()
	errText := ""
	if sendErr != nil {
		errText = truncate(sendErr.Error(), 500)
	}
	var state *store.DeliveryHost
	err := s.Store.Tx(ctx, func(q store.Q) error {
		h, err := q.DeliveryHostForUpdate(ctx, job.Host)
		if err != nil {
			return err
		}
		becameUnavailable := s.Policy.apply(h, o, took, errText, now)
		if err := s.settle(ctx, q, job, h, o, errText, now); err != nil {
			return err
		}
		if becameUnavailable {
			n, err := q.DropHostDeliveries(ctx, h.Host)
			if err != nil {
				return err
			}
			h.GaveUp += n
			s.log().Warn("delivery: host marked unavailable; its queue is dropped", "host", h.Host, "dropped", n)
		}
		state = h
		return q.SaveDeliveryHost(ctx, h)
	})
	return state, err
}

// settle deletes or reschedules the delivery after its attempt.
func (s *Service) settle(ctx context.Context, q store.Q, job *store.QueuedDelivery, h *store.DeliveryHost, o outcome, errText string, now time.Time) error {
	switch o {
	case delivered, refused:
		return q.DeleteDelivery(ctx, job.ID)
	case cancelled:
		return q.ReleaseDelivery(ctx, job.ID, now)
	}
	attempts := job.Attempts + 1
	if now.Sub(job.CreatedAt) >= s.Policy.GiveUpAfter {
		h.GaveUp++
		s.counts.gaveUp.Add(1)
		return q.DeleteDelivery(ctx, job.ID)
	}
	next := now.Add(s.Policy.retryDelay(attempts))
	if h.Breaker != store.BreakerClosed && h.RetryAt.After(next) {
		next = h.RetryAt // no point being due while the breaker is open
	}
	return q.RescheduleDelivery(ctx, job.ID, attempts, next, errText)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
