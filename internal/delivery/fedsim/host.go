// Package fedsim is a simulated fediverse on loopback: many fake remote servers, each
// with its own actor document, key, WebFinger and inbox, behaving well or badly (slow,
// dead, black hole, flaky, gone), and a benchmark that drives tusk's delivery through
// them and measures what dead servers cost. Tests use it at small sizes; "tusk bench
// fediverse" at large ones.
package fedsim

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// Behaviour is how a fake server treats what it is sent.
type Behaviour string

// The behaviours, as the issue names them.
const (
	Healthy   Behaviour = "healthy"    // answers in HealthyMin–HealthyMax
	Slow      Behaviour = "slow"       // answers in SlowMin–SlowMax
	Dead      Behaviour = "dead"       // connection refused
	BlackHole Behaviour = "black_hole" // accepts the connection and never answers
	Flaky     Behaviour = "flaky"      // 503 at random (FlakyRate), otherwise healthy
	Gone      Behaviour = "gone"       // 410 to every delivery
)

// Behaviours lists them in report order.
var Behaviours = []Behaviour{Healthy, Slow, Flaky, Gone, Dead, BlackHole}

// Timing sets the fake servers' answer times and failure rate.
type Timing struct {
	HealthyMin, HealthyMax time.Duration
	SlowMin, SlowMax       time.Duration
	FlakyRate              float64
}

// DefaultTiming is the issue's: healthy 5–50 ms, slow 1–10 s, flaky 30 % 503.
var DefaultTiming = Timing{HealthyMin: 5 * time.Millisecond, HealthyMax: 50 * time.Millisecond,
	SlowMin: time.Second, SlowMax: 10 * time.Second, FlakyRate: 0.3}

// Host is one fake remote server: one actor ("user") with its key, WebFinger and
// inboxes, answering as its behaviour says once armed.
type Host struct {
	Behaviour Behaviour
	Addr      string // host:port, the authority deliveries are grouped by

	index   int // the host's place in the fleet, which picks its key from the pool
	timing  Timing
	keys    *KeyPool
	verify  *httpsig.Verifier // nil: signatures are not checked
	ln      net.Listener
	srv     *http.Server
	armed   atomic.Bool
	held    sync.WaitGroup // a black hole's held connections
	closing chan struct{}

	requests atomic.Int64 // inbox requests that reached the handler
	badSigs  atomic.Int64
	accepted atomic.Bool // tusk accepted this actor's Follow
	mu       sync.Mutex
	received map[string]int       // activity id → accepted deliveries
	firstAt  map[string]time.Time // activity id → first accepted
}

// Received says how many times the host accepted activity id.
func (h *Host) Received(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.received[id]
}

// ReceivedAt is when the host first accepted activity id, and whether it did.
func (h *Host) ReceivedAt(id string) (time.Time, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	t, ok := h.firstAt[id]
	return t, ok
}

// Counts returns a copy of every activity id's accepted count.
func (h *Host) Counts() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]int, len(h.received))
	for k, v := range h.received {
		out[k] = v
	}
	return out
}

// Requests counts inbox requests that reached the host; BadSignatures those refused.
func (h *Host) Requests() int64      { return h.requests.Load() }
func (h *Host) BadSignatures() int64 { return h.badSigs.Load() }

// startHost listens on ip and serves every request as a healthy host until armed.
func startHost(ip string, index int, b Behaviour, t Timing, keys *KeyPool, verify *httpsig.Verifier) (*Host, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, fmt.Errorf("fedsim: listen on %s: %w", ip, err)
	}
	h := &Host{Behaviour: b, Addr: ln.Addr().String(), index: index, timing: t, keys: keys, verify: verify,
		closing: make(chan struct{}), received: map[string]int{}, firstAt: map[string]time.Time{}}
	h.ln = &gateListener{Listener: ln, h: h}
	h.srv = &http.Server{Handler: h.routes(), ReadHeaderTimeout: 10 * time.Second}
	go h.srv.Serve(h.ln)
	return h, nil
}

// arm switches the behaviour on. Before, every host answers as a healthy one, so that
// tusk can fetch its actor and deliver the Accept of its Follow. A dead host stops
// listening, so its port refuses connections; a black hole keeps accepting them but
// never answers, on new connections and on those kept alive from before.
func (h *Host) arm() {
	h.armed.Store(true)
	if h.Behaviour == Dead {
		h.srv.Close()
	}
}

// gateListener hands connections to the HTTP server, except a black hole's once armed:
// those it holds, unread, until the host closes.
type gateListener struct {
	net.Listener
	h *Host
}

func (l *gateListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || !l.h.swallows() {
			return c, err
		}
		l.h.held.Go(func() {
			<-l.h.closing
			c.Close()
		})
	}
}

func (h *Host) swallows() bool { return h.Behaviour == BlackHole && h.armed.Load() }

// Close stops the host.
func (h *Host) Close() {
	close(h.closing)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if h.srv.Shutdown(ctx) != nil {
		h.srv.Close()
	}
	h.held.Wait()
}
