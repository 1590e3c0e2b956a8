package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tuskhq/tusk/internal/jobs"
)

// QueueSource gives the queue numbers; the job service is one.
type QueueSource interface {
	Stats(ctx context.Context) ([]jobs.QueueStats, error)
}

// statsTimeout bounds the database queries of one scrape.
const statsTimeout = 5 * time.Second

var (
	queueJobs = prometheus.NewDesc("tusk_queue_jobs",
		"Jobs in a queue by state (waiting, running, scheduled, retrying, dead), across all processes.",
		[]string{"queue", "state"}, nil)
	queueDepth = prometheus.NewDesc("tusk_queue_depth",
		"Jobs waiting to run in a queue: waiting, scheduled and retrying.", []string{"queue"}, nil)
	queueOldest = prometheus.NewDesc("tusk_queue_oldest_waiting_seconds",
		"How long the job waiting longest in a queue has waited since it was due.", []string{"queue"}, nil)
	queueDoneHour = prometheus.NewDesc("tusk_queue_completed_last_hour",
		"Jobs of a queue completed in the last hour, across all processes.", []string{"queue"}, nil)
	queueFailedHour = prometheus.NewDesc("tusk_queue_failed_last_hour",
		"Jobs of a queue whose latest attempt in the last hour failed, across all processes.", []string{"queue"}, nil)
	queuePaused = prometheus.NewDesc("tusk_queue_paused",
		"1 when a queue is paused.", []string{"queue"}, nil)
	queueWorkers = prometheus.NewDesc("tusk_queue_workers",
		"Workers this process runs for a queue.", []string{"queue"}, nil)
	queueUp = prometheus.NewDesc("tusk_queue_stats_up",
		"1 when the queue numbers could be read at this scrape.", nil, nil)
)

// queueCollector reads the queue numbers at each scrape, so they are never stale and
// every process reports the same totals.
type queueCollector struct{ src QueueSource }

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueJobs, queueDepth, queueOldest, queueDoneHour,
		queueFailedHour, queuePaused, queueWorkers, queueUp} {
		ch <- d
	}
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	stats, err := c.src.Stats(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(queueUp, prometheus.GaugeValue, 1)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	for _, q := range stats {
		for state, n := range map[string]int64{jobs.StateWaiting: q.Waiting, jobs.StateRunning: q.Running,
			jobs.StateScheduled: q.Scheduled, jobs.StateRetrying: q.Retrying, jobs.StateDead: q.Dead} {
			gauge(queueJobs, float64(n), q.Name, state)
		}
		gauge(queueDepth, float64(q.Waiting+q.Scheduled+q.Retrying), q.Name)
		gauge(queueOldest, q.OldestWaiting.Seconds(), q.Name)
		gauge(queueDoneHour, float64(q.DoneLastHour), q.Name)
		gauge(queueFailedHour, float64(q.FailedLastHour), q.Name)
		gauge(queuePaused, boolFloat(q.Paused), q.Name)
		gauge(queueWorkers, float64(q.Concurrency), q.Name)
	}
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
