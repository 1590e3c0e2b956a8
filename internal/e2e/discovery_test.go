package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// TestDiscoveryWithMastodonClient follows a hashtag, reads it in the home timeline, reads
// trends and an announcement, with go-mastodon where it has the call and plain HTTP where
// it has none (announcements).
func TestDiscoveryWithMastodonClient(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) {
				c.Registrations = config.RegistrationsOpen
				c.Discovery.TrendsRequireReview = false
			})
			ctx := context.Background()
			app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
			if err != nil {
				t.Fatalf("RegisterApp: %v", err)
			}
			signUp(t, in, app, "alice")
			signUp(t, in, app, "bob")
			alice, bob := logIn(t, in, app, "alice"), logIn(t, in, app, "bob")
			tagged := checkFollowedTag(t, alice, bob)
			checkTrendingStatuses(t, in, alice, bob, tagged)
			checkAnnouncements(t, in, alice)
		})
	}
}

// checkFollowedTag: alice follows #fediverse; bob, whom she does not follow, posts with it.
func checkFollowedTag(t *testing.T, alice, bob *mastodon.Client) *mastodon.Status {
	ctx := context.Background()
	tag, err := alice.TagFollow(ctx, "Fediverse")
	if err != nil || tag.Name != "fediverse" || !tag.Following {
		t.Fatalf("TagFollow = %+v, %v", tag, err)
	}
	if info, err := alice.TagInfo(ctx, "fediverse"); err != nil || !info.Following || len(info.History) != 7 {
		t.Errorf("TagInfo = %+v, %v; want following with 7 days of history", info, err)
	}
	followed, err := alice.GetFollowedTags(ctx, nil)
	if err != nil || len(followed) != 1 || followed[0].Name != "fediverse" {
		t.Errorf("GetFollowedTags = %+v, %v", followed, err)
	}
	st, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "hello #fediverse", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	if !homeHas(t, alice, st.ID) {
		t.Errorf("alice's home lacks bob's #fediverse post")
	}
	if tag, err := alice.TagUnfollow(ctx, "fediverse"); err != nil || tag.Following {
		t.Errorf("TagUnfollow = %+v, %v", tag, err)
	}
	if homeHas(t, alice, st.ID) {
		t.Errorf("alice's home still shows bob's #fediverse post after unfollowing")
	}
	return st
}

func homeHas(t *testing.T, c *mastodon.Client, id mastodon.ID) bool {
	t.Helper()
	home, err := c.GetTimelineHome(context.Background(), nil)
	if err != nil {
		t.Fatalf("home: %v", err)
	}
	return slices.ContainsFunc(home, func(s *mastodon.Status) bool { return s.ID == id })
}

// checkTrendingStatuses: a status favourited and boosted by two members trends.
func checkTrendingStatuses(t *testing.T, in *servertest.Instance, alice, bob *mastodon.Client, st *mastodon.Status) {
	ctx := context.Background()
	app := mustApp(t, in)
	signUp(t, in, app, "carol")
	carol := logIn(t, in, app, "carol")
	if _, err := alice.Favourite(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := carol.Reblog(ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	if err := in.Social.RefreshTrends(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	trending, err := bob.GetTrendingStatuses(ctx, nil)
	if err != nil || len(trending) != 1 || trending[0].ID != st.ID {
		t.Errorf("GetTrendingStatuses = %v, %v; want bob's status", trending, err)
	}
}

func mustApp(t *testing.T, in *servertest.Instance) *mastodon.Application {
	t.Helper()
	app, err := mastodon.RegisterApp(context.Background(), &mastodon.AppConfig{Server: in.URL, ClientName: "second", Scopes: "read write follow"})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// checkAnnouncements reads and dismisses an announcement as a client would.
func checkAnnouncements(t *testing.T, in *servertest.Instance, c *mastodon.Client) {
	a, err := in.Social.CreateAnnouncement(context.Background(), social.NewAnnouncement{Text: "Welcome to the #fediverse"})
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID      string `json:"id"`
		Content string `json:"content"`
		Read    bool   `json:"read"`
	}
	call(t, in, c, "GET", "/api/v1/announcements", &list)
	if len(list) != 1 || list[0].Read || list[0].Content == "" {
		t.Fatalf("announcements = %+v; want one unread", list)
	}
	call(t, in, c, "POST", "/api/v1/announcements/"+list[0].ID+"/dismiss", nil)
	call(t, in, c, "GET", "/api/v1/announcements", &list)
	if len(list) != 1 || !list[0].Read || list[0].ID == "" || a.ID == 0 {
		t.Errorf("announcements after dismiss = %+v; want read", list)
	}
}

// call sends an authenticated request with c's token and decodes a 200 answer into v.
func call(t *testing.T, in *servertest.Instance, c *mastodon.Client, method, path string, v any) {
	t.Helper()
	req, _ := http.NewRequest(method, in.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.Config.AccessToken)
	resp := in.Send(t, req)
	if resp.Status != http.StatusOK {
		t.Fatalf("%s %s = %d %s", method, path, resp.Status, resp.Body)
	}
	if v != nil {
		if err := json.Unmarshal(resp.Body, v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}
