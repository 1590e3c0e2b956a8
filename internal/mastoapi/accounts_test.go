package mastoapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestVerifyCredentials(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		me := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")
		conforms(t, "CredentialAccount", me)
		if me["id"] != idOf(alice.Account.ID) || me["username"] != "alice" || me["acct"] != "alice" {
			t.Errorf("verify_credentials = id %v username %v acct %v; want alice", me["id"], me["username"], me["acct"])
		}
		if got := field(me, "source", "privacy"); got != "public" {
			t.Errorf("source.privacy = %v; want public", got)
		}
		if src, _ := me["source"].(map[string]any); src == nil || src["language"] != nil {
			t.Errorf("source.language = %v; want null with no default language", src["language"])
		}
		if got := field(me, "source", "follow_requests_count"); got != 0.0 {
			t.Errorf("source.follow_requests_count = %v; want 0", got)
		}
		if got := field(me, "role", "permissions"); got == nil || got == "" {
			t.Errorf("role = %v; want a role with permissions", me["role"])
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "read:statuses"), "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != 403 {
			t.Errorf("verify_credentials with read:statuses only = %d; want 403", r.Status)
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "profile"), "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != 200 {
			t.Errorf("verify_credentials with profile = %d %s; want 200", r.Status, r.Body)
		}
	})
}

func TestUpdateCredentialsJSON(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		me := obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{
			"display_name": "Alice A.", "note": "I like #Tusk\nand https://example.com", "locked": true, "bot": true,
			"fields_attributes": []jsonObj{{"name": "Pronouns", "value": "she/her"}, {"name": "Site", "value": "https://alice.example"}},
			"source":            jsonObj{"privacy": "unlisted", "language": "fr", "sensitive": true},
		}), 200, "update_credentials")
		conforms(t, "CredentialAccount", me)
		if me["display_name"] != "Alice A." || me["locked"] != true || me["bot"] != true {
			t.Errorf("display_name, locked, bot = %v, %v, %v; want Alice A., true, true", me["display_name"], me["locked"], me["bot"])
		}
		note, _ := me["note"].(string)
		if !strings.HasPrefix(note, "<p>") || !strings.Contains(strings.ToLower(note), `/tags/tusk"`) || !strings.Contains(note, `href="https://example.com"`) || !strings.Contains(note, "<br") {
			t.Errorf("note = %q; want HTML with a hashtag link, a URL link and a line break", note)
		}
		if got := field(me, "source", "note"); got != "I like #Tusk\nand https://example.com" {
			t.Errorf("source.note = %q; want the text as typed", got)
		}
		if f, _ := me["fields"].([]any); len(f) != 2 || field(f[0], "name") != "Pronouns" || field(f[1], "name") != "Site" {
			t.Errorf("fields = %v; want Pronouns, Site", me["fields"])
		}
		if f, _ := field(me, "source", "fields").([]any); len(f) != 2 || field(f[0], "value") != "she/her" {
			t.Errorf("source.fields = %v; want the two fields as typed", field(me, "source", "fields"))
		}
		if p, l, s := field(me, "source", "privacy"), field(me, "source", "language"), field(me, "source", "sensitive"); p != "unlisted" || l != "fr" || s != true {
			t.Errorf("source privacy, language, sensitive = %v, %v, %v; want unlisted, fr, true", p, l, s)
		}
		again := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")
		if again["display_name"] != "Alice A." || again["note"] != me["note"] || field(again, "source", "privacy") != "unlisted" {
			t.Errorf("verify_credentials after update = %v, %v, %v; want the update stored", again["display_name"], again["note"], field(again, "source", "privacy"))
		}
		st := post(t, alice, jsonObj{"status": "default visibility"})
		if st["visibility"] != "unlisted" || st["language"] != "fr" || st["sensitive"] != true {
			t.Errorf("status posted without visibility, language, sensitive = %v, %v, %v; want the defaults unlisted, fr, true",
				st["visibility"], st["language"], st["sensitive"])
		}
		st = post(t, alice, jsonObj{"status": "explicit", "visibility": "public", "language": "de", "sensitive": false})
		if st["visibility"] != "public" || st["language"] != "de" || st["sensitive"] != false {
			t.Errorf("status with explicit visibility, language, sensitive = %v, %v, %v; want public, de, false",
				st["visibility"], st["language"], st["sensitive"])
		}
		// Only what is sent changes.
		me = obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Al"}), 200, "second update")
		if me["display_name"] != "Al" || me["note"] != again["note"] || me["locked"] != true || len(me["fields"].([]any)) != 2 {
			t.Errorf("partial update changed more than display_name: %v", me)
		}
		me = obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"note": "", "fields_attributes": []jsonObj{}}), 200, "clear note")
		if me["note"] != "" || field(me, "source", "note") != "" {
			t.Errorf("cleared note = %q / %q; want empty", me["note"], field(me, "source", "note"))
		}
	})
}

