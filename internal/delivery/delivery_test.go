package delivery_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestEnqueueValidatesAndDeduplicates(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		if res := enqueue(t, st, 0, 2, "https://a.example/inbox", "https://B.example:443/inbox"); res.Queued != 4 {
			t.Errorf("first enqueue: %+v; want 4 queued", res)
		}
		if res := enqueue(t, st, 0, 3, "https://a.example/inbox"); res.Queued != 1 || res.Duplicate != 2 {
			t.Errorf("second enqueue: %+v; want 1 queued, 2 duplicates", res)
		}
		if h, err := st.DeliveryHost(ctx, "b.example"); err != nil || h.Queued != 2 {
			t.Errorf("b.example: %+v, %v; want 2 queued under the normalized name", h, err)
		}
		for _, bad := range []delivery.Delivery{
			{ActivityID: "", Inbox: "https://a.example/inbox", Body: []byte("{}")},
			{ActivityID: "x", Inbox: "javascript:alert(1)", Body: []byte("{}")},
			{ActivityID: "x", Inbox: "https://a.example/inbox"},
		} {
			err := st.Tx(ctx, func(q store.Q) error { _, err := delivery.Enqueue(ctx, q, bad); return err })
			if !errors.Is(err, delivery.ErrBadDelivery) {
				t.Errorf("Enqueue(%+v) = %v; want ErrBadDelivery", bad, err)
			}
		}
		// Enqueued in a transaction that rolls back: nothing is queued.
		id, body := activity(99)
		_ = st.Tx(ctx, func(q store.Q) error {
			delivery.Enqueue(ctx, q, delivery.Delivery{ActivityID: id, Inbox: "https://c.example/inbox", Body: body})
			return errors.New("the action failed")
		})
		if n, _ := st.DeliveryBacklog(ctx); n != 5 {
			t.Errorf("backlog = %d after a rolled-back enqueue; want 5", n)
		}
	})
}

// TestDeadHostRecovers: a host that refuses connections opens its breaker; while it is
// open nothing is attempted; when the host comes back the probe succeeds and the whole
// backlog drains, each activity once.
func TestDeadHostRecovers(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // dead: connection refused
		var mu sync.Mutex
		attempts := 0
		svc := &delivery.Service{Store: st, Send: sender(t, time.Second), Policy: fastPolicy(),
			Observe: func(delivery.Attempt) { mu.Lock(); attempts++; mu.Unlock() }}
		svc.Policy.CoolOff, svc.Policy.MaxCoolOff = 300*time.Millisecond, 300*time.Millisecond
		enqueue(t, st, 0, 20, "http://"+addr+"/inbox")
		run(t, svc)
		eventually(t, "the breaker opens", func() bool { return host(t, svc, addr).Breaker != store.BreakerClosed })
		h := host(t, svc, addr)
		if h.State != delivery.StateDegraded || h.Queued != 20 || h.LastError == "" {
			t.Errorf("dead host: state %s, queued %d, last error %q; want degraded, 20, an error", h.State, h.Queued, h.LastError)
		}
		mu.Lock()
		tried := attempts
		mu.Unlock()
		if tried > 5 {
			t.Errorf("%d attempts on a dead host before its breaker opened; want at most a few (threshold 2, one at a time)", tried)
		}
		ln2, err := net.Listen("tcp", addr)
		if err != nil {
			t.Skipf("cannot listen on %s again: %v", addr, err)
		}
		in := serveInbox(t, ln2, signingKey(t))
		eventually(t, "the backlog drains", func() bool { return in.count() >= 20 })
		eventually(t, "the host is healthy", func() bool { h := host(t, svc, addr); return h.State == delivery.StateHealthy && h.Queued == 0 })
		for n := range 20 {
			id, _ := activity(n)
			if got := in.times(id); got != 1 {
				t.Errorf("activity %d delivered %d times; want 1", n, got)
			}
		}
	})
}

// TestFairness: a host with a large backlog does not delay one with a few: the small
// host is served in turn, long before the large one's queue is through.
func TestFairness(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		big, small := newInbox(t, signingKey(t)), newInbox(t, signingKey(t))
		big.set(0, 5*time.Millisecond)
		enqueue(t, st, 0, 300, big.URL())
		enqueue(t, st, 1000, 1010, small.URL())
		svc := &delivery.Service{Store: st, Send: sender(t, 5*time.Second), Policy: fastPolicy()}
		run(t, svc)
		eventually(t, "the small host has its 10", func() bool { return small.count() == 10 })
		if n := big.count(); n > 150 {
			t.Errorf("the big host got %d of 300 before the small one got its 10; want the small one served in turn", n)
		}
		eventually(t, "the big host has its 300", func() bool { return big.count() == 300 })
	})
}

