package preview

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/tuskhq/tusk/internal/outbound"
)

func TestFetch(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/latin1":
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			w.Write([]byte("<head><title>Caf\xe9</title></head>"))
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"title":"not a page"}`))
		case "/untitled":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<head><meta name=description content=x></head>"))
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		case "/broken":
			http.Error(w, "oops", http.StatusBadGateway)
		case "/moved":
			http.Redirect(w, r, "/latin1", http.StatusMovedPermanently)
		}
	}))
	t.Cleanup(srv.Close)
	client := outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}})
	card, err := Fetch(context.Background(), client, srv.URL+"/moved")
	if err != nil || card.Title != "Café" || card.URL != srv.URL+"/moved" || card.FetchedAt.IsZero() {
		t.Errorf("Fetch(/moved) = %+v, %v; want the Latin-1 title under the linked URL", card, err)
	}
	for _, path := range []string{"/json", "/untitled", "/gone"} {
		if _, err := Fetch(context.Background(), client, srv.URL+path); !errors.Is(err, ErrNoCard) || !Final(err) {
			t.Errorf("Fetch(%s) = %v; want a final ErrNoCard", path, err)
		}
	}
	if _, err := Fetch(context.Background(), client, srv.URL+"/broken"); err == nil || Final(err) {
		t.Errorf("Fetch(/broken) = %v; want an error worth retrying", err)
	}
	if _, err := Fetch(context.Background(), outbound.New(outbound.Options{}), srv.URL+"/latin1"); !errors.Is(err, outbound.ErrForbiddenAddress) || !Final(err) {
		t.Errorf("Fetch from loopback without the allow-list = %v; want a final refusal", err)
	}
}
