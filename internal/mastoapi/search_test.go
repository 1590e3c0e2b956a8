package mastoapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// searchResult is a decoded /api/v2/search answer.
type searchResult struct {
	Accounts jsonList `json:"accounts"`
	Statuses jsonList `json:"statuses"`
	Hashtags jsonList `json:"hashtags"`
}

func search(t *testing.T, in *servertest.Instance, token, query string) searchResult {
	t.Helper()
	r := in.Do(t, token, "GET", "/api/v2/search?"+query, nil)
	want(t, r, 200, "search "+query)
	var res searchResult
	r.JSON(t, &res)
	if res.Accounts == nil || res.Statuses == nil || res.Hashtags == nil {
		t.Errorf("search %s = %s; want all three lists, empty or not", query, r.Body)
	}
	return res
}

func TestSearchStatuses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, carol, bob)
		pub := say(t, alice, "The quick Zebra jumps")
		other := say(t, alice, "a zebra crossing, slowly")
		priv := post(t, bob, jsonObj{"status": "zebra for my followers", "visibility": "private"})["id"].(string)
		dm := post(t, bob, jsonObj{"status": "@alice zebra secret", "visibility": "direct"})["id"].(string)
		cw := post(t, bob, jsonObj{"status": "hidden body", "spoiler_text": "zebra warning"})["id"].(string)
		obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+pub+"/reblog", nil), 200, "boost")

		cases := []struct {
			who   *servertest.Member
			query string
			want  []string
		}{
			{nil, "q=zebra", []string{cw, other, pub}},
			{alice, "q=zebra", []string{cw, dm, other, pub}},
			{carol, "q=ZEBRA&type=statuses", []string{cw, priv, other, pub}},
			{bob, "q=zebra", []string{cw, dm, priv, other, pub}},
			{carol, "q=quick+zebra", []string{pub}},
			{carol, "q=zebra&limit=2", []string{cw, priv}},
			{carol, "q=zebra&limit=2&offset=2", []string{other, pub}},
			{carol, "q=zebra&account_id=" + idOf(alice.Account.ID), []string{other, pub}},
			{carol, "q=zebra&type=accounts", []string{}},
			{carol, "q=elephant", []string{}},
			{carol, "q=" + url.QueryEscape(`zebra" OR "x`), []string{}},
		}
		for _, c := range cases {
			token, name := "", "anonymous"
			if c.who != nil {
				token, name = c.who.Token, c.who.Account.Username
			}
			res := search(t, in, token, c.query)
			sameIDs(t, name+" search "+c.query, ids(res.Statuses), c.want)
			conformsAll(t, "Status", res.Statuses)
		}
	})
}

func TestSearchAccountsAndHashtags(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, alfred, bob := in.NewMember(t, "alice"), in.NewMember(t, "alfred"), in.NewMember(t, "bob")
		obj(t, alfred.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"display_name": "Fred the Zebra"}), 200, "rename")
		follow(t, bob, alfred)
		say(t, alice, "#Zebras are #ZebraCrossing fans")
		say(t, bob, "#zebras again")

		res := search(t, in, bob.Token, "q=al")
		sameIDs(t, "accounts al", ids(res.Accounts), []string{idOf(alfred.Account.ID), idOf(alice.Account.ID)})
		conformsAll(t, "Account", res.Accounts)
		res = search(t, in, bob.Token, "q=al&following=true&type=accounts")
		sameIDs(t, "accounts al following", ids(res.Accounts), []string{idOf(alfred.Account.ID)})
		if len(res.Hashtags)+len(res.Statuses) != 0 {
			t.Errorf("type=accounts returned hashtags or statuses: %v %v", res.Hashtags, res.Statuses)
		}
		res = search(t, in, "", "q="+url.QueryEscape("@alice@"+in.Config.LocalDomain))
		sameIDs(t, "accounts by full handle", ids(res.Accounts), []string{idOf(alice.Account.ID)})
		if len(res.Hashtags) != 0 {
			t.Errorf("a handle query found hashtags %v", res.Hashtags)
		}
		res = search(t, in, "", "q=zebra&type=accounts")
		sameIDs(t, "accounts by display name", ids(res.Accounts), []string{idOf(alfred.Account.ID)})

		res = search(t, in, "", "q=zebra&type=hashtags")
		conformsAll(t, "Tag", res.Hashtags)
		var names []string
		for _, h := range res.Hashtags {
			names = append(names, strings.ToLower(h["name"].(string)))
		}
		if strings.Join(names, ",") != "zebras,zebracrossing" {
			t.Errorf("hashtags for zebra = %v; want zebras (used twice) then zebracrossing", names)
		}
		if len(res.Hashtags) > 0 {
			hist, _ := res.Hashtags[0]["history"].([]any)
			if len(hist) != 7 || field(hist[0], "uses") != "2" || field(hist[0], "accounts") != "2" {
				t.Errorf("zebras history = %v; want 7 days, today 2 uses by 2 accounts", hist)
			}
		}
		res = search(t, in, "", "q=%23ZEBRAS&type=hashtags")
		if len(res.Hashtags) != 1 {
			t.Errorf("#ZEBRAS hashtags = %v; want exactly zebras", res.Hashtags)
		}
		tag := obj(t, in.Do(t, "", "GET", "/api/v1/tags/ZEBRAS", nil), 200, "GET tag")
		conforms(t, "Tag", tag)
		if !strings.EqualFold(tag["name"].(string), "zebras") {
			t.Errorf("GET tag = %v", tag["name"])
		}
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/tags/unicorns", nil), 404, "unknown tag")
	})
}

