package mastoapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// postWithKey posts as m with an Idempotency-Key header.
func postWithKey(t *testing.T, in *servertest.Instance, m *servertest.Member, key string, body jsonObj) *servertest.Response {
	t.Helper()
	data, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", in.URL+"/api/v1/statuses", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+m.Token)
	req.Header.Set("Idempotency-Key", key)
	return in.Send(t, req)
}

// statusesCount reads m's statuses_count from verify_credentials.
func statusesCount(t *testing.T, m *servertest.Member) float64 {
	t.Helper()
	n, _ := obj(t, m.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")["statuses_count"].(float64)
	return n
}

func getStatus(t *testing.T, m *servertest.Member, id string) jsonObj {
	t.Helper()
	return obj(t, m.Do(t, "GET", "/api/v1/statuses/"+id, nil), 200, "GET status "+id)
}

func TestPostStatusFields(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		st := post(t, alice, jsonObj{"status": "hi @bob, see #Go and https://example.com/x", "spoiler_text": "cw", "language": "en"})
		conforms(t, "Status", st)
		content, _ := st["content"].(string)
		if !strings.HasPrefix(content, "<p>") || !strings.Contains(content, `class="u-url mention"`) || !strings.Contains(content, `href="https://example.com/x"`) {
			t.Errorf("content = %q; want HTML with the mention and the link", content)
		}
		if st["spoiler_text"] != "cw" || st["sensitive"] != true || st["language"] != "en" || st["visibility"] != "public" {
			t.Errorf("spoiler_text, sensitive, language, visibility = %v, %v, %v, %v; want cw, true (implied), en, public",
				st["spoiler_text"], st["sensitive"], st["language"], st["visibility"])
		}
		if field(st, "account", "id") != idOf(alice.Account.ID) || field(st, "application", "name") != "servertest" {
			t.Errorf("account, application = %v, %v; want alice, servertest", field(st, "account", "id"), st["application"])
		}
		mentions, _ := st["mentions"].([]any)
		if len(mentions) != 1 || field(mentions[0], "id") != idOf(bob.Account.ID) || field(mentions[0], "acct") != "bob" {
			t.Errorf("mentions = %v; want bob", st["mentions"])
		}
		tags, _ := st["tags"].([]any)
		if len(tags) != 1 || !strings.EqualFold(field(tags[0], "name").(string), "go") {
			t.Errorf("tags = %v; want go", st["tags"])
		}
		if st["favourited"] != false || st["reblogged"] != false || st["bookmarked"] != false || st["replies_count"] != 0.0 {
			t.Errorf("viewer flags and counts = %v %v %v %v; want false and 0", st["favourited"], st["reblogged"], st["bookmarked"], st["replies_count"])
		}
		if _, ok := st["text"]; ok {
			t.Errorf("a posted status carries text; only the DELETE response does")
		}
		plain := post(t, alice, jsonObj{"status": "plain", "sensitive": true})
		if plain["sensitive"] != true || plain["spoiler_text"] != "" || plain["language"] != nil {
			t.Errorf("sensitive without spoiler = %v, %q, language %v; want true, \"\", null", plain["sensitive"], plain["spoiler_text"], plain["language"])
		}
		for _, vis := range []string{"public", "unlisted", "private", "direct"} {
			got := post(t, alice, jsonObj{"status": "to @bob as " + vis, "visibility": vis})
			if got["visibility"] != vis {
				t.Errorf("visibility %s posted as %v", vis, got["visibility"])
			}
		}
		form := obj(t, alice.Form(t, "POST", "/api/v1/statuses", "status=from+a+form&visibility=unlisted&sensitive=true"), 200, "form post")
		if form["visibility"] != "unlisted" || form["sensitive"] != true || form["content"] != "<p>from a form</p>" {
			t.Errorf("form post = %v %v %v", form["visibility"], form["sensitive"], form["content"])
		}
	})
}

