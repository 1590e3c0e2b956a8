// Package fedsim is a simulated fediverse on loopback: many fake remote servers, each
// with its own actor document, key, WebFinger and inbox, behaving well or badly (slow,
// dead, black hole, flaky, gone), and a benchmark that drives tusk's delivery through
// them and measures what dead servers cost. Tests use it at small sizes; "tusk bench
// fediverse" at large ones.
package fedsim

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
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

// Host is one fake remote server.
type Host struct {
	Behaviour Behaviour
	Addr      string // host:port, the authority deliveries are grouped by

	timing  Timing
	verify  *httpsig.Verifier // nil: signatures are not checked
	ln      net.Listener
	srv     *http.Server
	held    sync.WaitGroup // a black hole's held connections
	closing chan struct{}

	requests atomic.Int64 // inbox requests that reached the handler
	badSigs  atomic.Int64
	mu       sync.Mutex
	received map[string]int       // activity id → accepted deliveries
	firstAt  map[string]time.Time // activity id → first accepted

	keyOnce sync.Once
	keyPEM  string
	keyErr  error
}

// Inbox is the host's shared inbox URL.
func (h *Host) Inbox() string { return "http://" + h.Addr + "/inbox" }

// ActorURL is the host's one actor.
func (h *Host) ActorURL() string { return "http://" + h.Addr + "/users/user" }

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

// startHost listens on ip and serves the behaviour.
func startHost(ip string, b Behaviour, t Timing, verify *httpsig.Verifier) (*Host, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return nil, fmt.Errorf("fedsim: listen on %s: %w", ip, err)
	}
	h := &Host{Behaviour: b, Addr: ln.Addr().String(), timing: t, verify: verify, ln: ln, closing: make(chan struct{}),
		received: map[string]int{}, firstAt: map[string]time.Time{}}
	switch b {
	case Dead:
		ln.Close() // the port is now refused: nothing listens on it
	case BlackHole:
		go h.swallow()
	default:
		h.srv = &http.Server{Handler: h.routes(), ReadHeaderTimeout: 10 * time.Second}
		go h.srv.Serve(ln)
	}
	return h, nil
}

// swallow accepts connections and holds them without reading or answering.
func (h *Host) swallow() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.held.Go(func() {
			<-h.closing
			c.Close()
		})
	}
}

// Close stops the host.
func (h *Host) Close() {
	close(h.closing)
	switch {
	case h.srv != nil:
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if h.srv.Shutdown(ctx) != nil {
			h.srv.Close()
		}
	case h.Behaviour != Dead:
		h.ln.Close()
	}
	h.held.Wait()
}

func (h *Host) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/webfinger", h.webfinger)
	mux.HandleFunc("GET /users/user", h.actor)
	mux.HandleFunc("POST /inbox", h.inbox)
	mux.HandleFunc("POST /users/user/inbox", h.inbox)
	return mux
}

func (h *Host) webfinger(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("resource") != "acct:user@"+h.Addr {
		http.Error(w, `{"error":"Record not found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	json.NewEncoder(w).Encode(map[string]any{"subject": "acct:user@" + h.Addr,
		"links": []map[string]string{{"rel": "self", "type": "application/activity+json", "href": h.ActorURL()}}})
}

// actor serves the actor document; its key is made on first request, since most
// benchmark runs never ask and a 2048-bit key takes tens of milliseconds.
func (h *Host) actor(w http.ResponseWriter, r *http.Request) {
	h.keyOnce.Do(func() {
		key, err := httpsig.GenerateRSAKey()
		if err != nil {
			h.keyErr = err
			return
		}
		h.keyPEM, h.keyErr = httpsig.EncodePublicKeyPEM(key.Public())
	})
	if h.keyErr != nil {
		http.Error(w, h.keyErr.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(map[string]any{
		"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       h.ActorURL(), "type": "Person", "preferredUsername": "user",
		"inbox": h.ActorURL() + "/inbox", "endpoints": map[string]string{"sharedInbox": h.Inbox()},
		"publicKey": map[string]string{"id": h.ActorURL() + "#main-key", "owner": h.ActorURL(), "publicKeyPem": h.keyPEM},
	})
}

// inbox answers a delivery as the behaviour says, counting accepted activities.
func (h *Host) inbox(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	if !h.pause(r.Context()) {
		return
	}
	switch {
	case h.Behaviour == Gone:
		http.Error(w, "", http.StatusGone)
		return
	case h.Behaviour == Flaky && rand.Float64() < h.timing.FlakyRate:
		http.Error(w, "", http.StatusServiceUnavailable)
		return
	}
	if h.verify != nil {
		if _, err := h.verify.Verify(r.Context(), r, body); err != nil {
			h.badSigs.Add(1)
			http.Error(w, `{"error":"bad signature"}`, http.StatusUnauthorized)
			return
		}
	}
	var activity struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(body, &activity) != nil || activity.ID == "" {
		http.Error(w, `{"error":"not an activity"}`, http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.received[activity.ID]++
	if _, seen := h.firstAt[activity.ID]; !seen {
		h.firstAt[activity.ID] = time.Now()
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// pause waits the behaviour's answer time; false when the client went away.
func (h *Host) pause(ctx context.Context) bool {
	lo, hi := h.timing.HealthyMin, h.timing.HealthyMax
	if h.Behaviour == Slow {
		lo, hi = h.timing.SlowMin, h.timing.SlowMax
	}
	d := lo
	if hi > lo {
		d += rand.N(hi - lo)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// KeyVerifier checks signatures against one public key, the local signer's: phase 1
// of the simulation has no local HTTP server to fetch it from.
func KeyVerifier(keyID string, pub crypto.PublicKey) *httpsig.Verifier {
	return &httpsig.Verifier{Scheme: "http", Keys: func(_ context.Context, id string, _ bool) (crypto.PublicKey, string, error) {
		if id != keyID {
			return nil, "", fmt.Errorf("fedsim: unknown key %q: %w", id, httpsig.ErrKeyNotFound)
		}
		return pub, "", nil
	}}
}

var errNoHosts = errors.New("fedsim: no hosts")
