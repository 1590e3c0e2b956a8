package mastoapi_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
)

// refreshTrends runs the periodic trends computation now.
func refreshTrends(t *testing.T, in *servertest.Instance) {
	t.Helper()
	if err := in.Social.RefreshTrends(context.Background(), time.Now()); err != nil {
		t.Fatalf("refresh trends: %v", err)
	}
}

func review(t *testing.T, in *servertest.Instance, kind, target string, allowed bool) {
	t.Helper()
	if err := in.Social.ReviewTrend(context.Background(), kind, target, allowed); err != nil {
		t.Fatalf("review %s %s: %v", kind, target, err)
	}
}

func TestTrendingTags(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		for _, m := range []*servertest.Member{alice, bob, carol} {
			say(t, m, "#popular today")
		}
		say(t, alice, "#modest")
		say(t, bob, "#modest too")
		say(t, alice, "#lonely #lonely")
		say(t, alice, "#lonely once more")
		post(t, bob, jsonObj{"status": "#hidden", "visibility": "unlisted"})
		post(t, carol, jsonObj{"status": "#hidden", "visibility": "unlisted"})
		refreshTrends(t, in)

		if got := list(t, in.Do(t, "", "GET", "/api/v1/trends/tags", nil), "trends before review"); len(got) != 0 {
			t.Errorf("trends before any review = %v; want none, review is required by default", tagNames(got))
		}
		for _, name := range []string{"popular", "modest", "lonely", "hidden"} {
			review(t, in, model.TrendTag, name, true)
		}
		got := list(t, in.Do(t, "", "GET", "/api/v1/trends/tags", nil), "trends")
		conformsAll(t, "Tag", got)
		if names := tagNames(got); names != "popular,modest" {
			t.Errorf("trending tags = %s; want popular (3 authors) then modest (2), not a tag one author repeats nor unlisted ones", names)
		}
		if h, _ := got[0]["history"].([]any); len(h) != 7 || field(h[0], "uses") != "3" || field(h[0], "accounts") != "3" {
			t.Errorf("popular history = %v; want 7 days, today 3 uses by 3 accounts", got[0]["history"])
		}
		r := in.Do(t, "", "GET", "/api/v1/trends/tags?limit=1", nil)
		if page := list(t, r, "trends limit 1"); tagNames(page) != "popular" {
			t.Errorf("trends limit=1 = %s", tagNames(page))
		}
		if next := link(t, in, r, "next"); tagNames(list(t, in.Do(t, "", "GET", next, nil), "next page")) != "modest" {
			t.Errorf("next trends page (%s) is not modest", next)
		}

		review(t, in, model.TrendTag, "popular", false)
		in.Social.Config.Discovery.TrendsRequireReview = false
		if names := tagNames(list(t, in.Do(t, "", "GET", "/api/v1/trends/tags", nil), "trends")); names != "modest" {
			t.Errorf("trends after disallowing popular = %s; want modest", names)
		}
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/trends/tags?limit=abc", nil), 422, "bad limit")
	})
}