func TestPostStatusReply(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		parent := say(t, alice, "question")
		reply := post(t, bob, jsonObj{"status": "@alice answer", "in_reply_to_id": parent})
		if reply["in_reply_to_id"] != parent || reply["in_reply_to_account_id"] != idOf(alice.Account.ID) {
			t.Errorf("reply in_reply_to = %v / %v; want %s / alice", reply["in_reply_to_id"], reply["in_reply_to_account_id"], parent)
		}
		if got := getStatus(t, carol, parent)["replies_count"]; got != 1.0 {
			t.Errorf("parent replies_count = %v; want 1", got)
		}
		private := post(t, alice, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		before := statusesCount(t, carol)
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "sneaky", "in_reply_to_id": private}), 404, "reply to an invisible status")
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "lost", "in_reply_to_id": "4242"}), 404, "reply to a missing status")
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses", jsonObj{"status": "lost", "in_reply_to_id": "abc"}), 404, "reply to a garbage id")
		if after := statusesCount(t, carol); after != before {
			t.Errorf("statuses_count after refused replies = %v; want %v", after, before)
		}
		if got := getStatus(t, alice, private)["replies_count"]; got != 0.0 {
			t.Errorf("invisible parent's replies_count = %v; want 0", got)
		}
		// Only public and unlisted replies are counted, and direct messages are not
		// counted as statuses, so counts do not reveal what a viewer cannot see.
		post(t, bob, jsonObj{"status": "private reply", "in_reply_to_id": parent, "visibility": "private"})
		post(t, bob, jsonObj{"status": "@alice direct reply", "in_reply_to_id": parent, "visibility": "direct"})
		dm := post(t, bob, jsonObj{"status": "@alice dm", "visibility": "direct"})["id"].(string)
		if got := getStatus(t, carol, parent)["replies_count"]; got != 1.0 {
			t.Errorf("parent replies_count after private and direct replies = %v; want still 1", got)
		}
		if n := statusesCount(t, bob); n != 2 {
			t.Errorf("bob statuses_count = %v; want 2 (direct messages not counted)", n)
		}
		obj(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+dm, nil), 200, "delete dm")
		obj(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+reply["id"].(string), nil), 200, "delete reply")
		if got := getStatus(t, carol, parent)["replies_count"]; got != 0.0 {
			t.Errorf("parent replies_count after deleting the public reply = %v; want 0", got)
		}
		if n := statusesCount(t, bob); n != 1 {
			t.Errorf("bob statuses_count after deletions = %v; want 1", n)
		}
	})
}

func TestPostStatusIdempotency(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		first := obj(t, postWithKey(t, in, alice, "k1", jsonObj{"status": "once"}), 200, "first")
		again := obj(t, postWithKey(t, in, alice, "k1", jsonObj{"status": "once"}), 200, "retry")
		if first["id"] != again["id"] || again["content"] != "<p>once</p>" {
			t.Errorf("retry with the same key = %v; want the same status %v", again["id"], first["id"])
		}
		other := obj(t, postWithKey(t, in, alice, "k2", jsonObj{"status": "once"}), 200, "other key")
		theirs := obj(t, postWithKey(t, in, bob, "k1", jsonObj{"status": "once"}), 200, "bob same key")
		if other["id"] == first["id"] || theirs["id"] == first["id"] {
			t.Errorf("another key or author reused status %v", first["id"])
		}
		if n := statusesCount(t, alice); n != 2 {
			t.Errorf("alice statuses_count = %v; want 2", n)
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+first["id"].(string), nil), 200, "delete")
		fresh := obj(t, postWithKey(t, in, alice, "k1", jsonObj{"status": "once more"}), 200, "retry after deletion")
		if fresh["id"] == first["id"] || fresh["content"] != "<p>once more</p>" {
			t.Errorf("retry after the status was deleted = %v %v; want a new status", fresh["id"], fresh["content"])
		}
	})
}