func TestUpdateCredentialsForm(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		form := "display_name=Form+Alice&note=hi+%40nobody&locked=1&discoverable=true&source%5Bprivacy%5D=private" +
			"&fields_attributes%5B0%5D%5Bname%5D=Pronouns&fields_attributes%5B0%5D%5Bvalue%5D=she%2Fher" +
			"&fields_attributes[1][name]=Blank&fields_attributes[1][value]=&fields_attributes[2][name]=&fields_attributes[2][value]="
		me := obj(t, alice.Form(t, "PATCH", "/api/v1/accounts/update_credentials", form), 200, "update_credentials form")
		if me["display_name"] != "Form Alice" || me["locked"] != true || me["discoverable"] != true {
			t.Errorf("display_name, locked, discoverable = %v, %v, %v; want Form Alice, true, true", me["display_name"], me["locked"], me["discoverable"])
		}
		if me["note"] != "<p>hi @nobody</p>" {
			t.Errorf("note = %q; want <p>hi @nobody</p>", me["note"])
		}
		f, _ := me["fields"].([]any)
		if len(f) != 2 || field(f[0], "name") != "Pronouns" || field(f[0], "value") != "she/her" || field(f[1], "name") != "Blank" {
			t.Errorf("fields = %v; want Pronouns=she/her and Blank (an all-empty field is dropped)", me["fields"])
		}
		if field(me, "source", "privacy") != "private" {
			t.Errorf("source.privacy = %v; want private", field(me, "source", "privacy"))
		}

		// Apps that upload avatars send multipart forms.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, kv := range [][2]string{{"display_name", "Multi"}, {"fields_attributes[0][name]", "Only"}, {"fields_attributes[0][value]", "one"}, {"locked", "false"}} {
			mw.WriteField(kv[0], kv[1])
		}
		mw.Close()
		me = obj(t, raw(t, in, alice.Token, "PATCH", "/api/v1/accounts/update_credentials", mw.FormDataContentType(), body.String()), 200, "multipart")
		f, _ = me["fields"].([]any)
		if me["display_name"] != "Multi" || me["locked"] != false || len(f) != 1 || field(f[0], "name") != "Only" {
			t.Errorf("multipart update = %v, locked %v, fields %v; want Multi, false, [Only]", me["display_name"], me["locked"], me["fields"])
		}
	})
}

