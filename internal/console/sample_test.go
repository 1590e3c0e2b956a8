package console

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// fakeQueues serves fixed numbers; the console's other calls are not used here.
type fakeQueues struct {
	Queues
	stats []QueueStats
}

func (f *fakeQueues) Stats(context.Context) ([]QueueStats, error) { return f.stats, nil }

func TestSampleWritesAndPrunes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		q := &fakeQueues{stats: []QueueStats{
			{Name: jobs.Push, Waiting: 5, Scheduled: 2, Retrying: 1, Running: 3, DoneLastMinute: 40, FailedLastMinute: 2},
			{Name: jobs.Default, Waiting: 1},
		}}
		s := &Service{Queues: q, Store: st}
		now := time.Now().UTC()
		old := now.Add(-HistoryWindow - 2*time.Minute)
		if err := s.Sample(ctx, old); err != nil {
			t.Fatal(err)
		}
		if got, _ := st.QueueSamples(ctx, old.Add(-time.Minute)); len(got) != 2 {
			t.Fatalf("after the old sample: %d rows; want 2", len(got))
		}
		// Sampling twice in a minute keeps one row per queue, with the later numbers.
		if err := s.Sample(ctx, now); err != nil {
			t.Fatal(err)
		}
		q.stats[0].Waiting = 6
		if err := s.Sample(ctx, now); err != nil {
			t.Fatal(err)
		}
		got, err := st.QueueSamples(ctx, old.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("rows = %+v; want the two of the last sample, the old ones pruned", got)
		}
		var push store.QueueSample
		for _, g := range got {
			if g.Queue == jobs.Push {
				push = g
			}
		}
		want := store.QueueSample{Queue: jobs.Push, Minute: now.Truncate(time.Minute), Depth: 9, Running: 3, Completed: 40, Failed: 2}
		if push != want {
			t.Errorf("push sample = %+v; want %+v", push, want)
		}

		h, err := s.History(ctx, 24)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Queues) != len(jobs.Queues) || h.Queues[0].Queue != jobs.Default || len(h.Queues[1].Samples) != 1 {
			t.Errorf("history = %+v", h)
		}
	})
}

func TestCharts(t *testing.T) {
	until := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	since := until.Add(-24 * time.Hour)
	var samples []store.QueueSample
	// Two runs of samples, an hour apart: two line segments. One lone sample: a dot.
	for _, start := range []time.Duration{2 * time.Hour, 4 * time.Hour} {
		for m := range 30 {
			samples = append(samples, store.QueueSample{Queue: jobs.Push, Minute: since.Add(start + time.Duration(m)*time.Minute),
				Depth: int64(m), Completed: 8})
		}
	}
	samples = append(samples, store.QueueSample{Queue: jobs.Push, Minute: since.Add(10 * time.Hour), Depth: 70})
	charts := buildCharts(History{Since: since, Until: until, Queues: []Series{{Queue: jobs.Push, Samples: samples}, {Queue: jobs.Pull}}})
	if len(charts) != 2 || len(charts[0].Panels) != 2 {
		t.Fatalf("charts = %+v", charts)
	}
	depth := charts[0].Panels[0]
	if depth.Max != 100 {
		t.Errorf("depth scale = %d; want 100 (70 rounded up)", depth.Max)
	}
	line := depth.Lines[0]
	if line.Class != "depth" || len(line.Segments) != 2 || len(line.Dots) != 1 {
		t.Fatalf("depth line = %d segments, %d dots; want 2 and 1", len(line.Segments), len(line.Dots))
	}
	// 30 one-minute samples in four-minute buckets: 8 points (the first and last partial).
	if n := len(strings.Fields(line.Segments[0])); n < 7 || n > 9 {
		t.Errorf("first segment has %d points; want about 8: %s", n, line.Segments[0])
	}
	for _, pt := range strings.Fields(line.Segments[0]) {
		xs, ys, _ := strings.Cut(pt, ",")
		x, errX := strconv.ParseFloat(xs, 64)
		y, errY := strconv.ParseFloat(ys, 64)
		if errX != nil || errY != nil || x < plotLeft || x > plotLeft+plotWidth || y < plotTop || y > plotTop+plotHeight {
			t.Errorf("point %q outside the plot", pt)
		}
	}
	if d := line.Dots[0]; d.Y != plotTop+plotHeight*(1-0.7) {
		t.Errorf("lone sample at y=%v; want %v", d.Y, plotTop+plotHeight*(1-0.7))
	}
	throughput := charts[0].Panels[1]
	if throughput.Max != 10 || throughput.Lines[0].Class != "completed" {
		t.Errorf("throughput panel = max %d, first line %q; want 10, completed", throughput.Max, throughput.Lines[0].Class)
	}
	if !charts[1].Panels[0].Empty {
		t.Error("a queue without samples should be marked empty")
	}
}

func TestNiceCeil(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want int64
	}{{0, 1}, {0.4, 1}, {1, 1}, {1.1, 2}, {3, 5}, {7, 10}, {10, 10}, {11, 20}, {4500, 5000}, {8001, 10000}} {
		if got := niceCeil(tt.in); got != tt.want {
			t.Errorf("niceCeil(%v) = %d; want %d", tt.in, got, tt.want)
		}
	}
}