func TestPostStatusValidation(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		long := strings.Repeat("a", 477) + " https://example.com/" + strings.Repeat("p", 80) // 477 + 1 + 23 = 501
		fits := strings.Repeat("a", 476) + " https://example.com/" + strings.Repeat("p", 80) // 500
		cases := []struct {
			name string
			body jsonObj
			msg  string
		}{
			{"blank", jsonObj{"status": ""}, "blank"},
			{"whitespace", jsonObj{"status": "  \n "}, "blank"},
			{"missing", jsonObj{"visibility": "public"}, "blank"},
			{"501 characters", jsonObj{"status": strings.Repeat("é", 501)}, "character limit"},
			{"URL counts 23", jsonObj{"status": long}, "character limit"},
			{"spoiler counts", jsonObj{"status": strings.Repeat("a", 490), "spoiler_text": strings.Repeat("b", 11)}, "character limit"},
			{"bad visibility", jsonObj{"status": "x", "visibility": "friends"}, "Visibility"},
			{"media", jsonObj{"status": "x", "media_ids": []string{"1"}}, "media"},
			{"poll", jsonObj{"status": "x", "poll": jsonObj{"options": []string{"a"}, "expires_in": 300}}, "poll"},
			{"bad sensitive", jsonObj{"status": "x", "sensitive": "very"}, "sensitive"},
			{"scheduled", jsonObj{"status": "x", "scheduled_at": "2000-01-01T00:00:00Z"}, "scheduled"},
		}
		for _, c := range cases {
			msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses", c.body), 422, c.name)
			if !strings.Contains(strings.ToLower(msg), strings.ToLower(c.msg)) {
				t.Errorf("%s: error = %q; want it to mention %q", c.name, msg, c.msg)
			}
		}
		msg := errorMessage(t, alice.Form(t, "POST", "/api/v1/statuses", "status=x&poll[options][]=a&poll[expires_in]=300"), 422, "form poll")
		if !strings.Contains(msg, "Poll") {
			t.Errorf("form poll error = %q", msg)
		}
		errorMessage(t, alice.Form(t, "POST", "/api/v1/statuses", "status=x&media_ids[]=5"), 422, "form media")
		if n := statusesCount(t, alice); n != 0 {
			t.Errorf("statuses_count after refused posts = %v; want 0", n)
		}
		if st := post(t, alice, jsonObj{"status": fits}); st["id"] == nil {
			t.Errorf("500 counted characters refused")
		}
		if st := post(t, alice, jsonObj{"status": strings.Repeat("é", 500)}); st["id"] == nil {
			t.Errorf("500 characters refused")
		}
	})
}

func TestGetStatusVisibility(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, follower, mentioned, stranger := in.NewMember(t, "alice"), in.NewMember(t, "fol"), in.NewMember(t, "men"), in.NewMember(t, "stranger")
		follow(t, follower, alice)
		private := post(t, alice, jsonObj{"status": "hi @men", "visibility": "private"})["id"].(string)
		direct := post(t, alice, jsonObj{"status": "hi @men", "visibility": "direct"})["id"].(string)
		unlisted := post(t, alice, jsonObj{"status": "hi", "visibility": "unlisted"})["id"].(string)
		cases := []struct {
			who  *servertest.Member
			id   string
			want int
		}{
			{nil, private, 404}, {stranger, private, 404}, {follower, private, 200}, {mentioned, private, 200}, {alice, private, 200},
			{nil, direct, 404}, {stranger, direct, 404}, {follower, direct, 404}, {mentioned, direct, 200}, {alice, direct, 200},
			{nil, unlisted, 200}, {stranger, unlisted, 200},
		}
		for _, c := range cases {
			token, name := "", "anonymous"
			if c.who != nil {
				token, name = c.who.Token, c.who.Account.Username
			}
			r := in.Do(t, token, "GET", "/api/v1/statuses/"+c.id, nil)
			if r.Status != c.want {
				t.Errorf("%s GET %s = %d; want %d", name, c.id, r.Status, c.want)
			}
			if c.want == 200 {
				var st jsonObj
				r.JSON(t, &st)
				if st["id"] != c.id {
					t.Errorf("%s GET %s = %v", name, c.id, st["id"])
				}
				_, hasFlags := st["favourited"]
				if hasFlags != (c.who != nil) {
					t.Errorf("%s: favourited present = %v; want viewer fields only when signed in", name, hasFlags)
				}
			}
		}
		errorMessage(t, stranger.Do(t, "GET", "/api/v1/statuses/notanid", nil), 404, "garbage id")
	})
}

func TestDeleteStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, bob, alice)
		follow(t, bob, carol)
		parent := say(t, carol, "root")
		doomed := post(t, alice, jsonObj{"status": "@bob @carol oops #Typo", "in_reply_to_id": parent, "spoiler_text": "cw"})["id"].(string)
		obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+doomed+"/favourite", nil), 200, "favourite")
		boost := obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+doomed+"/reblog", nil), 200, "reblog")["id"].(string)
		if home := idsAt(t, bob, "/api/v1/timelines/home"); !slices.Contains(home, doomed) {
			t.Fatalf("bob's home = %v; want %s before deletion", home, doomed)
		}

		errorMessage(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+doomed, nil), 404, "delete someone else's")
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+boost, nil), 404, "delete someone else's boost")
		getStatus(t, bob, doomed)

		gone := obj(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+doomed, nil), 200, "delete")
		conforms(t, "Status", gone)
		if gone["id"] != doomed || gone["text"] != "@bob @carol oops #Typo" || gone["spoiler_text"] != "cw" || gone["in_reply_to_id"] != parent {
			t.Errorf("DELETE response = id %v text %v spoiler %v reply %v; want the status with its source", gone["id"], gone["text"], gone["spoiler_text"], gone["in_reply_to_id"])
		}
		if m, _ := gone["mentions"].([]any); len(m) != 2 {
			t.Errorf("DELETE response mentions = %v; want both", gone["mentions"])
		}
		for _, id := range []string{doomed, boost} {
			if r := alice.Do(t, "GET", "/api/v1/statuses/"+id, nil); r.Status != 404 {
				t.Errorf("GET %s after deletion = %d; want 404", id, r.Status)
			}
		}
		for _, m := range []*servertest.Member{alice, bob, carol} {
			home := idsAt(t, m, "/api/v1/timelines/home")
			if slices.Contains(home, doomed) || slices.Contains(home, boost) {
				t.Errorf("%s's home after deletion = %v; still has the status or its boost", m.Account.Username, home)
			}
			for _, n := range list(t, m.Do(t, "GET", "/api/v1/notifications", nil), "notifications") {
				if field(n, "status", "id") == doomed {
					t.Errorf("%s still has a %v notification of the deleted status", m.Account.Username, n["type"])
				}
			}
		}
		ctx := obj(t, carol.Do(t, "GET", "/api/v1/statuses/"+parent+"/context", nil), 200, "context")
		if d, _ := ctx["descendants"].([]any); len(d) != 0 {
			t.Errorf("parent's descendants after deletion = %v; want none", d)
		}
		if got := getStatus(t, carol, parent)["replies_count"]; got != 0.0 {
			t.Errorf("parent replies_count after deletion = %v; want 0", got)
		}
		if n := statusesCount(t, alice); n != 0 {
			t.Errorf("alice statuses_count after deletion = %v; want 0", n)
		}
		if n := statusesCount(t, carol); n != 1 {
			t.Errorf("carol statuses_count after her boost went with the original = %v; want 1", n)
		}
		if got := idsAt(t, bob, "/api/v1/timelines/public"); slices.Contains(got, doomed) {
			t.Errorf("public timeline after deletion = %v", got)
		}
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+doomed, nil), 404, "delete twice")
	})
}

