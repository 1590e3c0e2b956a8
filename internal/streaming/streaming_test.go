package streaming_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/streaming"
)

func TestHealth(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		r := in.Do(t, "", "GET", "/api/v1/streaming/health", nil)
		if r.Status != http.StatusOK || string(r.Body) != "OK" {
			t.Errorf("health = %d %q; want 200 OK", r.Status, r.Body)
		}
	})
}

// transport opens one stream for a member: over a WebSocket subscription or an SSE path.
type transport struct {
	name string
	open func(t *testing.T, in *servertest.Instance, m *servertest.Member, ws map[string]any, sse string) *receiver
}

var transports = []transport{
	{"websocket", func(t *testing.T, in *servertest.Instance, m *servertest.Member, ws map[string]any, _ string) *receiver {
		c := dialWS(t, in, m.Token, "")
		c.subscribe(t, ws)
		return c.receiver
	}},
	{"sse", func(t *testing.T, in *servertest.Instance, m *servertest.Member, _ map[string]any, sse string) *receiver {
		return openSSE(t, in, m.Token, sse)
	}},
}

// eachTransport runs fn per transport on one instance, with member names prefixed so
// the runs do not meet.
func eachTransport(t *testing.T, in *servertest.Instance, fn func(t *testing.T, tr transport, member func(name string) *servertest.Member)) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			fn(t, tr, func(name string) *servertest.Member { return in.NewMember(t, tr.name[:3]+name) })
		})
	}
}

func TestStatusEventsReachEveryTimelineStream(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		eachTransport(t, in, func(t *testing.T, tr transport, member func(string) *servertest.Member) {
			alice, bob, carol := member("alice"), member("bob"), member("carol")
			follow(t, bob, alice)
			var list struct{ ID string }
			call(t, bob, "POST", "/api/v1/lists", map[string]any{"title": "friends"}).JSON(t, &list)
			call(t, bob, "POST", "/api/v1/lists/"+list.ID+"/accounts", map[string]any{"account_ids": []string{idOf(alice)}})

			streams := map[string]*receiver{
				"user":               tr.open(t, in, bob, map[string]any{"stream": "user"}, "user"),
				"public":             tr.open(t, in, bob, map[string]any{"stream": "public"}, "public"),
				"public:local":       tr.open(t, in, bob, map[string]any{"stream": "public:local"}, "public/local"),
				"public:remote":      tr.open(t, in, bob, map[string]any{"stream": "public:remote"}, "public/remote"),
				"public:media":       tr.open(t, in, bob, map[string]any{"stream": "public:media"}, "public?only_media=true"),
				"public:local:media": tr.open(t, in, bob, map[string]any{"stream": "public:local:media"}, "public/local?only_media=true"),
				"hashtag":            tr.open(t, in, bob, map[string]any{"stream": "hashtag", "tag": "Tusk"}, "hashtag?tag=tusk"),
				"hashtag:local":      tr.open(t, in, bob, map[string]any{"stream": "hashtag:local", "tag": "tusk"}, "hashtag/local?tag=%23tusk"),
				"list":               tr.open(t, in, bob, map[string]any{"stream": "list", "list": list.ID}, "list?list="+list.ID),
			}
			silent := map[string]bool{"public:remote": true, "public:media": true, "public:local:media": true}

			id := post(t, alice, map[string]any{"status": "hello #tusk"})
			for name, r := range streams {
				if silent[name] {
					continue
				}
				e := r.expect(t, "update")
				if got := statusID(t, e); got != id {
					t.Errorf("%s: update of %s; want %s", name, got, id)
				}
				if tr.name == "websocket" && e.Stream[0] != strings.Split(name, ":")[0] && e.Stream[0] != name {
					t.Errorf("%s: stream %v", name, e.Stream)
				}
			}
			for name := range silent {
				streams[name].none(t)
			}

			call(t, alice, "PUT", "/api/v1/statuses/"+id, map[string]any{"status": "hello again #tusk"})
			for name, r := range streams {
				if silent[name] {
					continue
				}
				if e := r.expect(t, "status.update"); !strings.Contains(e.Payload, "hello again") {
					t.Errorf("%s: status.update payload = %s", name, e.Payload)
				}
			}

			// A boost reaches the booster's followers' homes, not the public streams.
			other := post(t, carol, map[string]any{"status": "boost me"})
			streams["public"].expect(t, "update")
			call(t, alice, "POST", "/api/v1/statuses/"+other+"/reblog", nil)
			e := streams["user"].expect(t, "update")
			var boost struct{ Reblog struct{ ID string } }
			_ = json.Unmarshal([]byte(e.Payload), &boost)
			if boost.Reblog.ID != other {
				t.Errorf("boost payload = %s; want a reblog of %s", e.Payload, other)
			}
			streams["list"].expect(t, "update") // alice is in the list, and bob shows her boosts
			streams["public"].none(t)

			call(t, alice, "DELETE", "/api/v1/statuses/"+id, nil)
			for _, name := range []string{"user", "public", "hashtag", "list"} {
				if e := streams[name].expect(t, "delete"); e.Payload != id {
					t.Errorf("%s: delete payload = %q; want %q", name, e.Payload, id)
				}
			}
		})
	})
}