func TestUpdateCredentialsLimits(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Before"}), 200, "update")
		five := []jsonObj{}
		for i := range 5 {
			five = append(five, jsonObj{"name": fmt.Sprint("f", i), "value": "v"})
		}
		for name, body := range map[string]jsonObj{
			"display name of 31":  {"display_name": strings.Repeat("a", 31)},
			"note of 501":         {"display_name": "After", "note": strings.Repeat("n", 501)},
			"five fields":         {"fields_attributes": five},
			"field name of 256":   {"fields_attributes": []jsonObj{{"name": strings.Repeat("x", 256), "value": "v"}}},
			"field value of 256":  {"fields_attributes": []jsonObj{{"name": "x", "value": strings.Repeat("v", 256)}}},
			"unknown privacy":     {"source": jsonObj{"privacy": "everyone"}},
			"locked not a bool":   {"locked": "perhaps"},
			"display name of 30+": {"display_name": strings.Repeat("é", 31)},
		} {
			msg := errorMessage(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", body), 422, name)
			if !strings.HasPrefix(msg, "Validation failed") {
				t.Errorf("%s: error = %q; want a validation message", name, msg)
			}
		}
		ok := obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": strings.Repeat("é", 30), "note": strings.Repeat("n", 500)}), 200, "at the limits")
		if ok["display_name"] != strings.Repeat("é", 30) {
			t.Errorf("display_name at the limit = %v", ok["display_name"])
		}
		obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Before"}), 200, "reset")
		me := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")
		if me["display_name"] != "Before" || len(me["fields"].([]any)) != 0 || field(me, "source", "privacy") != "public" {
			t.Errorf("after refused updates: display_name %v fields %v privacy %v; want nothing changed", me["display_name"], me["fields"], field(me, "source", "privacy"))
		}
	})
}

func TestGetAccount(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		say(t, alice, "one")
		follow(t, bob, alice)
		for name, token := range map[string]string{"anonymous": "", "bob": bob.Token} {
			acc := obj(t, in.Do(t, token, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID), nil), 200, name+" GET account")
			conforms(t, "Account", acc)
			if acc["username"] != "alice" || acc["statuses_count"] != 1.0 || acc["followers_count"] != 1.0 || acc["following_count"] != 0.0 {
				t.Errorf("%s: account = %v; want alice with 1 status, 1 follower", name, acc)
			}
			if _, leaks := acc["source"]; leaks {
				t.Errorf("%s: another's account shows source", name)
			}
			if acc["url"] != in.Config.BaseURL()+"/@alice" || acc["uri"] != in.Config.BaseURL()+"/users/alice" {
				t.Errorf("url, uri = %v, %v; want %s/@alice, …/users/alice", acc["url"], acc["uri"], in.Config.BaseURL())
			}
		}
		for _, path := range []string{"/api/v1/accounts/12345", "/api/v1/accounts/garbage", "/api/v1/accounts/-1", "/api/v1/accounts/99999999999999999999"} {
			if msg := errorMessage(t, bob.Do(t, "GET", path, nil), 404, "GET "+path); msg != "Record not found" {
				t.Errorf("GET %s error = %q; want Record not found", path, msg)
			}
		}
	})
}

func TestLookupAccount(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		for _, acct := range []string{"alice", "@alice", "Alice", "alice@" + in.Config.LocalDomain, "@alice@" + strings.ToUpper(in.Config.LocalDomain)} {
			acc := obj(t, in.Do(t, "", "GET", "/api/v1/accounts/lookup?acct="+url.QueryEscape(acct), nil), 200, "lookup "+acct)
			if acc["id"] != idOf(alice.Account.ID) {
				t.Errorf("lookup %s = %v; want alice", acct, acc["id"])
			}
		}
		remoteStatus(t, in, "hello")
		for _, acct := range []string{"far@remote.example", "@far@Remote.Example"} {
			acc := obj(t, in.Do(t, "", "GET", "/api/v1/accounts/lookup?acct="+url.QueryEscape(acct), nil), 200, "lookup "+acct)
			if acc["acct"] != "far@remote.example" || acc["url"] != "https://remote.example/@far" {
				t.Errorf("lookup %s = %v, %v; want far@remote.example", acct, acc["acct"], acc["url"])
			}
		}
		for _, acct := range []string{"bob", "alice@elsewhere.example", "far", ""} {
			errorMessage(t, in.Do(t, "", "GET", "/api/v1/accounts/lookup?acct="+url.QueryEscape(acct), nil), 404, "lookup "+acct)
		}
	})
}