func TestStatusContext(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		reply := func(m *servertest.Member, to, text, vis string) string {
			return post(t, m, jsonObj{"status": text, "in_reply_to_id": to, "visibility": vis})["id"].(string)
		}
		root := say(t, alice, "root")
		a := reply(bob, root, "a", "public")
		a1 := reply(alice, a, "a1", "public")
		b := reply(carol, root, "b", "public")
		a2 := reply(bob, a, "a2", "public")
		hidden := reply(bob, a, "only bob's followers", "private")
		a11 := reply(carol, a1, "a11", "unlisted")

		ctx := obj(t, in.Do(t, "", "GET", "/api/v1/statuses/"+a+"/context", nil), 200, "context of a")
		up, _ := ctx["ancestors"].([]any)
		down, _ := ctx["descendants"].([]any)
		sameIDs(t, "ancestors of a", anyIDs(up), []string{root})
		sameIDs(t, "descendants of a (anonymous)", anyIDs(down), []string{a1, a11, a2})
		ctx = obj(t, bob.Do(t, "GET", "/api/v1/statuses/"+root+"/context", nil), 200, "context of root")
		down, _ = ctx["descendants"].([]any)
		sameIDs(t, "descendants of root (bob)", anyIDs(down), []string{a, a1, a11, a2, hidden, b})
		ctx = obj(t, carol.Do(t, "GET", "/api/v1/statuses/"+a11+"/context", nil), 200, "context of a11")
		up, _ = ctx["ancestors"].([]any)
		sameIDs(t, "ancestors of a11", anyIDs(up), []string{root, a, a1})
		errorMessage(t, carol.Do(t, "GET", "/api/v1/statuses/"+hidden+"/context", nil), 404, "context of an invisible status")
	})
}

func anyIDs(l []any) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i], _ = field(v, "id").(string)
	}
	return out
}

func TestFavourite(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		id := say(t, alice, "like me")
		path := "/api/v1/statuses/" + id
		for i := range 2 {
			st := obj(t, bob.Do(t, "POST", path+"/favourite", nil), 200, "favourite")
			if st["id"] != id || st["favourited"] != true || st["favourites_count"] != 1.0 {
				t.Errorf("favourite #%d = favourited %v count %v; want true, 1", i+1, st["favourited"], st["favourites_count"])
			}
		}
		if st := getStatus(t, carol, id); st["favourited"] != false || st["favourites_count"] != 1.0 {
			t.Errorf("carol sees favourited %v count %v; want false, 1", st["favourited"], st["favourites_count"])
		}
		by := list(t, in.Do(t, "", "GET", path+"/favourited_by", nil), "favourited_by")
		sameIDs(t, "favourited_by", ids(by), []string{idOf(bob.Account.ID)})
		conformsAll(t, "Account", by)
		notes := list(t, alice.Do(t, "GET", "/api/v1/notifications?types[]=favourite", nil), "notifications")
		if len(notes) != 1 {
			t.Errorf("favourite notifications after favouriting twice = %d; want 1", len(notes))
		}
		for i := range 2 {
			st := obj(t, bob.Do(t, "POST", path+"/unfavourite", nil), 200, "unfavourite")
			if st["favourited"] != false || st["favourites_count"] != 0.0 {
				t.Errorf("unfavourite #%d = favourited %v count %v; want false, 0", i+1, st["favourited"], st["favourites_count"])
			}
		}
		if l := list(t, alice.Do(t, "GET", "/api/v1/notifications?types[]=favourite", nil), "notifications"); len(l) != 0 {
			t.Errorf("favourite notifications after unfavourite = %d; want 0", len(l))
		}
		private := post(t, alice, jsonObj{"status": "p", "visibility": "private"})["id"].(string)
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses/"+private+"/favourite", nil), 404, "favourite invisible")
		errorMessage(t, carol.Do(t, "GET", "/api/v1/statuses/"+private+"/favourited_by", nil), 404, "favourited_by invisible")
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses/31337/favourite", nil), 404, "favourite missing")
		if r := in.Do(t, in.Token(t, &carol.User.ID, "write:statuses"), "POST", path+"/favourite", nil); r.Status != 403 {
			t.Errorf("favourite with write:statuses only = %d; want 403", r.Status)
		}
		obj(t, bob.Do(t, "POST", path+"/favourite", nil), 200, "favourite again")
		var fans []string
		for i := range 3 {
			fan := in.NewMember(t, "fan"+idOf(int64(i)))
			obj(t, fan.Do(t, "POST", path+"/favourite", nil), 200, "fan favourites")
			obj(t, fan.Do(t, "POST", path+"/reblog", nil), 200, "fan boosts")
			fans = append([]string{idOf(fan.Account.ID)}, fans...)
		}
		pageThrough(t, in, carol, path+"/favourited_by?limit=2", append(slices.Clone(fans), idOf(bob.Account.ID)))
		pageThrough(t, in, carol, path+"/reblogged_by?limit=2", fans)
	})
}

