package delivery_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

const testKeyID = "https://tusk.test/users/a#main-key"

var (
	keyOnce sync.Once
	testKey *rsa.PrivateKey
)

func signingKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	keyOnce.Do(func() {
		k, err := httpsig.GenerateRSAKey()
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// sender signs with the test key and posts through the guarded client, loopback allowed.
func sender(t *testing.T, timeout time.Duration) delivery.SendFunc {
	key := signingKey(t)
	client := outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		ConnectTimeout: timeout, Timeout: timeout})
	s := &delivery.HTTPSender{Client: client, Keys: func(context.Context, int64) (string, *rsa.PrivateKey, error) {
		return testKeyID, key, nil
	}}
	return s.Send
}

// fastPolicy retries and probes within the test's patience.
func fastPolicy() delivery.Policy {
	return delivery.Policy{Workers: 16, BreakerThreshold: 2, CoolOff: 100 * time.Millisecond, MaxCoolOff: 200 * time.Millisecond,
		RetryBase: 20 * time.Millisecond, MaxRetryDelay: 50 * time.Millisecond, Poll: 10 * time.Millisecond}
}

// run starts the service until the test ends.
func run(t *testing.T, svc *delivery.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := svc.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// inbox is a fake remote inbox that checks signatures and counts activities.
type inbox struct {
	mu       sync.Mutex
	got      map[string]int
	order    []string
	status   int           // answer; 202 when 0
	delay    time.Duration // before answering
	srv      *http.Server
	ln       net.Listener
	verifier *httpsig.Verifier
}

func newInbox(t *testing.T, key *rsa.PrivateKey) *inbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveInbox(t, ln, key)
}

func serveInbox(t *testing.T, ln net.Listener, key *rsa.PrivateKey) *inbox {
	in := &inbox{got: map[string]int{}, ln: ln, verifier: &httpsig.Verifier{Scheme: "http",
		Keys: func(context.Context, string, bool) (crypto.PublicKey, string, error) { return &key.PublicKey, "", nil }}}
	in.srv = &http.Server{Handler: in}
	go in.srv.Serve(ln)
	t.Cleanup(func() { in.srv.Close() })
	return in
}

func (in *inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	in.mu.Lock()
	status, delay := in.status, in.delay
	in.mu.Unlock()
	time.Sleep(delay)
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	if _, err := in.verifier.Verify(r.Context(), r, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var a struct{ ID string }
	json.Unmarshal(body, &a)
	in.mu.Lock()
	in.got[a.ID]++
	in.order = append(in.order, a.ID)
	in.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func (in *inbox) URL() string  { return "http://" + in.ln.Addr().String() + "/inbox" }
func (in *inbox) Host() string { return in.ln.Addr().String() }

func (in *inbox) count() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.order)
}

func (in *inbox) set(status int, delay time.Duration) {
	in.mu.Lock()
	in.status, in.delay = status, delay
	in.mu.Unlock()
}

// activity returns the id and body of the nth test activity.
func activity(n int) (string, []byte) {
	id := fmt.Sprintf("https://tusk.test/activities/%d", n)
	return id, []byte(fmt.Sprintf(`{"id":%q,"type":"Create","actor":"https://tusk.test/users/a"}`, id))
}

// enqueue queues activities from..to-1 to each inbox URL.
func enqueue(t *testing.T, st *store.Store, from, to int, inboxes ...string) delivery.Queued {
	t.Helper()
	var ds []delivery.Delivery
	for n := from; n < to; n++ {
		id, body := activity(n)
		for _, u := range inboxes {
			ds = append(ds, delivery.Delivery{ActivityID: id, Inbox: u, Body: body, SignerAccountID: 1})
		}
	}
	var res delivery.Queued
	err := st.Tx(context.Background(), func(q store.Q) (err error) {
		res, err = delivery.Enqueue(context.Background(), q, ds...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// eventually polls cond until it holds, failing after a generous limit: the tests check
// what happens, not how fast.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func host(t *testing.T, svc *delivery.Service, name string) delivery.HostInfo {
	t.Helper()
	h, err := svc.Host(context.Background(), name)
	if err != nil {
		t.Fatalf("Host(%s): %v", name, err)
	}
	return h
}

func (in *inbox) times(id string) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.got[id]
}
