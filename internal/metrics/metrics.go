// Package metrics exposes tusk's numbers to Prometheus at /metrics: every queue's
// jobs, each job attempt's wait and outcome, HTTP request durations by route, the
// database pool, streaming connections, media bytes served, and the Go runtime and process. It keeps its own registry, never the
// global default, and answers only the networks and token the admin configured.
package metrics

import (
	"bufio"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/webform"
)

// Path is where the metrics are served.
const Path = "/metrics"

// Metrics is one process's registry and the instruments fed by the server and jobs.
type Metrics struct {
	reg      *prometheus.Registry
	access   config.AdminConfig
	requests *prometheus.HistogramVec
	started  *prometheus.CounterVec
	finished *prometheus.CounterVec
	failed   *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	runtime  *prometheus.HistogramVec
	// mediaBytes counts media file bytes served, whatever the backend.
	mediaBytes prometheus.Counter
	deliveries *prometheus.CounterVec
}

// New builds the registry with the HTTP, job, Go runtime and process metrics.
func New(access config.AdminConfig) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), access: access}
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tusk_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "code"})
	m.started = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tusk_jobs_started_total", Help: "Job attempts this process started.",
	}, []string{"queue", "kind"})
	m.finished = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tusk_jobs_processed_total", Help: "Job attempts this process finished, successful or not.",
	}, []string{"queue", "kind"})
	m.failed = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tusk_jobs_failed_total", Help: "Job attempts this process finished with an error.",
	}, []string{"queue", "kind"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tusk_job_latency_seconds", Help: "Time from a job being due to its attempt starting.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 15, 60, 300, 900, 3600},
	}, []string{"queue"})
	m.runtime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tusk_job_duration_seconds", Help: "Time a job attempt ran.",
		Buckets: []float64{.001, .005, .01, .05, .1, .5, 1, 5, 30, 120},
	}, []string{"queue"})
	m.mediaBytes = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tusk_media_served_bytes_total", Help: "Bytes of media files this process sent to clients.",
	})
	m.deliveries = newDeliveryCounter()
	m.reg.MustRegister(m.requests, m.started, m.finished, m.failed, m.latency, m.runtime, m.mediaBytes, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry behind /metrics, for adding collectors and for tests.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// WatchQueues adds every queue's numbers, read from src at each scrape.
func (m *Metrics) WatchQueues(src QueueSource) { m.reg.MustRegister(&queueCollector{src: src}) }

// WatchDB adds a database pool's statistics under db="name".
func (m *Metrics) WatchDB(db *sql.DB, name string) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// JobStarted counts an attempt and how long the job waited after it was due.
func (m *Metrics) JobStarted(queue, kind string, waited time.Duration) {
	m.started.WithLabelValues(queue, kind).Inc()
	m.latency.WithLabelValues(queue).Observe(waited.Seconds())
}

// JobFinished counts an attempt's outcome and its running time.
func (m *Metrics) JobFinished(queue, kind string, ran time.Duration, err error) {
	m.finished.WithLabelValues(queue, kind).Inc()
	if err != nil {
		m.failed.WithLabelValues(queue, kind).Inc()
	}
	m.runtime.WithLabelValues(queue).Observe(ran.Seconds())
}

// Instrument times requests by the ServeMux pattern that served them. It must wrap
// the mux itself: the mux records the pattern on the request it is given, so a
// middleware that passes a copy (WithContext) in between would see none.
func (m *Metrics) Instrument(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Observe(time.Since(start).Seconds())
	})
}

// Handler serves the metrics to those allowed: a direct connection from a network in
// TUSK_METRICS_ALLOW, or anyone presenting TUSK_METRICS_TOKEN as a bearer token. With
// neither configured, /metrics does not exist (404).
func (m *Metrics) Handler() http.Handler {
	serve := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !m.access.MetricsEnabled():
			http.NotFound(w, r)
		case m.allowed(r):
			w.Header().Set("Cache-Control", "no-store")
			serve.ServeHTTP(w, r)
		default:
			http.Error(w, "forbidden", http.StatusForbidden)
		}
	})
}

func (m *Metrics) allowed(r *http.Request) bool {
	if t := m.access.MetricsToken; t != "" {
		scheme, token, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if strings.EqualFold(scheme, "Bearer") && webform.SecretsEqual(strings.TrimSpace(token), t) {
			return true
		}
	}
	// A request that came through a proxy shows the proxy as its peer; the network
	// rule cannot tell who is behind it, so only the token admits such requests.
	if proxied(r) {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range m.access.MetricsAllow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func proxied(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	return false
}

// recorder keeps the status code, and still lets WebSocket upgrades hijack the
// connection and streaming responses flush.
type recorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Flush() { _ = r.FlushError() }

// FlushError flushes through wrappers that only Unwrap (server-sent events need it).
func (r *recorder) FlushError() error {
	return http.NewResponseController(r.ResponseWriter).Flush()
}

// SetWriteDeadline lets a streaming response bound each write.
func (r *recorder) SetWriteDeadline(t time.Time) error {
	return http.NewResponseController(r.ResponseWriter).SetWriteDeadline(t)
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	// The ResponseController reaches the connection through wrappers that only Unwrap.
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: the connection cannot be hijacked: %w", err)
	}
	r.status, r.wroteHeader = http.StatusSwitchingProtocols, true
	return conn, rw, nil
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// WatchStreams adds the number of open streaming connections, read from count at each
// scrape.
func (m *Metrics) WatchStreams(count func() int) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "tusk_streaming_connections", Help: "Streaming API connections (WebSocket and server-sent events) open in this process.",
	}, func() float64 { return float64(count()) }))
}

// MediaServed counts the bytes of media files this process sent.
func (m *Metrics) MediaServed(n int64) { m.mediaBytes.Add(float64(n)) }