func TestReblog(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, carol, bob)
		id := say(t, alice, "boost me")
		var boostID any
		for i := range 2 {
			b := obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", nil), 200, "reblog")
			conforms(t, "Status", b)
			if i == 0 {
				boostID = b["id"]
			}
			if b["id"] != boostID || b["id"] == id || field(b, "reblog", "id") != id || field(b, "account", "id") != idOf(bob.Account.ID) {
				t.Errorf("reblog #%d = id %v reblog %v account %v; want bob's one boost of %s", i+1, b["id"], field(b, "reblog", "id"), field(b, "account", "id"), id)
			}
			if field(b, "reblog", "reblogged") != true || field(b, "reblog", "reblogs_count") != 1.0 || b["content"] != "" {
				t.Errorf("reblog #%d wraps reblogged %v count %v, outer content %q", i+1, field(b, "reblog", "reblogged"), field(b, "reblog", "reblogs_count"), b["content"])
			}
		}
		by := list(t, in.Do(t, "", "GET", "/api/v1/statuses/"+id+"/reblogged_by", nil), "reblogged_by")
		sameIDs(t, "reblogged_by", ids(by), []string{idOf(bob.Account.ID)})
		if home := idsAt(t, carol, "/api/v1/timelines/home"); !slices.Equal(home, []string{boostID.(string)}) {
			t.Errorf("carol's home = %v; want bob's boost", home)
		}
		// Favouriting a boost favourites the original.
		fav := obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+boostID.(string)+"/favourite", nil), 200, "favourite a boost")
		if fav["id"] != id || fav["favourites_count"] != 1.0 {
			t.Errorf("favourite of a boost = %v count %v; want the original %s with 1", fav["id"], fav["favourites_count"], id)
		}
		for i := range 2 {
			un := obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/unreblog", nil), 200, "unreblog")
			if un["id"] != id || un["reblogged"] != false || un["reblogs_count"] != 0.0 {
				t.Errorf("unreblog #%d = id %v reblogged %v count %v; want the original, false, 0", i+1, un["id"], un["reblogged"], un["reblogs_count"])
			}
		}
		if home := idsAt(t, carol, "/api/v1/timelines/home"); len(home) != 0 {
			t.Errorf("carol's home after unreblog = %v; want empty", home)
		}

		follow(t, bob, alice)
		private := post(t, alice, jsonObj{"status": "mine", "visibility": "private"})["id"].(string)
		if msg := errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses/"+private+"/reblog", nil), 403, "follower boosts private"); msg != "This action is not allowed" {
			t.Errorf("private boost error = %q", msg)
		}
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses/"+private+"/reblog", nil), 404, "stranger boosts private")
		own := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+private+"/reblog", nil), 200, "author boosts own private")
		if own["visibility"] != "private" {
			t.Errorf("self-boost of a private status = %v; want private", own["visibility"])
		}
		direct := post(t, alice, jsonObj{"status": "@bob psst", "visibility": "direct"})["id"].(string)
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses/"+direct+"/reblog", nil), 403, "boost direct")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", jsonObj{"visibility": "loud"}), 422, "boost with bad visibility")
		unl := obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/reblog", jsonObj{"visibility": "unlisted"}), 200, "unlisted boost")
		if unl["visibility"] != "unlisted" {
			t.Errorf("unlisted boost = %v", unl["visibility"])
		}
		// DELETE of one's own boost undoes it, as unreblog does.
		gone := obj(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+unl["id"].(string), nil), 200, "delete own boost")
		if gone["id"] != unl["id"] || field(gone, "reblog", "id") != id {
			t.Errorf("DELETE of a boost = %v wrapping %v; want the boost of %s", gone["id"], field(gone, "reblog", "id"), id)
		}
		if st := getStatus(t, bob, id); st["reblogged"] != false || st["reblogs_count"] != 0.0 {
			t.Errorf("after deleting the boost: reblogged %v count %v; want false, 0", st["reblogged"], st["reblogs_count"])
		}
		if l := list(t, alice.Do(t, "GET", "/api/v1/notifications?types[]=reblog&account_id="+idOf(bob.Account.ID), nil), "reblog notifications"); len(l) != 0 {
			t.Errorf("reblog notifications from bob after deleting his boost = %v; want none", ids(l))
		}
	})
}

