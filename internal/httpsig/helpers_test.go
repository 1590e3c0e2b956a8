package httpsig

import (
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two RSA keys shared by the tests: generating 2048-bit keys is slow.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	a, errA := GenerateRSAKey()
	b, errB := GenerateRSAKey()
	if err := errors.Join(errA, errB); err != nil {
		panic(err)
	}
	return a, b
})

const (
	testKeyID = "https://remote.example/users/alice#main-key"
	testOwner = "https://remote.example/users/alice"
)

// testNow is the clock of every test that signs its own requests.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// staticKeys answers every key id with one key and counts the calls.
type staticKeys struct {
	mu    sync.Mutex
	keys  []crypto.PublicKey // keys[0] first, keys[1] on refresh
	calls []bool             // the refresh flag of each call
}

func (s *staticKeys) lookup(_ context.Context, keyID string, refresh bool) (crypto.PublicKey, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, refresh)
	if keyID != testKeyID {
		return nil, "", fmt.Errorf("lookup %q: %w", keyID, ErrKeyNotFound)
	}
	i := 0
	if refresh && len(s.keys) > 1 {
		i = 1
	}
	return s.keys[i], testOwner, nil
}

func newVerifier(keys ...crypto.PublicKey) (*Verifier, *staticKeys) {
	sk := &staticKeys{keys: keys}
	return &Verifier{Keys: sk.lookup, Now: func() time.Time { return testNow }}, sk
}

// inboundPost is how a POST to our inbox looks to our handler once signed
// by a remote client: a server-side request with Host set and no TLS.
func inboundPost(t testing.TB, body string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/users/bob/inbox", strings.NewReader(body))
	r.Host = "local.example"
	r.Header.Set("Content-Type", "application/activity+json")
	return r
}

func inboundGet(t testing.TB) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/users/bob?page=true", nil)
	r.Host = "local.example"
	r.Header.Set("Accept", "application/activity+json")
	return r
}

// readPEMBlocks returns every PEM block of a testdata file, re-encoded.
func readPEMBlocks(t testing.TB, name string) []string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return blocks
		}
		blocks = append(blocks, string(pem.EncodeToMemory(b)))
	}
}
