package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tuskhq/tusk/internal/store"
)

// DeliverySource gives the delivery hosts' totals by state; the store is one.
type DeliverySource interface {
	DeliveryStateTotals(ctx context.Context) ([]store.DeliveryStateTotal, error)
}

var (
	deliveryQueued = prometheus.NewDesc("tusk_deliveries_queued",
		"Deliveries waiting, by their host's state (closed, open, half_open, unavailable, suspended), across all processes.",
		[]string{"host_state"}, nil)
	deliveryHosts = prometheus.NewDesc("tusk_delivery_hosts",
		"Known delivery hosts by state, across all processes.", []string{"host_state"}, nil)
	deliverySkipped = prometheus.NewDesc("tusk_deliveries_skipped_total",
		"Deliveries never queued because their host was marked unavailable, across all processes (from the database).",
		[]string{"host_state"}, nil)
	deliveryUp = prometheus.NewDesc("tusk_delivery_stats_up",
		"1 when the delivery numbers could be read at this scrape.", nil, nil)
)

// ObserveDelivery counts one finished delivery attempt of this process: its result
// (delivered, failed, gave_up) and the state of its host's breaker when it started
// (closed, or half_open for the probe of a host whose breaker was open).
func (m *Metrics) ObserveDelivery(result, hostState string) {
	m.deliveries.WithLabelValues(result, hostState).Inc()
}

// WatchDelivery adds the delivery queue's numbers by host state, read from src at each scrape.
func (m *Metrics) WatchDelivery(src DeliverySource) {
	m.reg.MustRegister(&deliveryCollector{src: src})
}

func newDeliveryCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tusk_deliveries_total",
		Help: "Delivery attempts this process finished, by result (delivered, failed, gave_up) and host state when it started.",
	}, []string{"outcome", "host_state"})
}

// deliveryCollector reads the delivery totals at each scrape, so every process reports
// the same numbers, never stale ones.
type deliveryCollector struct{ src DeliverySource }

func (c *deliveryCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{deliveryQueued, deliveryHosts, deliverySkipped, deliveryUp} {
		ch <- d
	}
}

func (c *deliveryCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
	defer cancel()
	totals, err := c.src.DeliveryStateTotals(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(deliveryUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(deliveryUp, prometheus.GaugeValue, 1)
	for _, t := range totals {
		ch <- prometheus.MustNewConstMetric(deliveryQueued, prometheus.GaugeValue, float64(t.Queued), t.State)
		ch <- prometheus.MustNewConstMetric(deliveryHosts, prometheus.GaugeValue, float64(t.Hosts), t.State)
		if t.Skipped > 0 {
			ch <- prometheus.MustNewConstMetric(deliverySkipped, prometheus.CounterValue, float64(t.Skipped), t.State)
		}
	}
}