// TestLateHostJoinsTheTurns: a host whose deliveries arrive while a large backlog keeps
// every worker busy gets its turns at once, not after the backlog.
func TestLateHostJoinsTheTurns(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		var busy []*inbox
		for i := range 8 {
			in := newInbox(t, signingKey(t))
			in.set(0, 5*time.Millisecond)
			enqueue(t, st, i*100, i*100+40, in.URL())
			busy = append(busy, in)
		}
		served := func() int {
			n := 0
			for _, in := range busy {
				n += in.count()
			}
			return n
		}
		p := fastPolicy()
		p.Workers = 4 // fewer than the busy hosts: a worker is always wanted
		svc := &delivery.Service{Store: st, Send: sender(t, 5*time.Second), Policy: p}
		run(t, svc)
		eventually(t, "the backlog is being served", func() bool { return served() > 0 })
		late := newInbox(t, signingKey(t))
		enqueue(t, st, 1000, 1005, late.URL())
		eventually(t, "the late host has its 5", func() bool { return late.count() == 5 })
		if n := served(); n > 250 {
			t.Errorf("the busy hosts got %d of 320 before the late one got its 5; want the late one served in turn", n)
		}
	})
}

// TestBadHostsFailAlone: redirect loops, gigantic answers, invalid TLS, garbage and 5xx
// count against their own hosts only; a healthy host beside them gets everything.
func TestBadHostsFailAlone(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		good := newInbox(t, signingKey(t))
		loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path, http.StatusTemporaryRedirect)
		}))
		huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusAccepted)
			w.Write([]byte(strings.Repeat("x", 4<<20)))
		}))
		badTLS := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		badTLS.TLS = &tls.Config{}
		badTLS.Config.ErrorLog = log.New(io.Discard, "", 0)
		badTLS.StartTLS() // a certificate no one trusts
		broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}))
		garbage := garbageServer(t)
		for _, s := range []*httptest.Server{loop, huge, badTLS, broken} {
			t.Cleanup(s.Close)
		}
		bad := []string{loop.URL + "/inbox", huge.URL + "/inbox", badTLS.URL + "/inbox", broken.URL + "/inbox", "http://" + garbage + "/inbox"}
		enqueue(t, st, 0, 5, append([]string{good.URL()}, bad...)...)
		svc := &delivery.Service{Store: st, Send: sender(t, 2*time.Second), Policy: fastPolicy()}
		run(t, svc)
		eventually(t, "the good host has all 5", func() bool { return host(t, svc, good.Host()).Successes == 5 })
		for _, u := range bad {
			name, _ := delivery.HostOf(u)
			eventually(t, name+" fails", func() bool { return host(t, svc, name).Failures > 0 })
			if h := host(t, svc, name); h.Successes != 0 || h.LastError == "" {
				t.Errorf("%s: %d successes, last error %q; want 0 and an error", u, h.Successes, h.LastError)
			}
		}
		if h := host(t, svc, good.Host()); h.Failures != 0 || h.Successes != 5 || h.State != delivery.StateHealthy {
			t.Errorf("good host: %d failures, %d successes, %s; want 0, 5, healthy", h.Failures, h.Successes, h.State)
		}
	})
}

// garbageServer answers every connection with bytes that are not HTTP.
func garbageServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("\x00\x01garbage\r\n\r\n\xff"))
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// TestGoneGivesUp: 410 and 404 drop the delivery without hurting the host's health.
func TestGoneGivesUp(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		gone, missing := newInbox(t, signingKey(t)), newInbox(t, signingKey(t))
		gone.set(http.StatusGone, 0)
		missing.set(http.StatusNotFound, 0)
		enqueue(t, st, 0, 3, gone.URL(), missing.URL())
		svc := &delivery.Service{Store: st, Send: sender(t, time.Second), Policy: fastPolicy()}
		run(t, svc)
		for _, in := range []*inbox{gone, missing} {
			eventually(t, in.Host()+" empties", func() bool { return host(t, svc, in.Host()).Queued == 0 })
			if h := host(t, svc, in.Host()); h.GaveUp != 3 || h.Failures != 0 || h.State != delivery.StateHealthy {
				t.Errorf("%s: gave up %d, failures %d, %s; want 3, 0, healthy", in.Host(), h.GaveUp, h.Failures, h.State)
			}
		}
	})
}

// TestHostThatWentDarkGetsOneAttempt: a host that answered quickly before, and now holds
// every request unanswered (a black hole), gets one attempt at a time, not
// HostConcurrency, until it answers again: many such hosts at once would otherwise
// fill every worker for a whole time-out.
func TestHostThatWentDarkGetsOneAttempt(t *testing.T) {
	t.Parallel()
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		var dark atomic.Bool
		var arrived atomic.Int64
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			arrived.Add(1)
			if dark.Load() {
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			w.WriteHeader(http.StatusAccepted)
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) }) // before Close, which waits for the held requests
		darkInbox := srv.URL + "/inbox"
		name, _ := delivery.HostOf(darkInbox)
		enqueue(t, st, 0, 1, darkInbox)
		before := &delivery.Service{Store: st, Send: sender(t, 30*time.Second), Policy: fastPolicy()}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- before.Run(ctx) }()
		eventually(t, "the host answered once", func() bool { return host(t, before, name).Successes == 1 })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}

		dark.Store(true)
		enqueue(t, st, 1, 9, darkInbox)
		good := newInbox(t, signingKey(t))
		enqueue(t, st, 100, 130, good.URL())
		svc := &delivery.Service{Store: st, Send: sender(t, 30*time.Second), Policy: fastPolicy()}
		run(t, svc)
		eventually(t, "the good host has its 30", func() bool { return good.count() == 30 })
		if n := arrived.Load() - 1; n != 1 {
			t.Errorf("the dark host was sent %d attempts while the good host got its 30; want 1 at a time", n)
		}
	})
}
