package console

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// The queue page draws each queue's history as two small SVG charts, drawn here on the
// server so the page needs no JavaScript: depth (and running jobs), and throughput
// (completed and failed jobs per minute).

// Chart geometry, in SVG user units; the image scales to the page width.
const (
	chartWidth  = 360
	chartHeight = 120
	plotLeft    = 40
	plotTop     = 8
	plotWidth   = chartWidth - plotLeft - 8
	plotHeight  = chartHeight - plotTop - 20
	// maxPoints bounds the points of one line, so 24 hours stay a few kilobytes.
	maxPoints = 360
	// gapBuckets: a line breaks where this many buckets in a row have no sample
	// (the server was down), rather than drawing a slope across the outage.
	gapBuckets = 3
)

// queueChart is one queue's two charts.
type queueChart struct {
	Queue  string
	Panels []panel
}

// panel is one chart: a y scale from 0 to Max and lines over the window.
type panel struct {
	Title               string
	Width, Height       int
	PlotLeft, PlotRight int
	PlotTop, PlotBottom int
	Max                 int64
	Lines               []chartLine
	Ticks               []tick
	Empty               bool
}

// chartLine is one measure; Segments are SVG "points" lists, Dots lone points.
type chartLine struct {
	Class    string
	Label    string
	Segments []string
	Dots     []point
}

type point struct{ X, Y float64 }

type tick struct {
	X     float64
	Label string
}

// bucket is the samples of one slice of the window, reduced to one point per line.
type bucket struct {
	index                      int
	depth, running             int64 // the highest in the slice: peaks matter
	completed, failed, samples int64 // summed; divided by samples for a per-minute mean
}

// buildCharts draws every series over [since, until).
func buildCharts(h History) []queueChart {
	var out []queueChart
	for _, s := range h.Queues {
		buckets, step := reduce(s.Samples, h.Since, h.Until)
		out = append(out, queueChart{Queue: s.Queue, Panels: []panel{
			drawPanel("Depth and running", buckets, step, h, []measure{
				{"depth", "waiting", func(b bucket) float64 { return float64(b.depth) }},
				{"running", "running", func(b bucket) float64 { return float64(b.running) }},
			}),
			drawPanel("Jobs per minute", buckets, step, h, []measure{
				{"completed", "completed", func(b bucket) float64 { return float64(b.completed) / float64(b.samples) }},
				{"failed", "failed", func(b bucket) float64 { return float64(b.failed) / float64(b.samples) }},
			}),
		}})
	}
	return out
}

type measure struct {
	class, label string
	value        func(bucket) float64
}

// reduce groups samples into at most maxPoints slices of whole minutes.
func reduce(samples []store.QueueSample, since, until time.Time) ([]bucket, time.Duration) {
	step := until.Sub(since) / maxPoints
	step = max(time.Minute, step.Truncate(time.Minute))
	var out []bucket
	for _, s := range samples {
		if s.Minute.Before(since) || !s.Minute.Before(until) {
			continue
		}
		i := int(s.Minute.Sub(since) / step)
		if len(out) == 0 || out[len(out)-1].index != i {
			out = append(out, bucket{index: i})
		}
		b := &out[len(out)-1]
		b.depth, b.running = max(b.depth, s.Depth), max(b.running, s.Running)
		b.completed += s.Completed
		b.failed += s.Failed
		b.samples++
	}
	return out, step
}

func drawPanel(title string, buckets []bucket, step time.Duration, h History, ms []measure) panel {
	p := panel{Title: title, Width: chartWidth, Height: chartHeight, PlotLeft: plotLeft,
		PlotRight: plotLeft + plotWidth, PlotTop: plotTop, PlotBottom: plotTop + plotHeight,
		Empty: len(buckets) == 0, Ticks: ticks(h.Since, h.Until)}
	var top float64
	for _, b := range buckets {
		for _, m := range ms {
			top = math.Max(top, m.value(b))
		}
	}
	p.Max = niceCeil(top)
	slots := float64(h.Until.Sub(h.Since) / step)
	for _, m := range ms {
		line := chartLine{Class: m.class, Label: m.label}
		var seg []point
		flush := func() {
			switch len(seg) {
			case 0:
			case 1:
				line.Dots = append(line.Dots, seg[0])
			default:
				line.Segments = append(line.Segments, formatPoints(seg))
			}
			seg = nil
		}
		for i, b := range buckets {
			if i > 0 && b.index-buckets[i-1].index > gapBuckets {
				flush()
			}
			x := plotLeft + plotWidth*(float64(b.index)+0.5)/slots
			y := plotTop + plotHeight*(1-m.value(b)/float64(p.Max))
			seg = append(seg, point{round1(x), round1(y)})
		}
		flush()
		p.Lines = append(p.Lines, line)
	}
	return p
}

// ticks labels the x axis every six hours (every quarter of shorter windows).
func ticks(since, until time.Time) []tick {
	window := until.Sub(since)
	every := window / 4
	var out []tick
	for i := 0; i <= 4; i++ {
		at := since.Add(time.Duration(i) * every)
		out = append(out, tick{X: round1(plotLeft + plotWidth*float64(i)/4), Label: at.Format("15:04")})
	}
	return out
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten, so the scale reads easily.
func niceCeil(v float64) int64 {
	if v <= 1 {
		return 1
	}
	pow := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*pow {
			return int64(m * pow)
		}
	}
	return int64(10 * pow)
}

func formatPoints(ps []point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(p.X, 'f', -1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p.Y, 'f', -1, 64))
	}
	return b.String()
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
