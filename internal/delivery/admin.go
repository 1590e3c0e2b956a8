package delivery

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// Host states as admins see them, worst first.
const (
	StateSuspended   = "suspended"   // an admin stopped delivery to it
	StateUnavailable = "unavailable" // failing for over a day: deliveries skipped
	StateDegraded    = "degraded"    // failing: breaker open or half-open, or recent failures
	StateHealthy     = "healthy"
)

// States lists the states a host list can be filtered by.
var States = []string{StateSuspended, StateUnavailable, StateDegraded, StateHealthy}

// ErrUnknownState rejects a filter state that is not one of States.
var ErrUnknownState = errors.New("delivery: unknown host state")

// HostInfo is one host as admins see it.
type HostInfo struct {
	store.DeliveryHost
	State       string
	SuccessRate float64 // of attempts, 0..1; 1 before any attempt
	P50, P99    time.Duration
}

// Filter narrows Hosts.
type Filter struct {
	State string // one of States, or "" for every host
	Sort  string // "backlog" (most queued first, the default) or "host"
}

// Hosts lists the known hosts.
func (s *Service) Hosts(ctx context.Context, f Filter) ([]HostInfo, error) {
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, fmt.Errorf("%w %q (states: %v)", ErrUnknownState, f.State, States)
	}
	rows, err := s.Store.DeliveryHosts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]HostInfo, 0, len(rows))
	for _, h := range rows {
		info := describe(h)
		if f.State == "" || info.State == f.State {
			out = append(out, info)
		}
	}
	if f.Sort != "host" {
		slices.SortStableFunc(out, func(a, b HostInfo) int { return int(b.Queued - a.Queued) })
	}
	return out, nil
}

// Host returns one host; store.ErrNotFound when tusk never delivered to it.
func (s *Service) Host(ctx context.Context, name string) (HostInfo, error) {
	host, err := NormalizeHost("", name)
	if err != nil {
		return HostInfo{}, err
	}
	h, err := s.Store.DeliveryHost(ctx, host)
	if err != nil {
		return HostInfo{}, err
	}
	return describe(h), nil
}

// Reset forgets a host's failures: breaker closed, unavailable mark cleared. Idempotent.
func (s *Service) Reset(ctx context.Context, name string) error {
	return s.act(ctx, name, func(q store.Q, host string) error { return q.ResetDeliveryHost(ctx, host) })
}

// SuspendDelivery stops delivery to a host; its deliveries wait (and expire after
// Policy.GiveUpAfter). Idempotent; a host never seen is recorded suspended.
func (s *Service) SuspendDelivery(ctx context.Context, name string) error {
	return s.act(ctx, name, func(q store.Q, host string) error { return q.SetDeliverySuspended(ctx, host, true) })
}

// ResumeDelivery lets a suspended host be delivered to again. Idempotent.
func (s *Service) ResumeDelivery(ctx context.Context, name string) error {
	return s.act(ctx, name, func(q store.Q, host string) error { return q.SetDeliverySuspended(ctx, host, false) })
}

// MarkAlive records that a host was seen working (a validly signed request came from
// it): its unavailable mark is cleared and an open breaker may probe at once. name is a
// host (example.com, example.com:8443) or a URL on it (the signer's actor id). The inbox
// calls it for every verified request, so it only reads unless there is something to
// clear; a host never delivered to is left alone.
func (s *Service) MarkAlive(ctx context.Context, name string) error {
	var host string
	var err error
	if strings.Contains(name, "://") {
		host, err = HostOf(name)
	} else {
		host, err = NormalizeHost("", name)
	}
	if err != nil {
		return err
	}
	down, err := s.Store.DeliveryHostDown(ctx, host)
	if err != nil || !down {
		return err
	}
	return s.Store.Writer().MarkDeliveryHostAlive(ctx, host, time.Now())
}

func (s *Service) act(ctx context.Context, name string, fn func(q store.Q, host string) error) error {
	host, err := NormalizeHost("", name)
	if err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error { return fn(q, host) })
}

func describe(h *store.DeliveryHost) HostInfo {
	info := HostInfo{DeliveryHost: *h, SuccessRate: 1, P50: ms(percentile(h.Latencies, 50)), P99: ms(percentile(h.Latencies, 99))}
	if total := h.Successes + h.Failures; total > 0 {
		info.SuccessRate = float64(h.Successes) / float64(total)
	}
	switch {
	case h.Suspended:
		info.State = StateSuspended
	case h.Unavailable:
		info.State = StateUnavailable
	case h.Breaker != store.BreakerClosed || h.ConsecutiveFailures > 0:
		info.State = StateDegraded
	default:
		info.State = StateHealthy
	}
	return info
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// percentile is the nearest-rank pth percentile of vs; 0 for none.
func percentile(vs []int64, p int) int64 {
	if len(vs) == 0 {
		return 0
	}
	sorted := slices.Clone(vs)
	slices.Sort(sorted)
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func median(vs []int64) int64 { return percentile(vs, 50) }
