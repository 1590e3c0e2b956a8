// Package e2e drives a real tusk instance, over HTTP on loopback, with a third-party
// Mastodon client library (github.com/mattn/go-mastodon), as a member's app would.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

const password = "correct horse battery staple"

func TestMastodonClientLibrary(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			runScenario(t, in)
		})
	}
}

// runScenario is a member's day: register the app, sign up, log in, post, follow,
// read timelines page by page, favourite, boost, reply, get notified, search, delete.
func runScenario(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	signUp(t, in, app, "alice")
	signUp(t, in, app, "bob")
	alice, bob := logIn(t, in, app, "alice"), logIn(t, in, app, "bob")

	me, err := alice.GetAccountCurrentUser(ctx)
	if err != nil || me.Username != "alice" {
		t.Fatalf("verify_credentials = %+v, %v", me, err)
	}
	if _, err := bob.AccountFollow(ctx, me.ID); err != nil {
		t.Fatalf("follow: %v", err)
	}
	posted := postMany(t, alice, 25)
	readHomeInPages(t, bob, posted)
	interact(t, alice, bob, posted[len(posted)-1])
	checkSearch(t, bob, posted[0])
	checkDelete(t, alice, bob, posted[len(posted)-1])
}

// signUp registers through POST /api/v1/accounts with an app token that asked for
// write scope, as apps do; go-mastodon has no call for either, so these are plain HTTP.
func signUp(t *testing.T, in *servertest.Instance, app *mastodon.Application, username string) {
	t.Helper()
	appToken := postForm(t, in, "", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read write"}})
	form := url.Values{"username": {username}, "email": {username + "@example.com"}, "password": {password},
		"agreement": {"true"}, "locale": {"en"}}
	if tok := postForm(t, in, appToken, "/api/v1/accounts", form); tok == "" {
		t.Fatalf("sign up %s: no token", username)
	}
	// The member would follow the link of the confirmation mail (internal/authpages
	// tests that path); here the address is confirmed directly.
	ctx := context.Background()
	u, err := in.Store.UserByEmail(ctx, username+"@example.com")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	u.ConfirmedAt = &now
	if err := in.Store.Writer().UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
}

// postForm posts a form and returns the access_token of the response.
func postForm(t *testing.T, in *servertest.Instance, token, path string, form url.Values) string {
	t.Helper()
	req, _ := http.NewRequest("POST", in.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp := in.Send(t, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &tok) != nil {
		t.Fatalf("POST %s: %d %s", path, resp.Status, resp.Body)
	}
	return tok.AccessToken
}

// logIn uses the password grant (username = e-mail), as go-mastodon's Authenticate does.
func logIn(t *testing.T, in *servertest.Instance, app *mastodon.Application, username string) *mastodon.Client {
	t.Helper()
	c := mastodon.NewClient(&mastodon.Config{Server: in.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := c.Authenticate(context.Background(), username+"@example.com", password); err != nil {
		t.Fatalf("log in %s: %v", username, err)
	}
	return c
}

func postMany(t *testing.T, c *mastodon.Client, n int) []*mastodon.Status {
	t.Helper()
	var out []*mastodon.Status
	for i := 0; i < n; i++ {
		st, err := c.PostStatus(context.Background(), &mastodon.Toot{Status: fmt.Sprintf("post number %d #e2e", i), Visibility: "public"})
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		out = append(out, st)
	}
	return out
}

// readHomeInPages follows the Link header through the home timeline and expects every
// post, newest first, exactly once.
func readHomeInPages(t *testing.T, c *mastodon.Client, posted []*mastodon.Status) {
	t.Helper()
	pg := &mastodon.Pagination{Limit: 10}
	var seen []mastodon.ID
	for page := 0; page < 5; page++ {
		list, err := c.GetTimelineHome(context.Background(), pg)
		if err != nil {
			t.Fatalf("home page %d: %v", page, err)
		}
		for _, st := range list {
			seen = append(seen, st.ID)
		}
		if len(list) == 0 || pg.MaxID == "" {
			break
		}
		pg.Limit = 10
	}
	if len(seen) != len(posted) {
		t.Fatalf("home pages held %d statuses; want %d", len(seen), len(posted))
	}
	for i, id := range seen {
		if want := posted[len(posted)-1-i].ID; id != want {
			t.Fatalf("home[%d] = %s; want %s", i, id, want)
		}
	}
}

func interact(t *testing.T, alice, bob *mastodon.Client, st *mastodon.Status) {
	t.Helper()
	ctx := context.Background()
	if fav, err := bob.Favourite(ctx, st.ID); err != nil || fav.FavouritesCount != 1 || fav.Favourited != true {
		t.Fatalf("favourite = %+v, %v", fav, err)
	}
	if boost, err := bob.Reblog(ctx, st.ID); err != nil || boost.Reblog == nil || boost.Reblog.ID != st.ID {
		t.Fatalf("reblog = %+v, %v", boost, err)
	}
	reply, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "@alice nice one", InReplyToID: st.ID, Visibility: "public"})
	if err != nil || fmt.Sprint(reply.InReplyToID) != string(st.ID) {
		t.Fatalf("reply = %+v, %v", reply, err)
	}
	thread, err := alice.GetStatusContext(ctx, st.ID)
	if err != nil || len(thread.Descendants) != 1 || thread.Descendants[0].ID != reply.ID {
		t.Fatalf("context = %+v, %v", thread, err)
	}
	notes, err := alice.GetNotifications(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, n := range notes {
		types = append(types, n.Type)
	}
	if got := strings.Join(types, ","); got != "mention,reblog,favourite,follow" {
		t.Fatalf("alice's notifications = %s; want mention,reblog,favourite,follow", got)
	}
	tagged, err := bob.GetTimelineHashtag(ctx, "E2E", false, &mastodon.Pagination{Limit: 40})
	if err != nil || len(tagged) != 25 {
		t.Fatalf("hashtag timeline: %d statuses, %v; want 25", len(tagged), err)
	}
}

func checkSearch(t *testing.T, c *mastodon.Client, st *mastodon.Status) {
	t.Helper()
	res, err := c.Search(context.Background(), "number 0", false)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	found := false
	for _, s := range res.Statuses {
		found = found || s.ID == st.ID
	}
	if !found {
		t.Errorf("search for %q did not find status %s (%d results)", "number 0", st.ID, len(res.Statuses))
	}
	accounts, err := c.AccountsSearch(context.Background(), "ali", 5)
	if err != nil || len(accounts) != 1 || accounts[0].Username != "alice" {
		t.Errorf("account search = %v, %v; want alice", accounts, err)
	}
}

func checkDelete(t *testing.T, alice, bob *mastodon.Client, st *mastodon.Status) {
	t.Helper()
	ctx := context.Background()
	if err := alice.DeleteStatus(ctx, st.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := bob.GetStatus(ctx, st.ID); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("deleted status still readable: %v", err)
	}
	home, err := bob.GetTimelineHome(ctx, &mastodon.Pagination{Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range home {
		if s.ID == st.ID || (s.Reblog != nil && s.Reblog.ID == st.ID) {
			t.Errorf("deleted status %s still in home timeline", st.ID)
		}
	}
}