func TestSearchAccountsEndpoint(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, alina, bob := in.NewMember(t, "alice"), in.NewMember(t, "alina"), in.NewMember(t, "bob")
		follow(t, bob, alina)
		got := ids(list(t, bob.Do(t, "GET", "/api/v1/accounts/search?q=al", nil), "search al"))
		sameIDs(t, "search al (followed first)", got, []string{idOf(alina.Account.ID), idOf(alice.Account.ID)})
		got = ids(list(t, bob.Do(t, "GET", "/api/v1/accounts/search?q=al&following=true", nil), "search al following"))
		sameIDs(t, "search al following=true", got, []string{idOf(alina.Account.ID)})
		got = ids(list(t, bob.Do(t, "GET", "/api/v1/accounts/search?q=@alice@"+in.Config.LocalDomain, nil), "search full handle"))
		sameIDs(t, "search @alice@domain", got, []string{idOf(alice.Account.ID)})
		got = ids(list(t, bob.Do(t, "GET", "/api/v1/accounts/search?q=al&limit=1", nil), "search limit 1"))
		sameIDs(t, "search limit=1", got, []string{idOf(alina.Account.ID)})
		if r := in.Do(t, "", "GET", "/api/v1/accounts/search?q=al", nil); r.Status != 401 {
			t.Errorf("anonymous accounts/search = %d; want 401", r.Status)
		}
	})
}

// TestAccountStatuses covers the filters and who sees what on a profile.
func TestAccountStatuses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		carol, dave := in.NewMember(t, "carol"), in.NewMember(t, "dave")
		follow(t, bob, alice)
		follow(t, dave, alice)
		bobs := say(t, bob, "bob's post")
		tagged := say(t, alice, "about #Cats")
		reply := post(t, alice, jsonObj{"status": "@bob answer", "in_reply_to_id": bobs})["id"].(string)
		thread := post(t, alice, jsonObj{"status": "more", "in_reply_to_id": tagged})["id"].(string)
		boost := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobs+"/reblog", nil), 200, "boost")["id"].(string)
		private := post(t, alice, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		unlisted := post(t, alice, jsonObj{"status": "quiet", "visibility": "unlisted"})["id"].(string)
		direct := post(t, alice, jsonObj{"status": "@bob secret", "visibility": "direct"})["id"].(string)

		base := "/api/v1/accounts/" + idOf(alice.Account.ID) + "/statuses"
		everyone := []string{unlisted, boost, thread, reply, tagged}
		cases := []struct {
			name  string
			who   *servertest.Member
			query string
			want  []string
		}{
			{"anonymous", nil, "", everyone},
			{"stranger", carol, "", everyone},
			{"follower", dave, "", []string{unlisted, private, boost, thread, reply, tagged}},
			{"mentioned follower", bob, "", []string{direct, unlisted, private, boost, thread, reply, tagged}},
			{"author", alice, "", []string{direct, unlisted, private, boost, thread, reply, tagged}},
			{"exclude_replies", carol, "?exclude_replies=true", []string{unlisted, boost, thread, tagged}},
			{"exclude_reblogs", carol, "?exclude_reblogs=true", []string{unlisted, thread, reply, tagged}},
			{"tagged", carol, "?tagged=cats", []string{tagged}},
			{"tagged with #", carol, "?tagged=%23CATS", []string{tagged}},
			{"only_media", carol, "?only_media=true", []string{}},
			{"pinned", carol, "?pinned=true", []string{}},
			{"limit", carol, "?limit=2", []string{unlisted, boost}},
			{"max_id", carol, "?max_id=" + boost, []string{thread, reply, tagged}},
		}
		for _, c := range cases {
			token := ""
			if c.who != nil {
				token = c.who.Token
			}
			l := list(t, in.Do(t, token, "GET", base+c.query, nil), c.name)
			sameIDs(t, c.name, ids(l), c.want)
			conformsAll(t, "Status", l)
		}
		if r := carol.Do(t, "GET", "/api/v1/accounts/999/statuses", nil); r.Status != 404 {
			t.Errorf("statuses of an unknown account = %d; want 404", r.Status)
		}
		if r := carol.Do(t, "GET", base+"?exclude_replies=maybe", nil); r.Status != 422 {
			t.Errorf("exclude_replies=maybe = %d; want 422", r.Status)
		}
	})
}

