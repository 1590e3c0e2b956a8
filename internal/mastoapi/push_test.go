package mastoapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webpush/webpushtest"
)

// subscribeBody is a POST /api/v1/push/subscription body for receiver r.
func subscribeBody(r *webpushtest.Receiver, endpoint string, standard bool, alerts jsonObj, policy string) jsonObj {
	return jsonObj{
		"subscription": jsonObj{"endpoint": endpoint, "standard": standard, "keys": jsonObj{"p256dh": r.P256DH(), "auth": r.Auth()}},
		"data":         jsonObj{"alerts": alerts, "policy": policy},
	}
}

func TestPushSubscriptionCRUD(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		rcv := webpushtest.NewReceiver()
		sub := obj(t, alice.Do(t, "POST", "/api/v1/push/subscription", subscribeBody(rcv, "https://push.example/a", true,
			jsonObj{"mention": true, "favourite": "true", "admin.sign_up": true}, "followed")), 200, "subscribe")
		conforms(t, "WebPushSubscription", sub)
		alerts := sub["alerts"].(map[string]any)
		if sub["endpoint"] != "https://push.example/a" || sub["standard"] != true || sub["policy"] != "followed" ||
			alerts["mention"] != true || alerts["favourite"] != true || alerts["follow"] != false || alerts["admin.sign_up"] != false {
			t.Errorf("subscription = %v", sub)
		}
		inst := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance")
		key := field(inst, "configuration", "vapid", "public_key")
		if key == "" || key != sub["server_key"] {
			t.Errorf("instance VAPID key %v; subscription server_key %v", key, sub["server_key"])
		}
		app := obj(t, in.Do(t, "", "POST", "/api/v1/apps", jsonObj{"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}), 200, "app")
		if app["vapid_key"] != key {
			t.Errorf("app vapid_key = %v; want %v", app["vapid_key"], key)
		}

		got := obj(t, alice.Do(t, "GET", "/api/v1/push/subscription", nil), 200, "GET subscription")
		if got["id"] != sub["id"] || got["endpoint"] != sub["endpoint"] {
			t.Errorf("GET = %v; want %v", got, sub)
		}
		upd := obj(t, alice.Do(t, "PUT", "/api/v1/push/subscription", jsonObj{"data": jsonObj{"alerts": jsonObj{"follow": true}}}), 200, "PUT")
		ua := upd["alerts"].(map[string]any)
		if ua["follow"] != true || ua["mention"] != false || upd["policy"] != "all" || upd["id"] != sub["id"] {
			t.Errorf("after PUT = %v; want only follow, policy all (the data is replaced)", upd)
		}
		again := obj(t, alice.Do(t, "POST", "/api/v1/push/subscription", subscribeBody(rcv, "https://push.example/b", false, jsonObj{}, "")), 200, "resubscribe")
		if again["id"] == sub["id"] || again["endpoint"] != "https://push.example/b" || again["standard"] != false || again["policy"] != "all" {
			t.Errorf("resubscribe = %v; want a new subscription replacing the old", again)
		}

		// Each token has its own subscription: another token of alice's sees none.
		other := in.Token(t, &alice.User.ID, "push")
		want(t, in.Do(t, other, "GET", "/api/v1/push/subscription", nil), 404, "GET with another token")
		want(t, in.Do(t, other, "PUT", "/api/v1/push/subscription", jsonObj{"data": jsonObj{"alerts": jsonObj{"follow": true}}}), 404, "PUT with another token")

		obj(t, alice.Do(t, "DELETE", "/api/v1/push/subscription", nil), 200, "DELETE")
		want(t, alice.Do(t, "GET", "/api/v1/push/subscription", nil), 404, "GET after DELETE")
		obj(t, alice.Do(t, "DELETE", "/api/v1/push/subscription", nil), 200, "DELETE twice")
	})
}

func TestPushSubscriptionBadInput(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		rcv := webpushtest.NewReceiver()
		good := func() jsonObj {
			return subscribeBody(rcv, "https://push.example/a", true, jsonObj{"mention": true}, "all")
		}
		cases := map[string]func(b jsonObj){
			"no endpoint":  func(b jsonObj) { b["subscription"].(jsonObj)["endpoint"] = "" },
			"ftp endpoint": func(b jsonObj) { b["subscription"].(jsonObj)["endpoint"] = "ftp://push.example/a" },
			"long endpoint": func(b jsonObj) {
				b["subscription"].(jsonObj)["endpoint"] = "https://push.example/" + strings.Repeat("a", 2048)
			},
			"bad p256dh":        func(b jsonObj) { b["subscription"].(jsonObj)["keys"].(jsonObj)["p256dh"] = "BCVx" },
			"short auth":        func(b jsonObj) { b["subscription"].(jsonObj)["keys"].(jsonObj)["auth"] = "abcd" },
			"unknown policy":    func(b jsonObj) { b["data"].(jsonObj)["policy"] = "friends" },
			"alert not boolean": func(b jsonObj) { b["data"].(jsonObj)["alerts"] = jsonObj{"mention": "maybe"} },
		}
		for name, spoil := range cases {
			b := good()
			spoil(b)
			errorMessage(t, alice.Do(t, "POST", "/api/v1/push/subscription", b), 422, name)
		}
		want(t, in.Do(t, "", "POST", "/api/v1/push/subscription", good()), 401, "anonymous")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read", "write"), "POST", "/api/v1/push/subscription", good()), 403, "without push scope")
		want(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "GET", "/api/v1/push/subscription", nil), 403, "GET without push scope")
		want(t, in.Do(t, in.Token(t, nil, "push"), "POST", "/api/v1/push/subscription", good()), 422, "app token")
		want(t, alice.Do(t, "PUT", "/api/v1/push/subscription", jsonObj{"data": jsonObj{"policy": "all"}}), 404, "PUT without a subscription")
		obj(t, alice.Do(t, "POST", "/api/v1/push/subscription", good()), 200, "good subscription")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/push/subscription", jsonObj{"data": jsonObj{"policy": "some"}}), 422, "PUT unknown policy")
	})
}

