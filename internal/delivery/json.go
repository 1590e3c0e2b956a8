package delivery

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// HostJSON is one host as the admin API and the CLI show it.
type HostJSON struct {
	Host                string     `json:"host"`
	State               string     `json:"state"`
	Breaker             string     `json:"breaker"`
	Queued              int64      `json:"queued"`
	Successes           int64      `json:"successes"`
	Failures            int64      `json:"failures"`
	GaveUp              int64      `json:"gave_up"`
	Skipped             int64      `json:"skipped"`
	SuccessRate         float64    `json:"success_rate"`
	P50Ms               int64      `json:"p50_ms"`
	P99Ms               int64      `json:"p99_ms"`
	ConsecutiveFailures int        `json:"consecutive_failures"`
	RetryAt             *time.Time `json:"retry_at"`
	FailingSince        *time.Time `json:"failing_since"`
	LastSuccessAt       *time.Time `json:"last_success_at"`
	LastFailureAt       *time.Time `json:"last_failure_at"`
	LastError           string     `json:"last_error"`
	Unavailable         bool       `json:"unavailable"`
	Suspended           bool       `json:"suspended"`
}

// RenderHost converts a host for JSON; times never set are null.
func RenderHost(h HostInfo) HostJSON {
	out := HostJSON{Host: h.Host, State: h.State, Breaker: h.Breaker, Queued: h.Queued, Successes: h.Successes,
		Failures: h.Failures, GaveUp: h.GaveUp, Skipped: h.Skipped, SuccessRate: h.SuccessRate,
		P50Ms: h.P50.Milliseconds(), P99Ms: h.P99.Milliseconds(), ConsecutiveFailures: h.ConsecutiveFailures,
		RetryAt: optTime(h.RetryAt), FailingSince: optTime(h.FailingSince), LastSuccessAt: optTime(h.LastSuccessAt),
		LastFailureAt: optTime(h.LastFailureAt), LastError: h.LastError, Unavailable: h.Unavailable, Suspended: h.Suspended}
	if h.Breaker == "closed" {
		out.RetryAt = nil
	}
	return out
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// Samples returns the per-minute outcomes of the last hours (1 to 24), oldest first.
func (s *Service) Samples(ctx context.Context, hours int) (since, until time.Time, out []store.DeliverySample, err error) {
	hours = min(max(hours, 1), int(SampleWindow/time.Hour))
	until = time.Now().UTC().Truncate(time.Second)
	since = until.Add(-time.Duration(hours) * time.Hour)
	out, err = s.Store.DeliverySamples(ctx, since)
	return since, until, out, err
}
