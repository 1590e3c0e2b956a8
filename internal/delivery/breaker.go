package delivery

import (
	"math/rand/v2"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// Policy tunes delivery. The zero value of a field takes its default (see Defaults).
type Policy struct {
	// Workers caps the attempts in flight in one process. An attempt mostly waits on the
	// network, so this is a count of goroutines and sockets, not of CPUs: it must exceed
	// the hosts that can hold an attempt for the whole time-out at once, or they stall
	// the rest (the founding memo's day).
	Workers int
	// HostConcurrency caps one healthy host's attempts in flight per process; a host
	// that is failing, slow or not yet known gets one, and so does every host until
	// one of its attempts answers after its deliveries came due.
	HostConcurrency int
	// BreakerThreshold is the consecutive failures that open a host's breaker. An attempt
	// that timed out opens it at once: it cost a worker the whole time-out.
	BreakerThreshold int
	// CoolOff is the first pause of an open breaker; each reopening doubles it up to MaxCoolOff.
	CoolOff, MaxCoolOff time.Duration
	// RetryBase is a delivery's first retry delay after a failure; it doubles per attempt
	// up to MaxRetryDelay, with jitter.
	RetryBase, MaxRetryDelay time.Duration
	// GiveUpAfter drops a delivery this old (Mastodon gives up after about two days).
	GiveUpAfter time.Duration
	// A host failing for UnavailableAfter, through at least UnavailableCoolOffs cool-offs,
	// is marked unavailable: its queue is dropped and new deliveries skipped, until it is
	// seen alive (a validly signed request from it, or an admin's reset).
	UnavailableAfter    time.Duration
	UnavailableCoolOffs int
	// Lease is how long a claimed delivery stays with its worker; longer than any attempt.
	Lease time.Duration
	// Poll is how often an idle dispatcher looks for new deliveries.
	Poll time.Duration
	// SlowLatency: a host whose median attempt takes longer gets one attempt at a time.
	SlowLatency time.Duration
	// ProbeTimeout bounds the one attempt an open breaker lets through after its cool-off
	// (the outbound client's own time-out still applies when shorter).
	ProbeTimeout time.Duration
}

// Defaults fills the zero fields of p.
func (p Policy) Defaults() Policy {
	set := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if p.Workers <= 0 {
		p.Workers = 256
	}
	if p.HostConcurrency <= 0 {
		p.HostConcurrency = 4
	}
	if p.BreakerThreshold <= 0 {
		p.BreakerThreshold = 5
	}
	if p.UnavailableCoolOffs <= 0 {
		p.UnavailableCoolOffs = 8
	}
	set(&p.CoolOff, time.Minute)
	set(&p.MaxCoolOff, time.Hour)
	set(&p.RetryBase, 30*time.Second)
	set(&p.MaxRetryDelay, 6*time.Hour)
	set(&p.GiveUpAfter, 48*time.Hour)
	set(&p.UnavailableAfter, 24*time.Hour)
	set(&p.Lease, 2*time.Minute)
	set(&p.Poll, 100*time.Millisecond)
	set(&p.SlowLatency, time.Second)
	set(&p.ProbeTimeout, 10*time.Second)
	return p
}

// outcome is how an attempt ended, as the host's health sees it.
type outcome int

const (
	delivered outcome = iota // 2xx
	refused                  // the host answered but will never take it (404, 410, most 4xx): give up
	failed                   // network error, 5xx, 429, bad TLS, redirect loop, oversized answer: retry
	timedOut                 // failed after the whole time-out
	cancelled                // this process is stopping: not the host's fault
	dropped                  // never sendable (signer gone, address refused): give up, host untouched
)

func (o outcome) String() string {
	return [...]string{"delivered", "refused", "failed", "timed_out", "cancelled", "dropped"}[o]
}

// latencySamples is how many successful attempts' durations a host keeps for p50/p99.
const latencySamples = 100

// apply updates a host's row after an attempt and reports whether it just became
// unavailable.
func (p Policy) apply(h *store.DeliveryHost, o outcome, took time.Duration, errText string, now time.Time) (nowUnavailable bool) {
	switch o {
	case delivered, refused:
		h.Breaker, h.ConsecutiveFailures, h.CoolOffs = store.BreakerClosed, 0, 0
		h.RetryAt, h.FailingSince, h.Unavailable = time.Time{}, time.Time{}, false
		h.LastSuccessAt = now
		if o == delivered {
			h.Successes++
			h.Latencies = append(h.Latencies, took.Milliseconds())
			if len(h.Latencies) > latencySamples {
				h.Latencies = h.Latencies[len(h.Latencies)-latencySamples:]
			}
		} else {
			h.GaveUp++
		}
		return false
	case dropped:
		h.GaveUp++
		return false
	case cancelled:
		if h.Breaker == store.BreakerHalfOpen {
			h.Breaker, h.RetryAt = store.BreakerOpen, now // the probe did not happen; another may
		}
		return false
	}
	h.Failures++
	h.ConsecutiveFailures++
	h.LastFailureAt, h.LastError = now, errText
	if h.FailingSince.IsZero() {
		h.FailingSince = now
	}
	if h.Breaker == store.BreakerHalfOpen || o == timedOut || h.ConsecutiveFailures >= p.BreakerThreshold {
		h.Breaker = store.BreakerOpen
		h.CoolOffs++
		h.RetryAt = now.Add(p.coolOff(h.CoolOffs))
	}
	if !h.Unavailable && now.Sub(h.FailingSince) >= p.UnavailableAfter && h.CoolOffs >= p.UnavailableCoolOffs {
		h.Unavailable = true
		return true
	}
	return false
}

// coolOff is the pause after the breaker's nth opening in a streak (n from 1).
func (p Policy) coolOff(n int) time.Duration {
	d := p.CoolOff
	for i := 1; i < n && d < p.MaxCoolOff; i++ {
		d *= 2
	}
	return min(d, p.MaxCoolOff)
}

// retryDelay is the wait after a delivery's nth failed attempt (n from 1), ±25 % at
// random so deliveries that failed together do not retry together.
func (p Policy) retryDelay(n int) time.Duration {
	d := p.RetryBase
	for i := 1; i < n && d < p.MaxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxRetryDelay)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

// hostCap is how many attempts one process may have in flight to h.
func (p Policy) hostCap(h *store.DeliveryHost) int {
	if h.Breaker != store.BreakerClosed || h.ConsecutiveFailures > 0 || h.LastSuccessAt.IsZero() {
		return 1
	}
	if median(h.Latencies) > p.SlowLatency.Milliseconds() {
		return 1
	}
	return p.HostConcurrency
}