// pushService is a loopback push service that records what it receives.
type pushService struct {
	*httptest.Server
	mu       sync.Mutex
	received map[string][]delivered
	arrived  chan string
}

type delivered struct {
	header http.Header
	body   []byte
}

func startPushService(t *testing.T) *pushService {
	ps := &pushService{received: map[string][]delivered{}, arrived: make(chan string, 100)}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ps.mu.Lock()
		ps.received[r.URL.Path] = append(ps.received[r.URL.Path], delivered{r.Header.Clone(), body})
		ps.mu.Unlock()
		if r.URL.Path == "/gone" {
			w.WriteHeader(http.StatusGone)
		} else {
			w.WriteHeader(http.StatusCreated)
		}
		ps.arrived <- r.URL.Path
	}))
	t.Cleanup(ps.Close)
	return ps
}

// await waits for n deliveries to path, then a little more to catch extra ones.
func (ps *pushService) await(t *testing.T, path string, n int) []delivered {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		ps.mu.Lock()
		got := len(ps.received[path])
		ps.mu.Unlock()
		if got >= n {
			break
		}
		select {
		case <-ps.arrived:
		case <-deadline:
			t.Fatalf("%d deliveries to %s; want %d", got, path, n)
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]delivered{}, ps.received[path]...)
}

type pushPayload struct {
	NotificationID   string `json:"notification_id"`
	NotificationType string `json:"notification_type"`
	PreferredLocale  string `json:"preferred_locale"`
	Icon             string `json:"icon"`
	Title            string `json:"title"`
	Body             string `json:"body"`
}

func open(t *testing.T, r *webpushtest.Receiver, d delivered, key, audience string) pushPayload {
	t.Helper()
	plain, err := r.Open(d.header, d.body, key, audience)
	if err != nil {
		t.Fatalf("open push: %v", err)
	}
	var p pushPayload
	if err := json.Unmarshal(plain, &p); err != nil {
		t.Fatalf("payload %q: %v", plain, err)
	}
	return p
}

// TestPushDelivery subscribes with real subscriber keys, triggers notifications and
// decrypts what arrives at a loopback push service, in both encodings.
func TestPushDelivery(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			ps := startPushService(t)
			in := servertest.Start(t, engine, func(c *config.Config) { c.Push.PrivateNetworks = true })
			fastPasswords(in)
			if err := in.StartJobs(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { in.StopJobs(5 * time.Second) })
			alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")

			standard, legacy, gone := webpushtest.NewReceiver(), webpushtest.NewReceiver(), webpushtest.NewReceiver()
			sub := obj(t, alice.Do(t, "POST", "/api/v1/push/subscription", subscribeBody(standard, ps.URL+"/std", true,
				jsonObj{"mention": true, "favourite": true}, "all")), 200, "standard subscription")
			key := sub["server_key"].(string)
			legacyToken := in.Token(t, &alice.User.ID, "push")
			want(t, in.Do(t, legacyToken, "POST", "/api/v1/push/subscription", subscribeBody(legacy, ps.URL+"/legacy", false,
				jsonObj{"favourite": true}, "followed")), 200, "legacy subscription")
			goneToken := in.Token(t, &alice.User.ID, "push")
			want(t, in.Do(t, goneToken, "POST", "/api/v1/push/subscription", subscribeBody(gone, ps.URL+"/gone", true,
				jsonObj{"mention": true}, "all")), 200, "subscription the push service forgot")

			say(t, bob, "hello @alice, what a day")
			d := ps.await(t, "/std", 1)
			p := open(t, standard, d[0], key, ps.URL)
			notes := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications")
			if p.NotificationType != "mention" || p.NotificationID != notes[0]["id"] || p.Title != "bob mentioned you" ||
				!strings.Contains(p.Body, "what a day") || p.PreferredLocale == "" || !strings.HasPrefix(p.Icon, "http") {
				t.Errorf("mention push = %+v; notification %v", p, notes[0]["id"])
			}
			ps.await(t, "/gone", 1)

			// The legacy subscription wants favourites from followed accounts only.
			mine := say(t, alice, "a post to like")
			obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+mine+"/favourite", nil), 200, "bob favourites")
			d = ps.await(t, "/std", 2)
			if p := open(t, standard, d[1], key, ps.URL); p.NotificationType != "favourite" || p.Body != "a post to like" {
				t.Errorf("favourite push = %+v", p)
			}
			follow(t, alice, bob)
			second := say(t, alice, "another post")
			obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+second+"/favourite", nil), 200, "bob favourites again")
			d = ps.await(t, "/legacy", 1)
			if p := open(t, legacy, d[0], key, ps.URL); p.NotificationType != "favourite" || p.Body != "another post" {
				t.Errorf("legacy favourite push = %+v", p)
			}
			if d[0].header.Get("Content-Encoding") != "aesgcm" {
				t.Errorf("legacy subscription got %q", d[0].header.Get("Content-Encoding"))
			}
			ps.await(t, "/std", 3)
			// The service said 410 Gone: that subscription is deleted.
			want(t, in.Do(t, goneToken, "GET", "/api/v1/push/subscription", nil), 404, "subscription after 410")
			ps.mu.Lock()
			defer ps.mu.Unlock()
			if n := len(ps.received["/legacy"]); n != 1 {
				t.Errorf("legacy subscription got %d pushes; want 1 (the first favourite was from an unfollowed account)", n)
			}
		})
	}
}
