package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webpush/webpushtest"
)

// TestPushSubscriptionWithClientLibrary subscribes to Web Push through go-mastodon, as
// an app would (its subscriptions ask for the legacy encoding), and decrypts the push a
// mention brings at a loopback push service.
func TestPushSubscriptionWithClientLibrary(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			pushes := make(chan delivery, 10)
			ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				pushes <- delivery{r.Header.Clone(), body}
				w.WriteHeader(http.StatusCreated)
			}))
			t.Cleanup(ps.Close)
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Registrations = config.RegistrationsOpen
				c.Push.PrivateNetworks = true
			})
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			runPushScenario(t, in, ps.URL, pushes)
		})
	}
}

type delivery struct {
	header http.Header
	body   []byte
}

func runPushScenario(t *testing.T, in *servertest.Instance, endpoint string, pushes chan delivery) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e push", Scopes: "read write follow push"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	signUp(t, in, app, "alice")
	signUp(t, in, app, "bob")
	token := postForm(t, in, "", "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "username": {"alice@example.com"}, "password": {password}, "scope": {"read write follow push"}})
	alice := mastodon.NewClient(&mastodon.Config{Server: in.URL, AccessToken: token})
	bob := logIn(t, in, app, "bob")

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	yes, no := mastodon.Sbool(true), mastodon.Sbool(false)
	sub, err := alice.AddPushSubscription(ctx, endpoint+"/alice", key.PublicKey, auth, mastodon.PushAlerts{Mention: &yes, Favourite: &yes, Follow: &no})
	if err != nil || sub.ServerKey == "" || sub.Alerts == nil || sub.Alerts.Mention == nil || !*sub.Alerts.Mention {
		t.Fatalf("AddPushSubscription = %+v, %v", sub, err)
	}
	got, err := alice.GetPushSubscription(ctx)
	if err != nil || got.ID != sub.ID || got.Endpoint != endpoint+"/alice" {
		t.Fatalf("GetPushSubscription = %+v, %v; want %s", got, err, sub.ID)
	}
	upd, err := alice.UpdatePushSubscription(ctx, &mastodon.PushAlerts{Mention: &yes, Follow: &yes})
	if err != nil || !bool(*upd.Alerts.Follow) || bool(*upd.Alerts.Favourite) {
		t.Fatalf("UpdatePushSubscription = %+v, %v; want follow on, favourite off", upd.Alerts, err)
	}

	if _, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "@alice push me", Visibility: "public"}); err != nil {
		t.Fatal(err)
	}
	var d delivery
	select {
	case d = <-pushes:
	case <-time.After(20 * time.Second):
		t.Fatal("no push arrived")
	}
	ecdhKey, err := key.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := webpushtest.ReceiverFor(ecdhKey, auth).Open(d.header, d.body, sub.ServerKey, endpoint)
	if err != nil {
		t.Fatalf("open push: %v", err)
	}
	var p struct {
		Type  string `json:"notification_type"`
		Title string `json:"title"`
	}
	if json.Unmarshal(plain, &p) != nil || p.Type != "mention" || p.Title != "bob mentioned you" {
		t.Errorf("push payload %s", plain)
	}

	if err := alice.RemovePushSubscription(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.GetPushSubscription(ctx); err == nil {
		t.Error("GetPushSubscription after RemovePushSubscription succeeded")
	}
}
