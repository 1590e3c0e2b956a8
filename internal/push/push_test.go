package push

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
	"github.com/tuskhq/tusk/internal/webpush"
)

func TestVAPIDGeneratedOnceAndKept(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		first, err := New(st, config.Config{}, nil).PublicKey(ctx)
		if err != nil || first == "" {
			t.Fatalf("first key = %q, %v", first, err)
		}
		second, err := New(st, config.Config{}, nil).PublicKey(ctx)
		if err != nil || second != first {
			t.Errorf("key after restart = %q, %v; want the stored %q", second, err, first)
		}
		priv, pub, _ := webpush.GenerateKeys()
		cfg := config.Config{Push: config.PushConfig{VAPIDPrivateKey: priv, VAPIDPublicKey: pub}}
		if got, err := New(st, cfg, nil).PublicKey(ctx); err != nil || got != pub {
			t.Errorf("configured key = %q, %v; want %q", got, err, pub)
		}
	})
}

func TestClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) }))
	defer srv.Close()
	if _, err := newClient(false).Get(srv.URL); !errors.Is(err, errPrivateAddress) {
		t.Errorf("guarded client reached %s: err = %v", srv.URL, err)
	}
	res, err := newClient(true).Get(srv.URL)
	if err != nil {
		t.Fatalf("client allowed private networks: %v", err)
	}
	res.Body.Close()
}

func TestExcerpt(t *testing.T) {
	long := "<p>word "
	for i := 0; i < 60; i++ {
		long += "word "
	}
	for _, c := range []struct{ in, want string }{
		{"<p>Hello <b>there</b></p>", "Hello there"},
		{"<p>a</p><p>b</p>", "a b"},
	} {
		if got := excerpt(c.in); got != c.want {
			t.Errorf("excerpt(%q) = %q; want %q", c.in, got, c.want)
		}
	}
	if got := []rune(excerpt(long + "</p>")); len(got) > excerptLength+1 || got[len(got)-1] != '…' {
		t.Errorf("excerpt(long) = %q", string(got))
	}
}