func TestSearchAnonymousLimits(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		say(t, alice, "findable")
		if res := search(t, in, "", "q=findable"); len(res.Statuses) != 1 {
			t.Errorf("anonymous search = %v; want the public status", ids(res.Statuses))
		}
		for _, q := range []string{"q=findable&offset=1", "q=findable&resolve=true", "q=findable&resolve=1"} {
			if r := in.Do(t, "", "GET", "/api/v2/search?"+q, nil); r.Status != 401 {
				t.Errorf("anonymous search %s = %d; want 401", q, r.Status)
			}
		}
		if res := search(t, in, alice.Token, "q=findable&resolve=true&offset=0"); len(res.Statuses) != 1 {
			t.Errorf("signed-in search with resolve = %v", ids(res.Statuses))
		}
		if res := search(t, in, alice.Token, "q=+"); len(res.Statuses)+len(res.Accounts)+len(res.Hashtags) != 0 {
			t.Errorf("blank query found %v", res)
		}
		errorMessage(t, alice.Do(t, "GET", "/api/v2/search?q=x&type=people", nil), 422, "bad type")
		if r := in.Do(t, in.Token(t, &alice.User.ID, "write"), "GET", "/api/v2/search?q=x", nil); r.Status != 403 {
			t.Errorf("search with a write-only token = %d; want 403", r.Status)
		}
	})
}

// TestLocalDomainAnyCase checks that handles naming this instance match in any case,
// wherever a handle is accepted.
func TestLocalDomainAnyCase(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.LocalDomain, c.WebDomain = "social.example", "social.example" })
			fastPasswords(in)
			alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
			res := search(t, in, bob.Token, "q="+url.QueryEscape("@alice@Social.Example")+"&type=accounts")
			sameIDs(t, "search @alice@Social.Example", ids(res.Accounts), []string{idOf(alice.Account.ID)})
			got := ids(list(t, bob.Do(t, "GET", "/api/v1/accounts/search?q="+url.QueryEscape("alice@SOCIAL.EXAMPLE"), nil), "accounts/search"))
			sameIDs(t, "accounts/search alice@SOCIAL.EXAMPLE", got, []string{idOf(alice.Account.ID)})
			acc := obj(t, bob.Do(t, "GET", "/api/v1/accounts/lookup?acct=alice@SOCIAL.example", nil), 200, "lookup")
			if acc["id"] != idOf(alice.Account.ID) {
				t.Errorf("lookup alice@SOCIAL.example = %v", acc["id"])
			}
			st := post(t, bob, jsonObj{"status": "hi @alice@Social.EXAMPLE"})
			if m, _ := st["mentions"].([]any); len(m) != 1 || field(m[0], "id") != idOf(alice.Account.ID) {
				t.Errorf("mention of @alice@Social.EXAMPLE = %v; want alice", st["mentions"])
			}
		})
	}
}
