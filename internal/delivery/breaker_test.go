package delivery

import (
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

func TestBreakerTransitions(t *testing.T) {
	t.Parallel()
	p := Policy{BreakerThreshold: 3, CoolOff: time.Minute, MaxCoolOff: 4 * time.Minute, UnavailableAfter: 24 * time.Hour, UnavailableCoolOffs: 3}.Defaults()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := &store.DeliveryHost{Host: "example.com", Breaker: store.BreakerClosed}
	for i := 1; i <= 2; i++ {
		p.apply(h, failed, 0, "boom", now)
		if h.Breaker != store.BreakerClosed || h.ConsecutiveFailures != i {
			t.Fatalf("after %d failures: breaker %s, consecutive %d; want closed, %d", i, h.Breaker, h.ConsecutiveFailures, i)
		}
	}
	if got := p.hostCap(h); got != 1 {
		t.Errorf("hostCap of a failing host = %d; want 1", got)
	}
	p.apply(h, failed, 0, "boom", now)
	if h.Breaker != store.BreakerOpen || !h.RetryAt.Equal(now.Add(time.Minute)) || h.CoolOffs != 1 {
		t.Fatalf("after 3 failures: breaker %s retry at %v cool-offs %d; want open, %v, 1", h.Breaker, h.RetryAt, h.CoolOffs, now.Add(time.Minute))
	}
	// The probe (half-open) fails: the cool-off doubles, then is capped.
	for i, want := range []time.Duration{2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
		h.Breaker = store.BreakerHalfOpen
		p.apply(h, failed, 0, "still down", now)
		if h.Breaker != store.BreakerOpen || h.RetryAt.Sub(now) != want {
			t.Errorf("failed probe %d: breaker %s, cool-off %v; want open, %v", i+1, h.Breaker, h.RetryAt.Sub(now), want)
		}
	}
	if h.Unavailable {
		t.Error("host unavailable after minutes of failure; want it only after UnavailableAfter")
	}
	later := now.Add(25 * time.Hour)
	h.Breaker = store.BreakerHalfOpen
	if became := p.apply(h, failed, 0, "down for a day", later); !became || !h.Unavailable {
		t.Errorf("after a day of failures and %d cool-offs: unavailable %v (became %v); want true", h.CoolOffs, h.Unavailable, became)
	}
	// A successful probe closes everything and clears the mark.
	h.Breaker = store.BreakerHalfOpen
	p.apply(h, delivered, 30*time.Millisecond, "", later)
	if h.Breaker != store.BreakerClosed || h.ConsecutiveFailures != 0 || h.CoolOffs != 0 || h.Unavailable || !h.FailingSince.IsZero() {
		t.Errorf("after a success: %+v; want closed, no failures, available", h)
	}
	if got := p.hostCap(h); got != p.HostConcurrency {
		t.Errorf("hostCap of a healthy host = %d; want %d", got, p.HostConcurrency)
	}
}

func TestTimeoutOpensAtOnce(t *testing.T) {
	t.Parallel()
	p := Policy{}.Defaults()
	h := &store.DeliveryHost{Breaker: store.BreakerClosed}
	p.apply(h, timedOut, 30*time.Second, "deadline exceeded", time.Now())
	if h.Breaker != store.BreakerOpen {
		t.Errorf("breaker after one time-out = %s; want open", h.Breaker)
	}
}

func TestRefusedIsNotTheHostsFailure(t *testing.T) {
	t.Parallel()
	p := Policy{}.Defaults()
	h := &store.DeliveryHost{Breaker: store.BreakerClosed, ConsecutiveFailures: 2}
	p.apply(h, refused, time.Millisecond, "", time.Now())
	if h.ConsecutiveFailures != 0 || h.GaveUp != 1 || h.Successes != 0 {
		t.Errorf("after a 410: consecutive %d, gave up %d, successes %d; want 0, 1, 0", h.ConsecutiveFailures, h.GaveUp, h.Successes)
	}
}

func TestSlowHostGetsOneAttempt(t *testing.T) {
	t.Parallel()
	p := Policy{}.Defaults()
	h := &store.DeliveryHost{Breaker: store.BreakerClosed, LastSuccessAt: time.Now(), Latencies: []int64{3000, 4000, 5000}}
	if got := p.hostCap(h); got != 1 {
		t.Errorf("hostCap of a host answering in 4 s = %d; want 1", got)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	vs := []int64{5, 1, 4, 2, 3, 100, 6, 7, 8, 9}
	for _, tt := range []struct {
		p    int
		want int64
	}{{50, 5}, {99, 100}, {10, 1}} {
		if got := percentile(vs, tt.p); got != tt.want {
			t.Errorf("percentile(%v, %d) = %d; want %d", vs, tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil) = %d; want 0", got)
	}
}

func TestHostOf(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"https://Example.COM/inbox", "example.com"},
		{"https://example.com:443/inbox", "example.com"},
		{"http://example.com:80/inbox", "example.com"},
		{"https://example.com:8443/users/a/inbox", "example.com:8443"},
		{"http://127.0.0.5:4000/inbox", "127.0.0.5:4000"},
		{"https://[::1]:8080/inbox", "[::1]:8080"},
	} {
		if got, err := HostOf(tt.in); err != nil || got != tt.want {
			t.Errorf("HostOf(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "/inbox", "ftp://example.com/inbox", "https:///inbox", "https://user:pw@example.com/inbox"} {
		if got, err := HostOf(bad); err == nil {
			t.Errorf("HostOf(%q) = %q; want an error", bad, got)
		}
	}
}