func TestFollowersFollowingPages(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		var fans []string
		for i := range 5 {
			m := in.NewMember(t, fmt.Sprint("fan", i))
			follow(t, m, alice)
			follow(t, alice, m)
			fans = append([]string{idOf(m.Account.ID)}, fans...) // newest follow first
		}
		for _, which := range []string{"followers", "following"} {
			path := "/api/v1/accounts/" + idOf(alice.Account.ID) + "/" + which + "?limit=2"
			var got []string
			var pages int
			first := ""
			for path != "" && pages < 10 {
				r := in.Do(t, "", "GET", path, nil)
				page := list(t, r, which)
				conformsAll(t, "Account", page)
				if len(page) == 0 {
					break
				}
				if pages == 0 {
					first = link(t, in, r, "prev")
				}
				got = append(got, ids(page)...)
				path = link(t, in, r, "next")
				pages++
			}
			sameIDs(t, which+" followed through Link next", got, fans)
			if pages != 3 {
				t.Errorf("%s took %d pages of 2; want 3", which, pages)
			}
			if first == "" {
				t.Errorf("%s: first page has no prev link", which)
			} else if l := list(t, in.Do(t, "", "GET", first, nil), "prev of first"); len(l) != 0 {
				t.Errorf("%s: prev of the first page = %v; want nothing newer", which, ids(l))
			}
		}
		// min_id pages forward from the oldest follow.
		r := in.Do(t, "", "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/followers?limit=2", nil)
		r2 := in.Do(t, "", "GET", link(t, in, r, "next"), nil)
		back := ids(list(t, in.Do(t, "", "GET", link(t, in, r2, "prev"), nil), "prev of second page"))
		sameIDs(t, "prev of the second page", back, fans[:2])
	})
}

func TestFollowUnlocked(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		rel := follow(t, bob, alice)
		conforms(t, "Relationship", rel)
		if rel["id"] != idOf(alice.Account.ID) || rel["following"] != true || rel["requested"] != false || rel["showing_reblogs"] != true || rel["notifying"] != false {
			t.Errorf("follow relationship = %v; want following, showing reblogs, not notifying", rel)
		}
		acc := obj(t, bob.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID), nil), 200, "alice")
		if acc["followers_count"] != 1.0 {
			t.Errorf("alice followers_count = %v; want 1", acc["followers_count"])
		}
		// Following again changes only the options.
		rel = obj(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/follow", jsonObj{"reblogs": false, "notify": true}), 200, "refollow")
		if rel["following"] != true || rel["showing_reblogs"] != false || rel["notifying"] != true {
			t.Errorf("refollow with options = %v; want following, not showing reblogs, notifying", rel)
		}
		acc = obj(t, bob.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID), nil), 200, "alice")
		if acc["followers_count"] != 1.0 {
			t.Errorf("followers_count after refollow = %v; want still 1", acc["followers_count"])
		}
		rels := list(t, alice.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+idOf(bob.Account.ID), nil), "relationships")
		if len(rels) != 1 || rels[0]["followed_by"] != true || rels[0]["following"] != false {
			t.Errorf("alice's relationship to bob = %v; want followed_by", rels)
		}
		notes := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications")
		if len(notes) != 1 || notes[0]["type"] != "follow" || field(notes[0], "account", "id") != idOf(bob.Account.ID) {
			t.Errorf("alice's notifications = %v; want one follow from bob", notes)
		}
		if msg := errorMessage(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/follow", nil), 422, "follow yourself"); !strings.Contains(msg, "yourself") {
			t.Errorf("follow yourself error = %q", msg)
		}
		errorMessage(t, bob.Do(t, "POST", "/api/v1/accounts/424242/follow", nil), 404, "follow unknown")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/accounts/nope/follow", nil), 404, "follow garbage id")
	})
}