func TestUserEvents(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		eachTransport(t, in, func(t *testing.T, tr transport, member func(string) *servertest.Member) {
			alice, bob := member("alice"), member("bob")
			user := tr.open(t, in, bob, map[string]any{"stream": "user"}, "user")
			notes := tr.open(t, in, bob, map[string]any{"stream": "user:notification"}, "user/notification")
			direct := tr.open(t, in, bob, map[string]any{"stream": "direct"}, "direct")

			post(t, alice, map[string]any{"status": "hi @" + bob.Account.Username})
			for _, r := range []*receiver{user, notes} {
				e := r.expect(t, "notification")
				if !strings.Contains(e.Payload, `"type":"mention"`) {
					t.Errorf("notification payload = %s", e.Payload)
				}
			}

			follow(t, bob, alice) // unsolicited private mentions wait in notification requests
			dm := post(t, alice, map[string]any{"status": "psst @" + bob.Account.Username, "visibility": "direct"})
			e := direct.expect(t, "conversation")
			var conv struct {
				LastStatus struct{ ID string } `json:"last_status"`
			}
			_ = json.Unmarshal([]byte(e.Payload), &conv)
			if conv.LastStatus.ID != dm {
				t.Errorf("conversation payload = %s; want last status %s", e.Payload, dm)
			}
			user.expectAll(t, "notification", "update") // the DM also enters bob's home
			notes.expect(t, "notification")

			call(t, bob, "POST", "/api/v2/filters", map[string]any{"title": "f", "context": []string{"home"},
				"keywords_attributes": []map[string]any{{"keyword": "x"}}})
			if e := user.expect(t, "filters_changed"); e.Payload != "" {
				t.Errorf("filters_changed payload = %q; want none", e.Payload)
			}

			a, err := in.Social.CreateAnnouncement(context.Background(), social.NewAnnouncement{Text: "maintenance " + tr.name})
			if err != nil {
				t.Fatal(err)
			}
			aid := strconv.FormatInt(a.ID, 10)
			if e := user.expect(t, "announcement"); !strings.Contains(e.Payload, "maintenance") {
				t.Errorf("announcement payload = %s", e.Payload)
			}
			call(t, bob, "PUT", "/api/v1/announcements/"+aid+"/reactions/%F0%9F%91%8D", nil)
			e = user.expect(t, "announcement.reaction")
			var reaction struct {
				Name           string
				AnnouncementID string `json:"announcement_id"`
				Count          int
			}
			_ = json.Unmarshal([]byte(e.Payload), &reaction)
			if reaction.AnnouncementID != aid || reaction.Count != 1 {
				t.Errorf("reaction payload = %s", e.Payload)
			}
			if err := in.Social.DeleteAnnouncement(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
			if e := user.expect(t, "announcement.delete"); e.Payload != aid {
				t.Errorf("announcement.delete payload = %q; want %q", e.Payload, aid)
			}
			notes.none(t) // filters and announcements are not notifications
		})
	})
}

func TestNotificationsMerged(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		eachTransport(t, in, func(t *testing.T, tr transport, member func(string) *servertest.Member) {
			bob, stranger := member("bob"), member("stranger")
			call(t, bob, "PATCH", "/api/v2/notifications/policy", map[string]any{"for_not_following": "filter"})
			notes := tr.open(t, in, bob, map[string]any{"stream": "user:notification"}, "user/notification")
			post(t, stranger, map[string]any{"status": "hey @" + bob.Account.Username})
			notes.none(t) // held back as a request
			var reqs []struct{ ID string }
			call(t, bob, "GET", "/api/v1/notifications/requests", nil).JSON(t, &reqs)
			if len(reqs) != 1 {
				t.Fatalf("requests = %v", reqs)
			}
			call(t, bob, "POST", "/api/v1/notifications/requests/"+reqs[0].ID+"/accept", nil)
			if e := notes.expect(t, "notifications_merged"); e.Payload != "1" {
				t.Errorf("notifications_merged payload = %q", e.Payload)
			}
		})
	})
}

