package delivery

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
)

const senderKeyID = "https://tusk.test/users/alice#main-key"

func loopbackSender(t *testing.T, key *rsa.PrivateKey) *HTTPSender {
	t.Helper()
	client := outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		Timeout: 5 * time.Second})
	return &HTTPSender{Client: client, Keys: func(_ context.Context, signer int64) (string, *rsa.PrivateKey, error) {
		if signer == 404 {
			return "", nil, store.ErrNotFound
		}
		return senderKeyID, key, nil
	}}
}

// verifyingInbox answers status to each POST, after checking its signature covers
// (request-target) host date digest with the sender's key, and reports what it saw.
func verifyingInbox(t *testing.T, key *rsa.PrivateKey, status int, seen chan<- string) string {
	t.Helper()
	v := &httpsig.Verifier{Scheme: "http", Keys: func(context.Context, string, bool) (crypto.PublicKey, string, error) {
		return &key.PublicKey, "https://tusk.test/users/alice", nil
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, err := v.Verify(r.Context(), r, body)
		switch {
		case err != nil:
			seen <- "verify: " + err.Error()
		case res.KeyID != senderKeyID || strings.Join(res.Components, " ") != "(request-target) host date digest":
			seen <- "signed " + res.KeyID + " over " + strings.Join(res.Components, " ")
		case r.Header.Get("Content-Type") != ContentType:
			seen <- "content type " + r.Header.Get("Content-Type")
		default:
			seen <- string(body)
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/inbox"
}

func TestSendSignsAndSortsAnswers(t *testing.T) {
	t.Parallel()
	key := testRSAKey(t)
	s := loopbackSender(t, key)
	ctx := context.Background()
	body := `{"type":"Create","id":"https://tusk.test/users/alice/statuses/1/activity"}`
	for _, tc := range []struct {
		status int
		want   outcome
	}{
		{http.StatusAccepted, delivered},
		{http.StatusOK, delivered},
		{http.StatusGone, refused},
		{http.StatusNotFound, refused},
		{http.StatusUnauthorized, refused},
		{http.StatusUnprocessableEntity, refused},
		{http.StatusRequestTimeout, failed},
		{http.StatusTooManyRequests, failed},
		{http.StatusInternalServerError, failed},
		{http.StatusServiceUnavailable, failed},
	} {
		seen := make(chan string, 1)
		inbox := verifyingInbox(t, key, tc.status, seen)
		err := s.Send(ctx, inbox, []byte(body), 1)
		if got := classify(ctx, err); got != tc.want {
			t.Errorf("answer %d: Send = %v, classified %v; want %v", tc.status, err, got, tc.want)
		}
		if got := <-seen; got != body {
			t.Errorf("answer %d: the inbox saw %q; want the signed body", tc.status, got)
		}
	}
}

func TestSendRetriesWhatMayPass(t *testing.T) {
	t.Parallel()
	key := testRSAKey(t)
	s := loopbackSender(t, key)
	ctx := context.Background()
	// Nobody listens: a refused connection is the host's failure, worth retrying.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if err := s.Send(ctx, "http://"+addr+"/inbox", []byte(`{}`), 1); classify(ctx, err) != failed {
		t.Errorf("refused connection: %v classified %v; want failed", err, classify(ctx, err))
	}
	// An address the guard refuses never becomes deliverable, and is not the host's fault.
	guarded := &HTTPSender{Client: outbound.New(outbound.Options{Timeout: time.Second}), Keys: s.Keys}
	err = guarded.Send(ctx, "http://127.0.0.1:9/inbox", []byte(`{}`), 1)
	if !errors.Is(err, outbound.ErrForbiddenAddress) || classify(ctx, err) != dropped {
		t.Errorf("private address: %v classified %v; want ErrForbiddenAddress, dropped", err, classify(ctx, err))
	}
	// A signer deleted meanwhile: nothing is sent, the delivery is given up.
	seen := make(chan string, 1)
	inbox := verifyingInbox(t, key, http.StatusAccepted, seen)
	if err := s.Send(ctx, inbox, []byte(`{}`), 404); classify(ctx, err) != dropped || len(seen) != 0 {
		t.Errorf("gone signer: %v classified %v, %d posted; want dropped, none", err, classify(ctx, err), len(seen))
	}
}

func TestRetriesSpanTwoDays(t *testing.T) {
	t.Parallel()
	p := Policy{}.Defaults()
	if p.GiveUpAfter != 48*time.Hour {
		t.Fatalf("GiveUpAfter = %v; want Mastodon's two days", p.GiveUpAfter)
	}
	// With the least jitter, the retries of a delivery failing every time still come
	// often enough to keep trying until it is given up: a few dozen attempts, not thousands.
	waited, attempts := time.Duration(0), 0
	for waited < p.GiveUpAfter {
		attempts++
		waited += time.Duration(float64(min(p.RetryBase<<min(attempts-1, 30), p.MaxRetryDelay)) * 0.75)
	}
	if attempts < 8 || attempts > 40 {
		t.Errorf("%d attempts span %v; want between 8 and 40", attempts, p.GiveUpAfter)
	}
	for n := 1; n < attempts; n++ {
		if d := p.retryDelay(n); d > p.MaxRetryDelay*5/4 || d < p.RetryBase*3/4 {
			t.Errorf("retryDelay(%d) = %v; outside [%v, %v]", n, d, p.RetryBase*3/4, p.MaxRetryDelay*5/4)
		}
	}
}

func testRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := httpsig.GenerateRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
