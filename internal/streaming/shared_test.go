package streaming_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// filtered reads the status id and the titles of the filters marking a status payload.
func filtered(t *testing.T, e event) (id string, titles []string) {
	t.Helper()
	var st struct {
		ID       string
		Filtered []struct{ Filter struct{ Title string } } `json:"filtered"`
	}
	if err := json.Unmarshal([]byte(e.Payload), &st); err != nil {
		t.Fatalf("payload %q: %v", e.Payload, err)
	}
	for _, f := range st.Filtered {
		titles = append(titles, f.Filter.Title)
	}
	return st.ID, titles
}

// TestPublicStreamScreensEachSubscriberOfOneEvent sends one public post to many public
// and hashtag subscribers at once (the shared rendering) and checks that each gets what
// the REST timeline would show them: screened ones nothing, hide filters nothing, warn
// filters their own marked copy, everyone else the plain status.
func TestPublicStreamScreensEachSubscriberOfOneEvent(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		eachTransport(t, in, func(t *testing.T, tr transport, member func(string) *servertest.Member) {
			alice := member("alice")
			open := func(m *servertest.Member) *receiver {
				return tr.open(t, in, m, map[string]any{"stream": "public"}, "public")
			}
			var plain []*receiver
			for i := range 8 {
				plain = append(plain, open(member("plain"+strconv.Itoa(i))))
			}
			blocker, blocked, muter := member("blocker"), member("blocked"), member("muter")
			call(t, blocker, "POST", "/api/v1/accounts/"+idOf(alice)+"/block", nil)
			call(t, alice, "POST", "/api/v1/accounts/"+idOf(blocked)+"/block", nil)
			call(t, muter, "POST", "/api/v1/accounts/"+idOf(alice)+"/mute", nil)
			hider, warner, homeOnly := member("hider"), member("warner"), member("homeonly")
			addFilter := func(m *servertest.Member, title, action, context string) {
				call(t, m, "POST", "/api/v2/filters", map[string]any{"title": title, "context": []string{context}, "filter_action": action,
					"keywords_attributes": []map[string]any{{"keyword": "secret"}}})
			}
			addFilter(hider, "hide", "hide", "public")
			addFilter(warner, "warn", "warn", "public")
			addFilter(homeOnly, "home", "hide", "home")
			screened := map[string]*receiver{"blocker": open(blocker), "blocked": open(blocked), "muter": open(muter),
				"hider": open(hider), "blocker's hashtag": tr.open(t, in, blocker, map[string]any{"stream": "hashtag", "tag": "news"}, "hashtag?tag=news")}
			warned, unfiltered := open(warner), open(homeOnly)
			plainTag := tr.open(t, in, member("tagreader"), map[string]any{"stream": "hashtag", "tag": "news"}, "hashtag?tag=news")

			id := post(t, alice, map[string]any{"status": "a secret #news"})
			for i, r := range append(plain, unfiltered, plainTag) {
				got, titles := filtered(t, r.expect(t, "update"))
				if got != id || len(titles) != 0 {
					t.Errorf("subscriber %d got %s filtered by %v; want %s unfiltered", i, got, titles, id)
				}
			}
			if got, titles := filtered(t, warned.expect(t, "update")); got != id || len(titles) != 1 || titles[0] != "warn" {
				t.Errorf("warner got %s filtered by %v; want %s marked by its warn filter", got, titles, id)
			}
			for name, r := range screened {
				t.Run(name, r.none)
			}
		})
	})
}

// TestPublicStreamScreensDomainBlocks publishes a remote public status, as federation
// would, and checks that a member who blocks its domain does not get it while others do,
// unless they follow its author.
func TestPublicStreamScreensDomainBlocks(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		remote := &model.Account{Username: "far", Domain: "far.example"}
		if err := in.Store.Tx(ctx, func(q store.Q) error { return q.InsertAccount(ctx, remote) }); err != nil {
			t.Fatal(err)
		}
		st := &model.Status{URI: "https://far.example/statuses/1", AccountID: remote.ID, Visibility: model.Public, Content: "<p>from afar</p>"}
		if err := in.Store.Tx(ctx, func(q store.Q) error { return q.InsertStatus(ctx, store.NewStatus{Status: st}) }); err != nil {
			t.Fatal(err)
		}
		blocker, follower, reader := in.NewMember(t, "blocker"), in.NewMember(t, "follower"), in.NewMember(t, "reader")
		for _, m := range []*servertest.Member{blocker, follower} {
			call(t, m, "POST", "/api/v1/domain_blocks", map[string]any{"domain": "far.example"})
		}
		if err := in.Store.Tx(ctx, func(q store.Q) error {
			return q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: follower.Account.ID, TargetAccountID: remote.ID})
		}); err != nil {
			t.Fatal(err)
		}
		streams := map[*servertest.Member]*receiver{}
		for _, m := range []*servertest.Member{blocker, follower, reader} {
			c := dialWS(t, in, m.Token, "")
			c.subscribe(t, map[string]any{"stream": "public:remote"})
			streams[m] = c.receiver
		}
		ev, _ := json.Marshal(social.Event{Name: social.EventUpdate, StatusID: st.ID})
		if err := in.Bus.Publish(ctx, social.PublicRemoteChannel, ev); err != nil {
			t.Fatal(err)
		}
		want := strconv.FormatInt(st.ID, 10)
		for _, m := range []*servertest.Member{follower, reader} {
			if got := statusID(t, streams[m].expect(t, "update")); got != want {
				t.Errorf("%s got %s; want %s", m.Account.Username, got, want)
			}
		}
		streams[blocker].none(t)
	})
}