func TestBookmarks(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		var marked []string
		for range 3 {
			id := say(t, alice, "save me")
			st := obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/bookmark", nil), 200, "bookmark")
			if st["bookmarked"] != true {
				t.Errorf("bookmark = %v; want bookmarked", st["bookmarked"])
			}
			obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+id+"/bookmark", nil), 200, "bookmark twice")
			marked = append([]string{id}, marked...)
		}
		if st := getStatus(t, alice, marked[0]); st["bookmarked"] != false {
			t.Errorf("alice sees bookmarked = %v; want false (bookmarks are private)", st["bookmarked"])
		}
		pageThrough(t, in, bob, "/api/v1/bookmarks?limit=2", marked)
		st := obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+marked[1]+"/unbookmark", nil), 200, "unbookmark")
		if st["bookmarked"] != false {
			t.Errorf("unbookmark = %v", st["bookmarked"])
		}
		sameIDs(t, "bookmarks after unbookmark", idsAt(t, bob, "/api/v1/bookmarks"), []string{marked[0], marked[2]})
		if got := idsAt(t, alice, "/api/v1/bookmarks"); len(got) != 0 {
			t.Errorf("alice's bookmarks = %v; want none", got)
		}
		if r := in.Do(t, "", "GET", "/api/v1/bookmarks", nil); r.Status != 401 {
			t.Errorf("anonymous bookmarks = %d; want 401", r.Status)
		}
	})
}

func TestFavouritesList(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		var ids []string
		for range 3 {
			ids = append(ids, say(t, alice, "post"))
		}
		// Favourites are listed by when they were favourited, not by status.
		var faved []string
		for _, i := range []int{1, 0, 2} {
			obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+ids[i]+"/favourite", nil), 200, "favourite")
			faved = append([]string{ids[i]}, faved...)
		}
		pageThrough(t, in, bob, "/api/v1/favourites?limit=2", faved)
		follow(t, bob, alice) // a private status, favourited, then no longer visible after unfollow
		private := post(t, alice, jsonObj{"status": "p", "visibility": "private"})["id"].(string)
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+private+"/favourite", nil), 200, "favourite private")
		obj(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/unfollow", nil), 200, "unfollow")
		sameIDs(t, "favourites after losing sight of one", idsAt(t, bob, "/api/v1/favourites"), faved)
	})
}

// pageThrough follows Link next from path and checks the ids seen, and that prev of
// the second page leads back to the first.
func pageThrough(t *testing.T, in *servertest.Instance, m *servertest.Member, path string, want []string) {
	t.Helper()
	var got []string
	var pages []string
	for next := path; next != "" && len(pages) < 10; {
		r := m.Do(t, "GET", next, nil)
		l := list(t, r, next)
		if len(l) == 0 {
			break
		}
		got = append(got, ids(l)...)
		pages = append(pages, next)
		next = link(t, in, r, "next")
	}
	sameIDs(t, "pages of "+path, got, want)
	if len(pages) < 2 {
		return
	}
	prev := link(t, in, m.Do(t, "GET", pages[1], nil), "prev")
	first := ids(list(t, m.Do(t, "GET", prev, nil), "prev"))
	sameIDs(t, "prev of the second page of "+path, first, got[:len(first)])
	if len(first) == 0 {
		t.Errorf("prev of the second page of %s is empty", path)
	}
}