func TestTrendingStatuses(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		in.Social.Config.Discovery.TrendsRequireReview = false
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		liked := say(t, alice, "liked a lot")
		boosted := say(t, bob, "boosted")
		once := say(t, carol, "liked once")
		private := post(t, alice, jsonObj{"status": "for friends", "visibility": "private"})["id"].(string)
		self := say(t, dave, "I like myself")
		for _, m := range []*servertest.Member{bob, carol, dave} {
			want(t, m.Do(t, "POST", "/api/v1/statuses/"+liked+"/favourite", nil), 200, "favourite")
			follow(t, m, alice)
			want(t, m.Do(t, "POST", "/api/v1/statuses/"+private+"/favourite", nil), 200, "favourite private")
		}
		for _, m := range []*servertest.Member{alice, carol} {
			want(t, m.Do(t, "POST", "/api/v1/statuses/"+boosted+"/reblog", nil), 200, "boost")
		}
		want(t, alice.Do(t, "POST", "/api/v1/statuses/"+once+"/favourite", nil), 200, "favourite once")
		want(t, dave.Do(t, "POST", "/api/v1/statuses/"+self+"/favourite", nil), 200, "self favourite")
		refreshTrends(t, in)

		got := list(t, in.Do(t, "", "GET", "/api/v1/trends/statuses", nil), "trending statuses")
		conformsAll(t, "Status", got)
		sameIDs(t, "trending statuses", ids(got), []string{boosted, liked})

		review(t, in, model.TrendStatus, boosted, false)
		sameIDs(t, "after disallowing", idsAt(t, alice, "/api/v1/trends/statuses"), []string{liked})
		in.Social.Config.Discovery.TrendsRequireReview = true
		sameIDs(t, "review required", idsAt(t, alice, "/api/v1/trends/statuses"), []string{})
		review(t, in, model.TrendStatus, liked, true)
		sameIDs(t, "after allowing", idsAt(t, alice, "/api/v1/trends/statuses"), []string{liked})
		review(t, in, model.TrendStatus, boosted, true)
		want(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+boosted, nil), 200, "delete a trending status")
		refreshTrends(t, in)
		if trends, err := in.Social.Trends(context.Background(), model.TrendStatus); err != nil || len(trends) != 1 || idOf(trends[0].TargetID) != liked {
			t.Errorf("trends after deleting one = %v, %v; want only the liked status", trends, err)
		}
		var reviews int
		if err := in.Store.DB().QueryRow(`SELECT COUNT(*) FROM trend_reviews`).Scan(&reviews); err != nil || reviews != 1 {
			t.Errorf("reviews after deleting a reviewed status = %d, %v; want 1", reviews, err)
		}
		if err := in.Social.ReviewTrend(context.Background(), model.TrendStatus, "12345", true); err != social.ErrNotFound {
			t.Errorf("reviewing an unknown status = %v; want not found", err)
		}
	})
}

func TestSuggestions(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		dave, erin, hidden := in.NewMember(t, "dave"), in.NewMember(t, "erin"), in.NewMember(t, "hidden")
		obj(t, hidden.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"discoverable": false}), 200, "opt out")
		follow(t, alice, bob)
		follow(t, bob, carol)
		follow(t, bob, hidden)
		follow(t, erin, dave)
		say(t, dave, "I post, so I am active")
		say(t, hidden, "I post too")

		v2 := list(t, alice.Do(t, "GET", "/api/v2/suggestions", nil), "suggestions v2")
		conformsAll(t, "Suggestion", v2)
		if len(v2) != 2 || field(v2[0], "account", "id") != idOf(carol.Account.ID) || field(v2[1], "account", "id") != idOf(dave.Account.ID) {
			t.Fatalf("suggestions = %v; want carol (friend of a friend) then dave (active, followed)", v2)
		}
		if s, _ := v2[0]["sources"].([]any); len(s) != 1 || s[0] != "friends_of_friends" || v2[0]["source"] != "past_interactions" {
			t.Errorf("carol's sources = %v / %v", v2[0]["sources"], v2[0]["source"])
		}
		if s, _ := v2[1]["sources"].([]any); len(s) != 1 || s[0] != "most_followed" || v2[1]["source"] != "global" {
			t.Errorf("dave's sources = %v / %v", v2[1]["sources"], v2[1]["source"])
		}
		sameIDs(t, "suggestions v1", idsAt(t, alice, "/api/v1/suggestions?limit=1"), []string{idOf(carol.Account.ID)})

		obj(t, alice.Do(t, "DELETE", "/api/v1/suggestions/"+idOf(carol.Account.ID), nil), 200, "dismiss")
		sameIDs(t, "after dismissing", idsAt(t, alice, "/api/v1/suggestions"), []string{idOf(dave.Account.ID)})
		follow(t, alice, dave)
		sameIDs(t, "after following", idsAt(t, alice, "/api/v1/suggestions"), []string{})
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/suggestions/999", nil), 404, "dismiss nobody")
		errorMessage(t, in.Do(t, "", "GET", "/api/v2/suggestions", nil), 401, "anonymous suggestions")
	})
}