func TestStreamsShowOnlyWhatTheViewerMaySee(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		eachTransport(t, in, func(t *testing.T, tr transport, member func(string) *servertest.Member) {
			alice, follower, stranger, blocker, muter := member("alice"), member("follower"), member("stranger"), member("blocker"), member("muter")
			follow(t, follower, alice)
			follow(t, muter, alice)
			call(t, blocker, "POST", "/api/v1/accounts/"+idOf(alice)+"/block", nil)
			call(t, muter, "POST", "/api/v1/accounts/"+idOf(alice)+"/mute", nil)
			followerHome := tr.open(t, in, follower, map[string]any{"stream": "user"}, "user")
			strangerHome := tr.open(t, in, stranger, map[string]any{"stream": "user"}, "user")
			strangerPublic := tr.open(t, in, stranger, map[string]any{"stream": "public"}, "public")
			blockerPublic := tr.open(t, in, blocker, map[string]any{"stream": "public"}, "public")
			muterHome := tr.open(t, in, muter, map[string]any{"stream": "user"}, "user")

			private := post(t, alice, map[string]any{"status": "followers only", "visibility": "private"})
			if got := statusID(t, followerHome.expect(t, "update")); got != private {
				t.Errorf("follower got %s; want %s", got, private)
			}
			public := post(t, alice, map[string]any{"status": "for everyone"})
			if got := statusID(t, strangerPublic.expect(t, "update")); got != public {
				t.Errorf("stranger's public stream got %s; want the public post %s, not the private one", got, public)
			}
			followerHome.expect(t, "update")
			strangerHome.none(t)
			blockerPublic.none(t)
			muterHome.none(t)

			// Filters: hide keeps the status out, warn sends it marked.
			call(t, follower, "POST", "/api/v2/filters", map[string]any{"title": "hide", "context": []string{"home"}, "filter_action": "hide",
				"keywords_attributes": []map[string]any{{"keyword": "secret"}}})
			followerHome.expect(t, "filters_changed")
			call(t, follower, "POST", "/api/v2/filters", map[string]any{"title": "warn", "context": []string{"home"}, "filter_action": "warn",
				"keywords_attributes": []map[string]any{{"keyword": "spoiler"}}})
			followerHome.expect(t, "filters_changed")
			post(t, alice, map[string]any{"status": "a secret thing"})
			warned := post(t, alice, map[string]any{"status": "a spoiler thing"})
			e := followerHome.expect(t, "update")
			var st struct {
				ID       string
				Filtered []struct{ Filter struct{ Title string } } `json:"filtered"`
			}
			_ = json.Unmarshal([]byte(e.Payload), &st)
			if st.ID != warned || len(st.Filtered) != 1 || st.Filtered[0].Filter.Title != "warn" {
				t.Errorf("after filters got %s; want %s marked by the warn filter", e.Payload, warned)
			}
		})
	})
}

