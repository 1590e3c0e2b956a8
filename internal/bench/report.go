package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// Latency summarises one timeline benchmark's request durations.
type Latency struct {
	Requests int     `json:"requests"`
	P50Ms    float64 `json:"p50_ms"`
	P99Ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// summarize computes nearest-rank percentiles.
func summarize(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return Latency{Requests: len(s), P50Ms: ms(percentile(s, 50)), P99Ms: ms(percentile(s, 99)), MaxMs: ms(s[len(s)-1])}
}

// percentile is the nearest-rank p-th percentile of sorted, non-empty s.
func percentile(s []time.Duration, p int) time.Duration {
	rank := (p*len(s) + 99) / 100 // ceil(p/100 × n), 1-based
	return s[max(rank, 1)-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Targets are the figures tusk aims for on a small (2-core) machine.
type Targets struct {
	HomeP99Ms   float64 `json:"home_p99_ms_max"`
	PostsPerSec float64 `json:"posts_per_second_min"`
	IdleRSSMB   float64 `json:"idle_rss_mb_max"`
}

// DefaultTargets are the project's goals.
func DefaultTargets() Targets { return Targets{HomeP99Ms: 10, PostsPerSec: 500, IdleRSSMB: 40} }

// Result is one whole run.
type Result struct {
	Engine      string  `json:"engine"`
	Sizes       Sizes   `json:"sizes"`
	FollowRows  int     `json:"follow_rows"`
	SeedSeconds float64 `json:"seed_seconds"`
	Home        Latency `json:"home"`
	Public      Latency `json:"public"`
	Posting     Posting `json:"posting"`
	IdleRSSMB   float64 `json:"idle_rss_mb"` // 0 when the step was skipped
	Targets     Targets `json:"targets"`
}

// WriteJSON writes r as indented JSON.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a table, each measured figure beside its target.
func (r *Result) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%s: %d accounts × %d follows, %d statuses; %d requests, %d posts\n\n",
		r.Engine, r.Sizes.Accounts, r.Sizes.Follows, r.Sizes.Statuses, r.Sizes.Requests, r.Sizes.Posts)
	t, tw := r.Targets, tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "seed\t%.1f s\n", r.SeedSeconds)
	fmt.Fprintf(tw, "home p50 / p99 / max\t%.2f / %.2f / %.2f ms\tp99 ≤ %.0f ms\t%s\n",
		r.Home.P50Ms, r.Home.P99Ms, r.Home.MaxMs, t.HomeP99Ms, verdict(r.Home.P99Ms <= t.HomeP99Ms))
	fmt.Fprintf(tw, "public p50 / p99 / max\t%.2f / %.2f / %.2f ms\n", r.Public.P50Ms, r.Public.P99Ms, r.Public.MaxMs)
	fmt.Fprintf(tw, "posts\t%.0f statuses/s\t≥ %.0f/s\t%s\n", r.Posting.PerSecond, t.PostsPerSec,
		verdict(r.Posting.PerSecond >= t.PostsPerSec && r.Posting.Failed == 0))
	if r.Posting.Failed > 0 {
		fmt.Fprintf(tw, "  failed\t%d of %d posts\t0\tMISSED\n", r.Posting.Failed, r.Posting.Failed+r.Posting.Statuses)
	}
	if r.IdleRSSMB > 0 {
		fmt.Fprintf(tw, "idle RSS (tusk serve)\t%.1f MB\t≤ %.0f MB\t%s\n", r.IdleRSSMB, t.IdleRSSMB, verdict(r.IdleRSSMB <= t.IdleRSSMB))
	} else {
		fmt.Fprintf(tw, "idle RSS (tusk serve)\tskipped\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Posting.Failed > 0 {
		_, err := fmt.Fprintf(w, "\nfirst failed post: %s\n", r.Posting.FirstError)
		return err
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}