func TestDirectory(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, hidden := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "hidden")
		obj(t, hidden.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"discoverable": false}), 200, "opt out")
		say(t, bob, "first")
		say(t, alice, "second")
		a, b, c := idOf(alice.Account.ID), idOf(bob.Account.ID), idOf(carol.Account.ID)

		active := list(t, in.Do(t, "", "GET", "/api/v1/directory", nil), "directory")
		conformsAll(t, "Account", active)
		sameIDs(t, "directory by activity", ids(active), []string{a, b, c})
		sameIDs(t, "directory new", idsAt(t, bob, "/api/v1/directory?order=new&local=true"), []string{c, b, a})
		sameIDs(t, "directory page", idsAt(t, bob, "/api/v1/directory?order=new&limit=1&offset=1"), []string{b})
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/directory?order=popular", nil), 422, "bad order")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/directory?offset=-1", nil), 422, "bad offset")
	})
}

func TestAnnouncements(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		later, past := time.Now().Add(time.Hour), time.Now().Add(-time.Hour)
		for _, n := range []social.NewAnnouncement{{Text: "Not yet", StartsAt: &later}, {Text: "Over", EndsAt: &past}} {
			if _, err := in.Social.CreateAnnouncement(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		ann, err := in.Social.CreateAnnouncement(ctx, social.NewAnnouncement{Text: "Maintenance tonight #status", EndsAt: &later})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/announcements/" + idOf(ann.ID)
		earlier, err := in.Social.CreateAnnouncement(ctx, social.NewAnnouncement{Text: "Started an hour ago", StartsAt: &past})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, "announcements in order of start", idsAt(t, bob, "/api/v1/announcements"), []string{idOf(earlier.ID), idOf(ann.ID)})
		if err := in.Social.DeleteAnnouncement(ctx, earlier.ID); err != nil {
			t.Fatal(err)
		}

		got := list(t, alice.Do(t, "GET", "/api/v1/announcements", nil), "announcements")
		conformsAll(t, "Announcement", got)
		if len(got) != 1 || got[0]["id"] != idOf(ann.ID) || got[0]["read"] != false || field(got[0], "tags") == nil {
			t.Fatalf("announcements = %v; want only the active one, unread", got)
		}
		obj(t, alice.Do(t, "POST", path+"/dismiss", nil), 200, "dismiss")
		obj(t, alice.Do(t, "PUT", path+"/reactions/"+url.PathEscape("👍"), nil), 200, "react")
		obj(t, alice.Do(t, "PUT", path+"/reactions/"+url.PathEscape("👍"), nil), 200, "react twice")
		obj(t, bob.Do(t, "PUT", path+"/reactions/"+url.PathEscape("👍"), nil), 200, "bob reacts")
		obj(t, bob.Do(t, "PUT", path+"/reactions/"+url.PathEscape("❤️"), nil), 200, "bob reacts with a heart")

		a := list(t, alice.Do(t, "GET", "/api/v1/announcements", nil), "alice's announcements")[0]
		conforms(t, "Announcement", a)
		reactions, _ := a["reactions"].([]any)
		if a["read"] != true || len(reactions) != 2 || field(reactions[0], "name") != "👍" ||
			field(reactions[0], "count") != 2.0 || field(reactions[0], "me") != true || field(reactions[1], "me") != false {
			t.Errorf("alice's view = read %v, reactions %v; want read, 👍 ×2 with me, ❤️ without", a["read"], reactions)
		}
		obj(t, alice.Do(t, "DELETE", path+"/reactions/"+url.PathEscape("👍"), nil), 200, "unreact")
		b := list(t, bob.Do(t, "GET", "/api/v1/announcements", nil), "bob's announcements")[0]
		reactions, _ = b["reactions"].([]any)
		if b["read"] != false || len(reactions) != 2 || field(reactions[0], "count") != 1.0 || field(reactions[0], "me") != true {
			t.Errorf("bob's view = read %v, reactions %v; want unread, 👍 ×1 with me", b["read"], reactions)
		}

		errorMessage(t, alice.Do(t, "PUT", path+"/reactions/blobcat", nil), 422, "unknown custom emoji")
		errorMessage(t, alice.Do(t, "PUT", path+"/reactions/abc", nil), 422, "text as reaction")
		errorMessage(t, alice.Do(t, "PUT", "/api/v1/announcements/999/reactions/"+url.PathEscape("👍"), nil), 404, "unknown announcement")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/announcements/999/dismiss", nil), 404, "dismiss unknown")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/announcements", nil), 401, "anonymous announcements")
	})
}
