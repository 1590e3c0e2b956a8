package federation

import (
	"context"
	"crypto"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
)

// loopbackClient is the guarded client with loopback allowed, as tests run the servers.
func loopbackClient() *outbound.Client {
	return outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		Timeout: 5 * time.Second})
}

func testKey(t testing.TB) *LocalKey {
	t.Helper()
	priv, pub, err := newKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	key, err := parseLocalKey("https://example.test/users/alice#main-key", priv)
	if err != nil {
		t.Fatal(err)
	}
	if key.PublicPEM != pub {
		t.Fatal("public key changed in the round trip")
	}
	return key
}

// inbox is a loopback inbox that verifies each delivery's signature with the test key
// and answers with the status it is told to.
type inbox struct {
	mu       sync.Mutex
	status   int
	received [][]byte
	problems []string
}

func (in *inbox) serve(t *testing.T, key *LocalKey) *httptest.Server {
	pub, err := httpsig.DecodePublicKeyPEM(key.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	v := &httpsig.Verifier{Scheme: "http", Keys: func(context.Context, string, bool) (crypto.PublicKey, string, error) {
		return pub, "https://example.test/users/alice", nil
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		in.mu.Lock()
		defer in.mu.Unlock()
		res, err := v.Verify(r.Context(), r, body)
		switch {
		case err != nil:
			in.problems = append(in.problems, "verify: "+err.Error())
		case res.KeyID != key.ID || len(res.Components) != 4:
			in.problems = append(in.problems, "signed "+res.KeyID+" over "+joinComponents(res.Components))
		case r.Header.Get("Content-Type") != ContentType:
			in.problems = append(in.problems, "content type "+r.Header.Get("Content-Type"))
		}
		in.received = append(in.received, body)
		w.WriteHeader(in.status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func joinComponents(c []string) string {
	out := ""
	for _, s := range c {
		out += s + " "
	}
	return out
}

func TestDeliverSignsAndSortsAnswers(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	s := &Service{Client: loopbackClient()}
	ctx := context.Background()
	body := []byte(`{"type":"Create","id":"https://example.test/users/alice/statuses/1/activity"}`)
	for _, tc := range []struct {
		status    int
		ok, final bool
	}{
		{http.StatusAccepted, true, false},
		{http.StatusOK, true, false},
		{http.StatusGone, false, true},
		{http.StatusNotFound, false, true},
		{http.StatusUnauthorized, false, true},
		{http.StatusUnprocessableEntity, false, true},
		{http.StatusRequestTimeout, false, false},
		{http.StatusTooManyRequests, false, false},
		{http.StatusInternalServerError, false, false},
		{http.StatusServiceUnavailable, false, false},
	} {
		in := &inbox{status: tc.status}
		srv := in.serve(t, key)
		err := s.Deliver(ctx, srv.URL+"/inbox", body, key)
		if (err == nil) != tc.ok || (err != nil && permanent(err) != tc.final) {
			t.Errorf("Deliver answered %d = %v (permanent %v); want ok %v, permanent %v", tc.status, err, permanent(err), tc.ok, tc.final)
		}
		if len(in.problems) > 0 || len(in.received) != 1 || string(in.received[0]) != string(body) {
			t.Errorf("status %d: inbox saw %q, problems %v", tc.status, in.received, in.problems)
		}
	}
}

func TestDeliverRetriesWhatMayPass(t *testing.T) {
	t.Parallel()
	key := testKey(t)
	s := &Service{Client: loopbackClient()}
	ctx := context.Background()
	// Nobody listens: a refused connection is worth retrying.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = s.Deliver(ctx, "http://"+addr+"/inbox", []byte(`{}`), key)
	if err == nil || permanent(err) {
		t.Errorf("refused connection: %v (permanent %v); want a retryable error", err, permanent(err))
	}
	// An address the guard refuses never becomes deliverable.
	guarded := &Service{Client: outbound.New(outbound.Options{Timeout: time.Second})}
	err = guarded.Deliver(ctx, "http://127.0.0.1:9/inbox", []byte(`{}`), key)
	if !errors.Is(err, outbound.ErrForbiddenAddress) || !permanent(err) {
		t.Errorf("private address: %v; want a permanent ErrForbiddenAddress", err)
	}
}

func TestDeliveryAttemptsSpanTwoDays(t *testing.T) {
	t.Parallel()
	for _, base := range []time.Duration{15 * time.Second, time.Second, time.Minute, 0} {
		n := deliveryAttempts(base)
		b := base
		if b == 0 {
			b = 15 * time.Second
		}
		waited, delay := time.Duration(0), b
		for i := 1; i < n-1; i++ { // the waits before the last attempt but one
			waited += delay
			delay = min(2*delay, 24*time.Hour)
		}
		if waited >= deliveryRetryWindow || waited+delay < deliveryRetryWindow {
			t.Errorf("deliveryAttempts(%v) = %d: the last retry comes after %v; want just past %v", base, n, waited+delay, deliveryRetryWindow)
		}
	}
}