func TestStreamErrors(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob, carol := in.NewMember(t, "bob"), in.NewMember(t, "carol")
		writeOnly := in.Token(t, &bob.User.ID, "write")
		var list struct{ ID string }
		call(t, carol, "POST", "/api/v1/lists", map[string]any{"title": "mine"}).JSON(t, &list)

		sse := []struct {
			name, token, path string
			status            int
			msg               string
		}{
			{"no token", "", "user", 401, "Missing access token"},
			{"bad token", "nope", "user", 401, "The access token is invalid"},
			{"no read scope", writeOnly, "public", 401, "Access token does not have the required scopes"},
			{"unknown stream", bob.Token, "../streaming?stream=nonsense", 400, "Unknown stream type"},
			{"no tag", bob.Token, "hashtag", 400, "No tag for stream provided"},
			{"long tag", bob.Token, "hashtag?tag=" + strings.Repeat("a", 101), 422, "Validation failed: tag is too long"},
			{"no list", bob.Token, "list", 400, "No list for stream provided"},
			{"another's list", bob.Token, "list?list=" + list.ID, 401, "Not authorized to stream this list"},
		}
		for _, tt := range sse {
			_, status, body := trySSE(t, in, tt.token, tt.path)
			var e struct{ Error string }
			_ = json.Unmarshal([]byte(body), &e)
			if status != tt.status || e.Error != tt.msg {
				t.Errorf("%s: SSE %s = %d %s; want %d %q", tt.name, tt.path, status, body, tt.status, tt.msg)
			}
		}

		if _, resp, err := tryWS(in, "", "stream=user", nil); err == nil || resp == nil || resp.StatusCode != 401 {
			t.Errorf("WebSocket without a token: err %v, resp %v; want 401", err, resp)
		}
		if _, resp, err := tryWS(in, writeOnly, "stream=user", nil); err == nil || resp == nil || resp.StatusCode != 401 {
			t.Errorf("WebSocket with a write-only token: err %v; want 401", err)
		}

		c := dialWS(t, in, bob.Token, "")
		for _, tt := range []struct {
			req    map[string]any
			status int
			msg    string
		}{
			{map[string]any{"type": "subscribe", "stream": "nonsense"}, 400, "Unknown stream type"},
			{map[string]any{"type": "subscribe", "stream": "list", "list": list.ID}, 401, "Not authorized to stream this list"},
			{map[string]any{"type": "subscribe", "stream": "hashtag"}, 400, "No tag for stream provided"},
			{map[string]any{"type": "dance"}, 400, "Unknown message type"},
		} {
			c.send(t, tt.req)
			if e := c.next(t); e.Error != tt.msg || e.Status != tt.status {
				t.Errorf("%v: got %+v; want %d %q", tt.req, e, tt.status, tt.msg)
			}
		}
		limited := dialWS(t, in, writeOnly, "")
		limited.send(t, map[string]any{"type": "subscribe", "stream": "user"})
		if e := limited.next(t); e.Status != 401 {
			t.Errorf("write-only subscribe got %+v; want a 401 error frame", e)
		}

		ctx := context.Background()
		if err := c.conn.Write(ctx, websocket.MessageBinary, []byte{1, 2, 3}); err != nil {
			t.Fatal(err)
		}
		c.ended(t)
		if code := <-c.closeCode; code != websocket.StatusUnsupportedData {
			t.Errorf("close after a binary frame = %d; want 1003", code)
		}
	})
}

func TestTokenInSecWebSocketProtocol(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		conn, resp, err := tryWS(in, "", "stream=public", &websocket.DialOptions{Subprotocols: []string{alice.Token}})
		if err != nil {
			t.Fatalf("dial: %v %v", err, resp)
		}
		if conn.Subprotocol() != alice.Token {
			t.Errorf("subprotocol = %q; want the token echoed", conn.Subprotocol())
		}
		c := watchWS(t, conn)
		c.subscribe(t, map[string]any{"stream": "user"}) // proves the initial stream is live too
		id := post(t, alice, map[string]any{"status": "via protocol"})
		got := map[string]string{}
		for range 2 {
			e := c.expect(t, "update")
			got[e.Stream[0]] = statusID(t, e)
		}
		if got["public"] != id || got["user"] != id {
			t.Errorf("updates by stream = %v; want %s on public and user", got, id)
		}
	})
}

func TestUnsubscribe(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		c := dialWS(t, in, alice.Token, "stream=public")
		c.subscribe(t, map[string]any{"stream": "public:local"})
		c.send(t, map[string]any{"type": "unsubscribe", "stream": "public"})
		c.subscribe(t, map[string]any{"stream": "public:local"}) // a duplicate: harmless, and a barrier
		post(t, alice, map[string]any{"status": "once"})
		var streams []string
		e := c.expect(t, "update")
		streams = append(streams, strings.Join(e.Stream, ","))
		c.none(t)
		sort.Strings(streams)
		if strings.Join(streams, " ") != "public:local" {
			t.Errorf("streams = %v; want only public:local", streams)
		}
	})
}

