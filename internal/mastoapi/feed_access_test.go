package mastoapi_test

import (
	"context"
	"testing"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestFeedAccess(t *testing.T) {
	enginesWith(t, func(c *config.Config) {
		c.Instance.LocalLiveFeeds, c.Instance.RemoteTopicFeeds = config.FeedAuthenticated, config.FeedDisabled
	}, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		_, u, err := in.Accounts.Create(context.Background(), accounts.CreateParams{Username: "boss", Email: "boss@example.com",
			Password: "boss password", Role: model.RoleAdmin, Confirmed: true, Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		boss := in.Token(t, &u.ID)
		local := say(t, alice, "local #cats")
		remote := remoteStatus(t, in, "remote")

		v2 := obj(t, in.Do(t, "", "GET", "/api/v2/instance", nil), 200, "instance v2")
		access := field(v2, "configuration", "timelines_access")
		if field(access, "live_feeds", "local") != "authenticated" || field(access, "live_feeds", "remote") != "public" ||
			field(access, "hashtag_feeds", "remote") != "disabled" || field(access, "trending_link_feeds", "local") != "public" {
			t.Errorf("timelines_access = %v", access)
		}

		const public = "/api/v1/timelines/public"
		errorMessage(t, in.Do(t, "", "GET", public, nil), 422, "visitor reading a feed with members-only local posts")
		errorMessage(t, in.Do(t, "", "GET", public+"?local=true", nil), 422, "visitor reading the local feed")
		errorMessage(t, in.Do(t, in.Token(t, nil, "read"), "GET", public, nil), 422, "app token reading it")
		sameIDs(t, "visitor's remote feed", idsAtAs(t, nil, in, public+"?remote=true"), []string{remote})
		sameIDs(t, "member's feed", idsAtAs(t, alice, in, public), []string{remote, local})

		settings := &in.Social.Config.Instance
		settings.LocalLiveFeeds, settings.RemoteLiveFeeds = config.FeedPublic, config.FeedDisabled
		sameIDs(t, "visitor's local feed", idsAtAs(t, nil, in, public+"?local=true"), []string{local})
		errorMessage(t, in.Do(t, "", "GET", public, nil), 422, "visitor reading a feed with staff-only remote posts")
		sameIDs(t, "member's feed without remote posts", idsAtAs(t, alice, in, public), []string{local})
		sameIDs(t, "member's remote feed", idsAtAs(t, alice, in, public+"?remote=true"), []string{})
		sameIDs(t, "admin's feed", ids(list(t, in.Do(t, boss, "GET", public, nil), "admin's feed")), []string{remote, local})

		const tag = "/api/v1/timelines/tag/cats"
		sameIDs(t, "visitor's local tag feed", idsAtAs(t, nil, in, tag+"?local=true"), []string{local})
		errorMessage(t, in.Do(t, "", "GET", tag, nil), 422, "visitor reading a tag feed with staff-only remote posts")
		sameIDs(t, "member's tag feed", idsAtAs(t, alice, in, tag), []string{local})
		settings.LocalTopicFeeds = config.FeedDisabled
		sameIDs(t, "member's tag feed, all disabled", idsAtAs(t, alice, in, tag), []string{})
		sameIDs(t, "admin's tag feed", ids(list(t, in.Do(t, boss, "GET", tag, nil), "admin's tag feed")), []string{local})
	})
}

// idsAtAs is idsAt for a member or, with m nil, a visitor.
func idsAtAs(t *testing.T, m *servertest.Member, in *servertest.Instance, path string) []string {
	t.Helper()
	token := ""
	if m != nil {
		token = m.Token
	}
	return ids(list(t, in.Do(t, token, "GET", path, nil), "GET "+path))
}
