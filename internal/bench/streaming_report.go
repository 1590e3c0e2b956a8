package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteJSON writes r as indented JSON.
func (r *StreamingResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a table, each measured figure beside its target.
func (r *StreamingResult) WriteTable(w io.Writer) error {
	streams := "public"
	if r.UserStream {
		streams = "public + user"
	}
	fmt.Fprintf(w, "%d WebSocket streams (%s) from %d source addresses; %d posts\n\n", r.Connections, streams, r.SourceAddrs, r.Posts)
	t, tw := r.Targets, tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "opened\t%d of %d in %.1f s\n", r.Opened, r.Connections, r.OpenSeconds)
	if r.FailedToOpen > 0 {
		fmt.Fprintf(tw, "  failed to open\t%d\t(first: %s)\n", r.FailedToOpen, r.FirstOpenError)
	}
	fmt.Fprintf(tw, "server RSS before / with streams\t%.1f / %.1f MB\n", r.BaseRSSMB, r.RSSMB)
	fmt.Fprintf(tw, "RSS per connection\t%.1f KB\n", r.RSSPerConnKB)
	fmt.Fprintf(tw, "RSS at 50,000 connections (projected)\t%.0f MB\t≤ %.0f MB\t%s\n", r.RSSFor50kMB, t.RSSFor50kMB, verdict(r.RSSFor50kMB <= t.RSSFor50kMB))
	fmt.Fprintf(tw, "idle CPU without / with streams\t%.2f%% / %.2f%% of a core\t%.2f µs/s per connection (over %.0f s)\n",
		100*r.BaseIdleCPU, 100*r.IdleCPU, r.IdleCPUPerConnUs, r.IdleSeconds)
	fmt.Fprintf(tw, "delivery p50 / p99 / max\t%.1f / %.1f / %.1f ms\tp99 ≤ %.0f ms\t%s\n",
		r.Delivery.P50Ms, r.Delivery.P99Ms, r.Delivery.MaxMs, t.P99Ms, verdict(r.Delivery.P99Ms <= t.P99Ms && r.Missing == 0))
	fmt.Fprintf(tw, "deliveries\t%d\t(%d missing)\n", r.Delivery.Requests, r.Missing)
	fmt.Fprintf(tw, "slowest delivery of each post\t%v ms\n", r.LastDeliveryMs)
	fmt.Fprintf(tw, "burst CPU over %.1f s\t%.0f%% of a core\t(the benchmark's readers: %.0f%%)\n", r.BurstSeconds, 100*r.BurstCPU, 100*r.ClientBurstCPU)
	if r.DroppedStreams > 0 {
		fmt.Fprintf(tw, "streams ended by the server\t%d\t(first: %s)\n", r.DroppedStreams, r.FirstDropError)
	}
	return tw.Flush()
}
