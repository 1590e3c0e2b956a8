package fedsim

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"
)

// WriteTable prints the report for people.
func (r *Report) WriteTable(w io.Writer) error {
	o := r.Options
	fmt.Fprintf(w, "Simulated fediverse: %d hosts, %d activities queued to each before delivery, %d posts after; engine %s, %d CPUs\n",
		o.Hosts, o.Backlog, o.Posts, r.Engine, r.CPUs)
	fmt.Fprintf(w, "time-outs: connect %v, total %v; workers %d, per host %d, breaker after %d failures (a time-out opens it at once)\n",
		o.Connect, o.Timeout, o.Policy.Workers, o.Policy.HostConcurrency, o.Policy.BreakerThreshold)
	fmt.Fprintln(w, sourceLine(r))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\thosts (healthy/slow/flaky/gone/dead/black hole)\tqueued\tbacklog to healthy\tbreakers open\tnew post (median)\tworst post\tbad-host worker time, breakers open\tCPU\tRSS / peak MiB\t")
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%v\t%v\t%v\t%v\t%.1f %%\t%v\t%.0f / %.0f\t\n", s.Name, hostMix(s.Hosts), s.Deliveries,
			round(s.DrainHealthy), round(s.BreakersOpen), round(s.MedianPost()), round(maxDuration(s.Posts)),
			100*s.SteadyBadShare(), round(s.CPU), s.RSSMiB, s.PeakRSSMiB)
	}
	m := r.Mastodon
	fmt.Fprintf(tw, "Mastodon-style pool (model)\t%d workers\t%d\t%v\t-\t%v\t-\t%.1f %% (whole drain)\t-\t-\t\n",
		m.Workers, r.Options.Backlog*r.Options.Hosts, round(m.DrainHealthy), round(m.Post), 100*m.BadShare())
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAttempts and worker time per kind of host (whole run):")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "scenario\t")
	for _, b := range Behaviours {
		fmt.Fprintf(tw, "%s\t", b)
	}
	fmt.Fprintln(tw)
	for _, s := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t", s.Name)
		for _, b := range Behaviours {
			fmt.Fprintf(tw, "%d / %v\t", s.Attempts[b], round(s.WorkerTime[b]))
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "Mastodon-style pool (model)\t")
	for _, b := range Behaviours {
		fmt.Fprintf(tw, "%d / %v\t", m.Attempts[b], round(m.WorkerTime[b]))
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// sourceLine says where the activities came from and, for a whole tusk, how the
// follow phase went: setup, not part of the measured figures.
func sourceLine(r *Report) string {
	if r.Options.Source == Direct {
		return "source: direct (activities written into the delivery queue; no server, no follows)"
	}
	line := "source: a whole tusk on loopback, followed through signed Follows, posting through the client API; follow phase (setup):"
	for i, s := range r.Scenarios {
		if i > 0 {
			line += ";"
		}
		line += fmt.Sprintf(" %s %d accepted in %v", s.Name, s.Followers, round(s.FollowPhase))
	}
	return line
}

func hostMix(h map[Behaviour]int) string {
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d", h[Healthy], h[Slow], h[Flaky], h[Gone], h[Dead], h[BlackHole])
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

func maxDuration(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

// WriteCSV writes the figures in long form, one value per row (scenario, metric, key,
// value), queue depth over time included, for plotting.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	secs := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
	row := func(sc, metric, key, value string) { cw.Write([]string{sc, metric, key, value}) }
	row("scenario", "metric", "key", "value")
	for _, s := range r.Scenarios {
		row(s.Name, "queued", "", strconv.Itoa(s.Deliveries))
		row(s.Name, "follows_accepted", "", strconv.Itoa(s.Followers))
		row(s.Name, "follow_phase_seconds", "", secs(s.FollowPhase))
		row(s.Name, "backlog_to_healthy_seconds", "", secs(s.DrainHealthy))
		row(s.Name, "breakers_open_seconds", "", secs(s.BreakersOpen))
		for i, p := range s.Posts {
			row(s.Name, "post_seconds", strconv.Itoa(i+1), secs(p))
		}
		row(s.Name, "bad_host_worker_share_breakers_open", "", strconv.FormatFloat(s.SteadyBadShare(), 'f', 4, 64))
		for _, b := range Behaviours {
			row(s.Name, "hosts", string(b), strconv.Itoa(s.Hosts[b]))
			row(s.Name, "attempts", string(b), strconv.FormatInt(s.Attempts[b], 10))
			row(s.Name, "worker_seconds", string(b), secs(s.WorkerTime[b]))
		}
		row(s.Name, "cpu_seconds", "", secs(s.CPU))
		row(s.Name, "rss_mib", "", strconv.FormatFloat(s.RSSMiB, 'f', 1, 64))
		for _, p := range s.Depth {
			row(s.Name, "queue_depth", secs(p.At), strconv.FormatInt(p.Queued, 10))
		}
	}
	m := r.Mastodon
	row("mastodon_model", "backlog_to_healthy_seconds", "", secs(m.DrainHealthy))
	row("mastodon_model", "post_seconds", "", secs(m.Post))
	row("mastodon_model", "bad_host_worker_share", "", strconv.FormatFloat(m.BadShare(), 'f', 4, 64))
	for _, b := range Behaviours {
		row("mastodon_model", "attempts", string(b), strconv.FormatInt(m.Attempts[b], 10))
		row("mastodon_model", "worker_seconds", string(b), secs(m.WorkerTime[b]))
	}
	cw.Flush()
	return cw.Error()
}
