package mastoapi_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// remoteStatus stores a public status by a remote account, as federation would.
func remoteStatus(t *testing.T, in *servertest.Instance, text string) string {
	t.Helper()
	ctx := context.Background()
	q := in.Store.Writer()
	acc, err := q.AccountByHandle(ctx, "far", "remote.example")
	if err != nil {
		acc = &model.Account{Username: "far", Domain: "remote.example", URI: "https://remote.example/users/far", URL: "https://remote.example/@far"}
		if err := q.InsertAccount(ctx, acc); err != nil {
			t.Fatal(err)
		}
	}
	st := &model.Status{ID: q.NewID(), AccountID: acc.ID, Text: text, Content: "<p>" + text + "</p>", Visibility: model.Public}
	st.URI = fmt.Sprintf("https://remote.example/statuses/%d", st.ID)
	if err := in.Store.Tx(ctx, func(q store.Q) error { return q.InsertStatus(ctx, store.NewStatus{Status: st}) }); err != nil {
		t.Fatal(err)
	}
	return idOf(st.ID)
}

func TestHomeTimeline(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, friend, other, gone := in.NewMember(t, "me"), in.NewMember(t, "friend"), in.NewMember(t, "other"), in.NewMember(t, "gone")
		mutual := in.NewMember(t, "mutual")
		follow(t, me, friend)
		follow(t, me, mutual)
		follow(t, me, gone)
		obj(t, me.Do(t, "POST", "/api/v1/accounts/"+idOf(mutual.Account.ID)+"/follow", jsonObj{"reblogs": false}), 200, "follow without boosts")

		strangers := say(t, other, "not followed")
		mine := say(t, me, "my own")
		fpost := say(t, friend, "friend's")
		goneID := say(t, gone, "soon unfollowed")
		replyOther := post(t, friend, jsonObj{"status": "@other hi", "in_reply_to_id": strangers})["id"].(string)
		replyMutual := post(t, friend, jsonObj{"status": "re", "in_reply_to_id": say(t, mutual, "m")})["id"].(string)
		selfReply := post(t, friend, jsonObj{"status": "thread", "in_reply_to_id": fpost})["id"].(string)
		boost := obj(t, friend.Do(t, "POST", "/api/v1/statuses/"+strangers+"/reblog", nil), 200, "friend boosts")["id"].(string)
		obj(t, mutual.Do(t, "POST", "/api/v1/statuses/"+strangers+"/reblog", nil), 200, "mutual boosts (hidden)")
		priv := post(t, friend, jsonObj{"status": "followers", "visibility": "private"})["id"].(string)
		dmOther := post(t, friend, jsonObj{"status": "@other psst", "visibility": "direct"})["id"].(string)
		dmMe := post(t, friend, jsonObj{"status": "@me psst", "visibility": "direct"})["id"].(string)
		obj(t, me.Do(t, "POST", "/api/v1/accounts/"+idOf(gone.Account.ID)+"/unfollow", nil), 200, "unfollow")

		home := list(t, me.Do(t, "GET", "/api/v1/timelines/home", nil), "home")
		conformsAll(t, "Status", home)
		mutualPost := ids(list(t, in.Do(t, "", "GET", "/api/v1/accounts/"+idOf(mutual.Account.ID)+"/statuses?exclude_reblogs=true", nil), "mutual's"))[0]
		want := []string{dmMe, priv, boost, selfReply, replyMutual, mutualPost, fpost, mine}
		sameIDs(t, "home", ids(home), want)
		for _, hidden := range []string{strangers, goneID, replyOther, dmOther} {
			if slices.Contains(ids(home), hidden) {
				t.Errorf("home shows %s, which it should not", hidden)
			}
		}
		if len(home) > 2 && field(home[2], "reblog", "id") != strangers {
			t.Errorf("home's boost wraps %v; want %s", field(home[2], "reblog", "id"), strangers)
		}
		if r := in.Do(t, "", "GET", "/api/v1/timelines/home", nil); r.Status != 401 {
			t.Errorf("anonymous home = %d; want 401", r.Status)
		}
	})
}

func TestPublicTimeline(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		pub := say(t, alice, "public")
		post(t, alice, jsonObj{"status": "u", "visibility": "unlisted"})
		post(t, alice, jsonObj{"status": "p", "visibility": "private"})
		post(t, alice, jsonObj{"status": "@bob d", "visibility": "direct"})
		post(t, bob, jsonObj{"status": "reply to alice", "in_reply_to_id": pub})
		self := post(t, alice, jsonObj{"status": "self reply", "in_reply_to_id": pub})["id"].(string)
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+pub+"/reblog", nil), 200, "boost")
		remote := remoteStatus(t, in, "from afar")

		for _, c := range []struct {
			query string
			want  []string
		}{
			{"", []string{remote, self, pub}},
			{"?local=true", []string{self, pub}},
			{"?remote=true", []string{remote}},
			{"?only_media=true", []string{}},
		} {
			for _, token := range []string{"", bob.Token} {
				l := list(t, in.Do(t, token, "GET", "/api/v1/timelines/public"+c.query, nil), "public"+c.query)
				sameIDs(t, "public"+c.query, ids(l), c.want)
				conformsAll(t, "Status", l)
			}
		}
	})
}