func TestFollowLocked(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		carol, alice, dave := in.NewMember(t, "carol"), in.NewMember(t, "alice"), in.NewMember(t, "dave")
		obj(t, carol.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"locked": true}), 200, "lock")
		priv := post(t, carol, jsonObj{"status": "for followers", "visibility": "private"})["id"].(string)
		carolPath := "/api/v1/accounts/" + idOf(carol.Account.ID)

		for _, m := range []*servertest.Member{alice, dave} {
			rel := follow(t, m, carol)
			if rel["following"] != false || rel["requested"] != true {
				t.Errorf("%s requests carol: %v; want requested, not following", m.Account.Username, rel)
			}
		}
		notes := list(t, carol.Do(t, "GET", "/api/v1/notifications", nil), "carol's notifications")
		if len(notes) != 2 || notes[0]["type"] != "follow_request" || notes[1]["type"] != "follow_request" {
			t.Errorf("carol's notifications = %s; want two follow_request", ids(notes))
		}
		reqs := list(t, carol.Do(t, "GET", "/api/v1/follow_requests", nil), "follow_requests")
		sameIDs(t, "follow_requests", ids(reqs), []string{idOf(dave.Account.ID), idOf(alice.Account.ID)})
		me := obj(t, carol.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "verify_credentials")
		if got := field(me, "source", "follow_requests_count"); got != 2.0 {
			t.Errorf("follow_requests_count = %v; want 2", got)
		}
		if r := alice.Do(t, "GET", "/api/v1/statuses/"+priv, nil); r.Status != 404 {
			t.Errorf("requester reads a private status = %d; want 404 before acceptance", r.Status)
		}

		rel := obj(t, carol.Do(t, "POST", "/api/v1/follow_requests/"+idOf(alice.Account.ID)+"/authorize", nil), 200, "authorize")
		if rel["id"] != idOf(alice.Account.ID) || rel["followed_by"] != true || rel["requested_by"] != false {
			t.Errorf("authorize = %v; want followed_by alice", rel)
		}
		rel = obj(t, carol.Do(t, "POST", "/api/v1/follow_requests/"+idOf(dave.Account.ID)+"/reject", nil), 200, "reject")
		if rel["followed_by"] != false || rel["requested_by"] != false {
			t.Errorf("reject = %v; want neither", rel)
		}
		for m, wantFollowing := range map[*servertest.Member]bool{alice: true, dave: false} {
			rels := list(t, m.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+idOf(carol.Account.ID), nil), "relationships")
			if len(rels) != 1 || rels[0]["following"] != wantFollowing || rels[0]["requested"] != false {
				t.Errorf("%s's relationship to carol = %v; want following=%v, requested=false", m.Account.Username, rels, wantFollowing)
			}
		}
		if got := idsAt(t, carol, "/api/v1/follow_requests"); len(got) != 0 {
			t.Errorf("follow_requests after answering = %v; want none", got)
		}
		sameIDs(t, "carol's followers", idsAt(t, carol, carolPath+"/followers"), []string{idOf(alice.Account.ID)})
		if r := alice.Do(t, "GET", "/api/v1/statuses/"+priv, nil); r.Status != 200 {
			t.Errorf("accepted follower reads a private status = %d; want 200", r.Status)
		}
		if home := idsAt(t, alice, "/api/v1/timelines/home"); !slices.Contains(home, priv) {
			t.Errorf("accepted follower's home = %v; want carol's private status backfilled", home)
		}
		errorMessage(t, carol.Do(t, "POST", "/api/v1/follow_requests/"+idOf(dave.Account.ID)+"/authorize", nil), 404, "authorize a rejected request")
		errorMessage(t, carol.Do(t, "POST", "/api/v1/follow_requests/"+idOf(dave.Account.ID)+"/reject", nil), 404, "reject twice")

		// Withdrawing a request: unfollow while requested.
		follow(t, dave, carol)
		rel = obj(t, dave.Do(t, "POST", carolPath+"/unfollow", nil), 200, "withdraw")
		if rel["requested"] != false || rel["following"] != false {
			t.Errorf("withdrawn request = %v; want neither", rel)
		}
		if got := idsAt(t, carol, "/api/v1/follow_requests"); len(got) != 0 {
			t.Errorf("follow_requests after withdrawal = %v; want none", got)
		}
	})
}

