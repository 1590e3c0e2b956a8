package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// TestPreviewCardThroughClient posts a link with a third-party client and reads the
// preview card the instance fetched from a page on loopback, as an app shows it.
func TestPreviewCardThroughClient(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><meta property="og:title" content="Elephants remember">
			<meta property="og:description" content="A long read."><meta property="og:image" content="/e.jpg">
			<meta property="og:site_name" content="Zoo News"></head></html>`)
	}))
	t.Cleanup(page.Close)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Registrations = config.RegistrationsOpen
				c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			})
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			checkCard(t, in, page.URL+"/story")
		})
	}
}

func checkCard(t *testing.T, in *servertest.Instance, link string) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	signUp(t, in, app, "reader")
	c := logIn(t, in, app, "reader")
	st, err := c.PostStatus(ctx, &mastodon.Toot{Status: "worth reading: " + link})
	if err != nil {
		t.Fatalf("PostStatus: %v", err)
	}
	if st.Card != nil {
		t.Errorf("card at posting = %+v; want none until fetched", st.Card)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		got, err := c.GetStatus(ctx, st.ID)
		if err != nil {
			t.Fatalf("GetStatus: %v", err)
		}
		if card := got.Card; card != nil {
			if card.URL != link || card.Title != "Elephants remember" || card.Description != "A long read." ||
				card.ProviderName != "Zoo News" || card.Type != "link" || card.Image == "" {
				t.Errorf("card = %+v", card)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no card appeared")
}