func TestTagTimeline(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		cats := say(t, alice, "#Cats")
		catsDogs := say(t, bob, "#cats and #dogs")
		dogs := say(t, alice, "#dogs")
		catsBirds := say(t, bob, "#CATS #birds")
		post(t, alice, jsonObj{"status": "#cats private", "visibility": "private"})
		post(t, alice, jsonObj{"status": "#cats unlisted", "visibility": "unlisted"})
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+cats+"/reblog", nil), 200, "boost")
		for _, c := range []struct {
			path string
			want []string
		}{
			{"cats", []string{catsBirds, catsDogs, cats}},
			{"CaTs", []string{catsBirds, catsDogs, cats}},
			{"cats?any[]=dogs", []string{catsBirds, dogs, catsDogs, cats}},
			{"cats?all[]=DOGS", []string{catsDogs}},
			{"cats?none[]=Birds", []string{catsDogs, cats}},
			{"cats?any[]=dogs&none[]=cats", []string{dogs}},
			{"cats?all[]=dogs&all[]=birds", []string{}},
			{"cats?local=true&limit=2", []string{catsBirds, catsDogs}},
			{"cats?remote=true", []string{}},
			{"nothing", []string{}},
		} {
			l := list(t, in.Do(t, "", "GET", "/api/v1/timelines/tag/"+c.path, nil), "tag "+c.path)
			sameIDs(t, "tag/"+c.path, ids(l), c.want)
		}
	})
}

func TestTimelinePagination(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		var s []string // oldest first
		for i := range 45 {
			s = append(s, say(t, alice, fmt.Sprint("post ", i, " #many")))
		}
		newest := func(n int) []string {
			out := slices.Clone(s[len(s)-n:])
			slices.Reverse(out)
			return out
		}
		rev := func(from, to int) []string { // s[from:to], newest first
			out := slices.Clone(s[from:to])
			slices.Reverse(out)
			return out
		}
		for _, base := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/many", "/api/v1/accounts/" + idOf(alice.Account.ID) + "/statuses"} {
			sep := "?"
			cases := []struct {
				query string
				want  []string
			}{
				{"", newest(20)},
				{"limit=100", newest(40)},
				{"limit=3&max_id=" + s[10], rev(7, 10)},
				{"limit=3&since_id=" + s[10], newest(3)},
				{"limit=3&min_id=" + s[10], rev(11, 14)},
				{"since_id=" + s[40], rev(41, 45)},
				{"max_id=" + s[5] + "&since_id=" + s[2], rev(3, 5)},
				{"max_id=" + s[5] + "&min_id=" + s[2], rev(3, 5)},
			}
			for _, c := range cases {
				got := idsAt(t, alice, base+sep+c.query)
				sameIDs(t, base+sep+c.query, got, c.want)
			}
			errorMessage(t, alice.Do(t, "GET", base+"?max_id=abc", nil), 422, base+" bad max_id")
			errorMessage(t, alice.Do(t, "GET", base+"?limit=many", nil), 422, base+" bad limit")

			// Following next links walks the whole timeline once, oldest last.
			var walked []string
			path := base + "?limit=20"
			for pages := 0; path != "" && pages < 5; pages++ {
				r := alice.Do(t, "GET", path, nil)
				page := ids(list(t, r, path))
				if len(page) == 0 {
					break
				}
				walked = append(walked, page...)
				path = link(t, in, r, "next")
			}
			sameIDs(t, base+" walked by next", walked, rev(0, 45))
			// prev from an older page returns the newer page right above it.
			r := alice.Do(t, "GET", base+"?limit=5&max_id="+s[30], nil)
			sameIDs(t, base+" older page", ids(list(t, r, "older page")), rev(25, 30))
			sameIDs(t, base+" prev of older page", idsAt(t, alice, link(t, in, r, "prev")), rev(30, 35))
			if next := link(t, in, r, "next"); next == "" || !containsQuery(next, "limit=5") {
				t.Errorf("%s next link %q; want it to keep limit=5", base, next)
			}
		}
	})
}

func containsQuery(path, kv string) bool {
	for i := 0; i+len(kv) <= len(path); i++ {
		if path[i:i+len(kv)] == kv && (i == 0 || path[i-1] == '?' || path[i-1] == '&') {
			return true
		}
	}
	return false
}

// TestHomeAfterFollow checks that an account's statuses from before a follow appear in
// the follower's home by the same rules as later ones (a direct message reaches the
// mentioned followers, boosts only where the follow shows them, replies only to
// accounts the follower follows).
func TestHomeAfterFollow(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		carols := say(t, carol, "carol's")
		plain := say(t, alice, "plain")
		self := post(t, alice, jsonObj{"status": "thread", "in_reply_to_id": plain})["id"].(string)
		toCarol := post(t, alice, jsonObj{"status": "@carol hi", "in_reply_to_id": carols})["id"].(string)
		bobs := say(t, bob, "bob's")
		toBob := post(t, alice, jsonObj{"status": "@bob hi", "in_reply_to_id": bobs})["id"].(string)
		boost := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+carols+"/reblog", nil), 200, "boost")["id"].(string)
		priv := post(t, alice, jsonObj{"status": "followers", "visibility": "private"})["id"].(string)
		dm := post(t, alice, jsonObj{"status": "@dave secret", "visibility": "direct"})["id"].(string)

		follow(t, dave, alice)
		obj(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/follow", jsonObj{"reblogs": false}), 200, "follow without boosts")
		home := idsAt(t, dave, "/api/v1/timelines/home")
		sameIDs(t, "dave's home after following alice", home, []string{dm, priv, boost, self, plain})
		if slices.Contains(home, toCarol) {
			t.Errorf("dave's home has alice's reply to carol, whom he does not follow")
		}
		home = idsAt(t, bob, "/api/v1/timelines/home")
		sameIDs(t, "bob's home after following alice without boosts", home, []string{priv, toBob, bobs, self, plain})
	})
}