func TestUnfollowClearsHome(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		early := say(t, alice, "before the follow")
		follow(t, bob, alice)
		later := say(t, alice, "after the follow")
		own := say(t, bob, "bob's own")
		sameIDs(t, "bob's home while following", idsAt(t, bob, "/api/v1/timelines/home"), []string{own, later, early})
		rel := obj(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/unfollow", nil), 200, "unfollow")
		if rel["following"] != false {
			t.Errorf("unfollow relationship = %v; want not following", rel)
		}
		sameIDs(t, "bob's home after unfollow", idsAt(t, bob, "/api/v1/timelines/home"), []string{own})
		acc := obj(t, bob.Do(t, "GET", "/api/v1/accounts/"+idOf(alice.Account.ID), nil), 200, "alice")
		if acc["followers_count"] != 0.0 {
			t.Errorf("followers_count after unfollow = %v; want 0", acc["followers_count"])
		}
		obj(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/unfollow", nil), 200, "unfollow twice")
		errorMessage(t, bob.Do(t, "POST", "/api/v1/accounts/77777/unfollow", nil), 404, "unfollow unknown")
	})
}

func TestRelationships(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, alice, bob)
		follow(t, carol, alice)
		q := "?id[]=" + idOf(bob.Account.ID) + "&id[]=" + idOf(carol.Account.ID) + "&id[]=" + idOf(alice.Account.ID)
		rels := list(t, alice.Do(t, "GET", "/api/v1/accounts/relationships"+q, nil), "relationships")
		conformsAll(t, "Relationship", rels)
		sameIDs(t, "relationships order", ids(rels), []string{idOf(bob.Account.ID), idOf(carol.Account.ID), idOf(alice.Account.ID)})
		if len(rels) == 3 {
			if rels[0]["following"] != true || rels[0]["followed_by"] != false {
				t.Errorf("alice→bob = %v; want following", rels[0])
			}
			if rels[1]["following"] != false || rels[1]["followed_by"] != true {
				t.Errorf("alice→carol = %v; want followed_by", rels[1])
			}
		}
		single := list(t, alice.Do(t, "GET", "/api/v1/accounts/relationships?id="+idOf(bob.Account.ID), nil), "relationships id=")
		sameIDs(t, "relationships with id=", ids(single), []string{idOf(bob.Account.ID)})
		unknown := list(t, alice.Do(t, "GET", "/api/v1/accounts/relationships?id[]=77777&id[]="+idOf(bob.Account.ID), nil), "relationships unknown")
		sameIDs(t, "relationships with an unknown id", ids(unknown), []string{idOf(bob.Account.ID)})
		form := list(t, alice.Do(t, "GET", "/api/v1/accounts/relationships?id[]=junk", nil), "relationships junk")
		if len(form) != 0 {
			t.Errorf("relationships of a malformed id = %v; want none", form)
		}
		if r := in.Do(t, "", "GET", "/api/v1/accounts/relationships"+q, nil); r.Status != 401 {
			t.Errorf("anonymous relationships = %d; want 401", r.Status)
		}
	})
}