func TestEndedSessionsCloseStreams(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		revoked, suspended, disabled, bystander := in.NewMember(t, "revoked"), in.NewMember(t, "suspended"), in.NewMember(t, "disabled"), in.NewMember(t, "bystander")
		open := func(m *servertest.Member) (*wsConn, *receiver) {
			return dialWS(t, in, m.Token, "stream=user"), openSSE(t, in, m.Token, "user")
		}
		revokedWS, revokedSSE := open(revoked)
		suspendedWS, suspendedSSE := open(suspended)
		disabledWS, disabledSSE := open(disabled)
		bystanderWS, _ := open(bystander)

		form := url.Values{"client_id": {"servertest-client"}, "client_secret": {"servertest-secret"}, "token": {revoked.Token}}
		req, _ := http.NewRequest("POST", in.URL+"/oauth/revoke", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if r := in.Send(t, req); r.Status != 200 {
			t.Fatalf("revoke = %d %s", r.Status, r.Body)
		}
		revokedWS.ended(t)
		if code := <-revokedWS.closeCode; code != websocket.StatusPolicyViolation {
			t.Errorf("close code after revocation = %d; want 1008", code)
		}
		revokedSSE.ended(t)

		ctx := context.Background()
		now := bystander.Account.CreatedAt
		if err := in.Store.Writer().SetAccountSuspended(ctx, suspended.Account.ID, &now); err != nil {
			t.Fatal(err)
		}
		in.Social.EndSessions(0, suspended.Account.ID) // what suspending does once committed
		suspendedWS.ended(t)
		suspendedSSE.ended(t)

		// A change made where no bus reaches (another process's admin command) is
		// caught by the sweep.
		disabled.User.Disabled = true
		if err := in.Store.Writer().UpdateUser(ctx, disabled.User); err != nil {
			t.Fatal(err)
		}
		if err := in.Streaming.SweepNow(ctx); err != nil {
			t.Fatal(err)
		}
		disabledWS.ended(t)
		disabledSSE.ended(t)

		// A new password revokes every token, and so ends their streams at once.
		changed := in.NewMember(t, "changed")
		changedWS := dialWS(t, in, changed.Token, "stream=user")
		changedWS.subscribe(t, map[string]any{"stream": "public"})
		if err := in.Accounts.SetPassword(ctx, changed.User.ID, "another long passphrase"); err != nil {
			t.Fatal(err)
		}
		changedWS.ended(t)

		bystanderWS.subscribe(t, map[string]any{"stream": "public"}) // still open and served
	})
}

func TestUnansweredPingsDropTheConnection(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob := in.NewMember(t, "bob")
		srv := streaming.New(in.Social, in.OAuth, in.Bus, entity.Renderer{Config: in.Config}, slog.New(slog.NewTextHandler(io.Discard, nil)),
			streaming.Options{Ping: 50 * time.Millisecond})
		mux := http.NewServeMux()
		srv.Routes(mux)
		hs := httptest.NewServer(in.OAuth.Authenticate(mux))
		t.Cleanup(hs.Close)
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		defer cancel()
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(hs.URL, "http")+"/api/v1/streaming?stream=user&access_token="+bob.Token, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.CloseNow()
		channel := social.UserChannel(bob.Account.ID)
		for deadline := time.Now().Add(waitFor); srv.Subscriptions(channel) == 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the server never subscribed the connection")
			}
		}
		// The client never reads, so it never answers a ping.
		for deadline := time.Now().Add(waitFor); srv.Subscriptions(channel) > 0; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("a connection that does not answer pings is still open")
			}
		}
	})
}

func TestPlainHTTPOnTheWebSocketPathStreamsEvents(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		r := openSSE(t, in, alice.Token, "../streaming?stream=public:local")
		id := post(t, alice, map[string]any{"status": "plain"})
		if got := statusID(t, r.expect(t, "update")); got != id {
			t.Errorf("update of %s; want %s", got, id)
		}
	})
}

func TestInstanceAdvertisesTheStreamingURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ base, want string }{
		{"", "ws://"},
		{"https://streaming.example.test", "wss://streaming.example.test"},
	} {
		in := servertest.Start(t, store.SQLite, func(c *config.Config) { c.StreamingBaseURL = tt.base })
		want := tt.want
		if tt.base == "" {
			want += strings.TrimPrefix(in.URL, "http://")
		}
		var v2 struct {
			Configuration struct{ URLs struct{ Streaming string } }
		}
		in.Do(t, "", "GET", "/api/v2/instance", nil).JSON(t, &v2)
		var v1 struct{ URLs map[string]string }
		in.Do(t, "", "GET", "/api/v1/instance", nil).JSON(t, &v1)
		if v2.Configuration.URLs.Streaming != want || v1.URLs["streaming_api"] != want {
			t.Errorf("base %q: v2 %q, v1 %q; want %q", tt.base, v2.Configuration.URLs.Streaming, v1.URLs["streaming_api"], want)
		}
	}
}
