// Package interop_test proves tusk against ActivityPub code it did not write: a Fedify
// server from npm (internal/fedtest/peer) runs on loopback beside a real tusk instance,
// and each test drives tusk through its client API and the peer through its control API.
package interop_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest/peer"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"golang.org/x/crypto/bcrypt"
)

type obj = map[string]any

// tusk is an instance served behind a recording proxy: other servers reach it at Base
// (its domain), the proxy notes each inbox POST and tusk's answer, and the test calls the
// client API directly.
type tusk struct {
	*servertest.Instance
	Base  string
	inbox *inboxRecorder
}

// startTusk runs an instance on engine that may reach loopback and works its queues.
func startTusk(t *testing.T, engine store.Engine) *tusk {
	t.Helper()
	front, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	domain := front.Addr().String()
	in := servertest.Start(t, engine, func(c *config.Config) {
		c.LocalDomain, c.WebDomain = domain, domain
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		c.Jobs.RetryBase = 200 * time.Millisecond
		c.Jobs.PollInterval = 50 * time.Millisecond
	})
	in.Accounts.PasswordCost = bcrypt.MinCost
	in.WorkJobs(t)

	rec := &inboxRecorder{}
	backend, err := url.Parse(in.URL)
	if err != nil {
		t.Fatalf("instance url: %v", err)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(backend)
			r.Out.Host = r.In.Host // tusk checks signatures over the Host the sender signed
		},
	}
	srv := httptest.NewUnstartedServer(rec.record(proxy))
	srv.Listener.Close()
	srv.Listener = front
	srv.Start()
	t.Cleanup(srv.Close)
	return &tusk{Instance: in, Base: "http://" + domain, inbox: rec}
}

// actor is the actor id of a local member, as other servers address it.
func (tk *tusk) actor(m *servertest.Member) string {
	return tk.Base + "/users/" + m.Account.Username
}

// inboxPost is one POST to one of tusk's inboxes and tusk's answer.
type inboxPost struct {
	Path, Type, Actor, Signature string
	Status                       int
	// Proof says the body carried an Object Integrity Proof (FEP-8b32), which Fedify
	// attaches; tusk relies on the HTTP signature and ignores it.
	Proof bool
}

// inboxRecorder keeps the inbox POSTs that passed the proxy.
type inboxRecorder struct {
	mu    sync.Mutex
	posts []inboxPost
}

// record wraps tusk's handler: it notes each inbox POST, its signature scheme and tusk's
// answer, and passes the request on unchanged.
func (rec *inboxRecorder) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "inbox") {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var act struct {
			Type, Actor string
			Proof       json.RawMessage
		}
		_ = json.Unmarshal(body, &act) // tusk judges the body; this is only for the record
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.posts = append(rec.posts, inboxPost{Path: r.URL.Path, Type: act.Type, Actor: act.Actor,
			Signature: signatureScheme(r.Header), Status: sw.status, Proof: act.Proof != nil})
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// from lists the POSTs whose activity an actor on host sent.
func (rec *inboxRecorder) from(host string) []inboxPost {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var out []inboxPost
	for _, p := range rec.posts {
		if u, err := url.Parse(p.Actor); err == nil && u.Host == host {
			out = append(out, p)
		}
	}
	return out
}

func signatureScheme(h http.Header) string {
	switch {
	case h.Get("Signature-Input") != "":
		return "rfc9421"
	case h.Get("Signature") != "":
		return "draft-cavage"
	}
	return "none"
}

// engines runs fn on SQLite and, when configured, on PostgreSQL, in parallel.
func engines(t *testing.T, fn func(t *testing.T, engine store.Engine)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			fn(t, engine)
		})
	}
}

// statusWithURI waits for the status with uri in a timeline (or notifications' statuses).
func statusWithURI(t *testing.T, m *servertest.Member, path, uri string) obj {
	t.Helper()
	var found obj
	servertest.Eventually(t, fmt.Sprintf("%s in %s", uri, path), func() (bool, string) {
		items := m.List(t, path)
		for _, it := range items {
			if st, ok := it["status"].(obj); ok {
				it = st
			}
			if it["uri"] == uri {
				found = it
				return true, ""
			}
		}
		return false, fmt.Sprintf("%d items", len(items))
	})
	return found
}

// waitActivity waits until the peer's inboxes accepted an activity that matches.
func waitActivity(t *testing.T, p *peer.Peer, what string, match func(peer.Activity) bool) peer.Activity {
	t.Helper()
	a, err := p.WaitFor(match, 30*time.Second)
	if err != nil {
		t.Fatalf("peer never received %s: %v", what, err)
	}
	return a
}

// rawObject decodes the embedded object of an activity as the sender wrote it.
func rawObject(t *testing.T, a peer.Activity) obj {
	t.Helper()
	var act struct {
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(a.Raw, &act); err != nil {
		t.Fatalf("activity %s: %v", a.ID, err)
	}
	var o obj
	if err := json.Unmarshal(act.Object, &o); err != nil {
		t.Fatalf("object of %s is not embedded: %s", a.ID, act.Object)
	}
	return o
}

// addressed lists an activity's or object's to and cc, whether each is a string or a list.
func addressed(o obj, key string) []string {
	switch v := o[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// isPublic reports whether an audience list names the public collection in any spelling.
func isPublic(audience []string) bool {
	return slices.ContainsFunc(audience, func(s string) bool {
		return s == "https://www.w3.org/ns/activitystreams#Public" || s == "as:Public" || s == "Public"
	})
}

// timeout bounds every wait for the other server.
const timeout = 30 * time.Second

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
