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
	case errors.Is(err, ErrUnsendable):
		return dropped
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

// claimTurns takes one due delivery for each of hosts in one transaction, and names
// the hosts that had none. An open breaker whose cool-off has ended lets exactly one
// process through as its half-open probe.
func (s *Service) claimTurns(ctx context.Context, hosts []string, known map[string]*store.DeliveryHost) (claimed []claim, empty []string, err error) {
	now := time.Now()
	lease := now.Add(s.Policy.Lease)
	err = s.Store.Tx(ctx, func(q store.Q) error {
		claimed, empty = claimed[:0], empty[:0]
		if err := q.LazyCommit(ctx); err != nil {
			return err
		}
		for _, host := range hosts {
			job, err := s.claimOne(ctx, q, known[host], host, now, lease)
			if errors.Is(err, store.ErrNotFound) {
				empty = append(empty, host)
				continue
			}
			if err != nil {
				return err
			}
			claimed = append(claimed, claim{job: job, probe: known[host].Breaker != store.BreakerClosed})
		}
		return nil
	})
	return claimed, empty, err
}

func (s *Service) claimOne(ctx context.Context, q store.Q, h *store.DeliveryHost, host string, now, lease time.Time) (*store.QueuedDelivery, error) {
	if h == nil {
		return nil, store.ErrNotFound
	}
	if h.Breaker != store.BreakerClosed {
		won, err := q.StartDeliveryProbe(ctx, host, now, lease)
		if err != nil {
			return nil, err
		}
		if !won {
			return nil, fmt.Errorf("delivery: probe of %s taken: %w", host, store.ErrNotFound)
		}
	}
	return q.ClaimDelivery(ctx, host, now, lease)
}

// claim is a delivery taken for one attempt; a probe tests a host whose breaker was open.
type claim struct {
	job   *store.QueuedDelivery
	probe bool
}

// attempt sends one delivery and records what happened to it and to its host. A probe
// gets ProbeTimeout: a host that just failed must answer promptly to be trusted again,
// and a black hole's probe then costs a worker seconds, not the whole time-out.
func (s *Service) attempt(ctx context.Context, c claim) finished {
	job := c.job
	sendCtx := ctx
	if c.probe {
		var cancel context.CancelFunc
		sendCtx, cancel = context.WithTimeout(ctx, s.Policy.ProbeTimeout)
		defer cancel()
	}
	start := time.Now()
	err := s.Send(sendCtx, job.Inbox, job.Body, job.SignerAccountID)
	took := time.Since(start)
	o := classify(ctx, err)
	state, gaveUp, recErr := s.record(context.WithoutCancel(ctx), job, o, took, err)
	if recErr != nil {
		s.log().Error("delivery: record attempt", "host", job.Host, "err", recErr)
	}
	s.counts.add(o)
	if s.Observe != nil {
		hostState := store.BreakerClosed
		if c.probe {
			hostState = store.BreakerHalfOpen
		}
		s.Observe(Attempt{Host: job.Host, Inbox: job.Inbox, Outcome: o.String(), Took: took, Err: err,
			HostState: hostState, GaveUp: gaveUp})
	}
	return finished{host: job.Host, state: state, answered: o == delivered || o == refused}
}

// record updates the delivery and its host in one transaction, and says whether the
// delivery was given up.
func (s *Service) record(ctx context.Context, job *store.QueuedDelivery, o outcome, took time.Duration, sendErr error) (*store.DeliveryHost, bool, error) {
	now := time.Now()
	errText := ""
	if sendErr != nil {
		errText = truncate(sendErr.Error(), 500)
	}
	var state *store.DeliveryHost
	var gaveUp bool
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.LazyCommit(ctx); err != nil {
			return err
		}
		h, err := q.DeliveryHostForUpdate(ctx, job.Host)
		if err != nil {
			return err
		}
		becameUnavailable := s.Policy.apply(h, o, took, errText, now)
		var err2 error
		if gaveUp, err2 = s.settle(ctx, q, job, h, o, errText, now); err2 != nil {
			return err2
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
	return state, gaveUp, err
}

// settle deletes or reschedules the delivery after its attempt, and says whether it
// was given up.
func (s *Service) settle(ctx context.Context, q store.Q, job *store.QueuedDelivery, h *store.DeliveryHost, o outcome, errText string, now time.Time) (bool, error) {
	switch o {
	case delivered:
		return false, q.DeleteDelivery(ctx, job.ID)
	case refused, dropped:
		return true, q.DeleteDelivery(ctx, job.ID)
	case cancelled:
		return false, q.ReleaseDelivery(ctx, job.ID, now)
	}
	attempts := job.Attempts + 1
	if now.Sub(job.CreatedAt) >= s.Policy.GiveUpAfter {
		h.GaveUp++
		s.counts.gaveUp.Add(1)
		return true, q.DeleteDelivery(ctx, job.ID)
	}
	next := now.Add(s.Policy.retryDelay(attempts))
	if h.Breaker != store.BreakerClosed && h.RetryAt.After(next) {
		next = h.RetryAt // no point being due while the breaker is open
	}
	return false, q.RescheduleDelivery(ctx, job.ID, attempts, next, errText)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
