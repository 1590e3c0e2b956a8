package mastoapi_test

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestFollowedTagsReachHome(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		before := say(t, bob, "#GoLang before the follow")

		tag := obj(t, alice.Do(t, "POST", "/api/v1/tags/GoLang/follow", nil), 200, "follow tag")
		conforms(t, "Tag", tag)
		if tag["name"] != "golang" || tag["following"] != true || tag["featuring"] != false {
			t.Errorf("followed tag = %v; want golang, following, not featuring", tag)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/tags/golang/follow", nil), 200, "follow again")
		obj(t, alice.Do(t, "POST", "/api/v1/tags/rust/follow", nil), 200, "follow a new tag")
		if got := obj(t, alice.Do(t, "GET", "/api/v1/tags/golang", nil), 200, "GET tag"); got["following"] != true {
			t.Errorf("GET tag following = %v; want true", got["following"])
		}
		if got := obj(t, bob.Do(t, "GET", "/api/v1/tags/golang", nil), 200, "GET tag as bob"); got["following"] != false {
			t.Errorf("bob's GET tag following = %v; want false", got["following"])
		}
		if got := obj(t, in.Do(t, "", "GET", "/api/v1/tags/golang", nil), 200, "anonymous GET tag"); got["following"] != nil {
			t.Errorf("anonymous GET tag following = %v; want absent", got["following"])
		}

		if res := search(t, in, alice.Token, "q=golang&type=hashtags"); len(res.Hashtags) != 1 || res.Hashtags[0]["following"] != true {
			t.Errorf("search hashtags = %v; want golang, followed", res.Hashtags)
		}
		public := say(t, bob, "more #golang")
		post(t, bob, jsonObj{"status": "quiet #golang", "visibility": "unlisted"})
		post(t, bob, jsonObj{"status": "followers #golang", "visibility": "private"})
		say(t, bob, "no tag here")
		other := in.NewMember(t, "carol")
		follow(t, alice, other)
		mine := say(t, other, "from a followed account #golang")
		sameIDs(t, "home with followed tag", idsAt(t, alice, "/api/v1/timelines/home"), []string{mine, public, before})

		r := alice.Do(t, "GET", "/api/v1/followed_tags?limit=1", nil)
		first := list(t, r, "followed tags page 1")
		if len(first) != 1 || first[0]["name"] != "rust" || first[0]["following"] != true {
			t.Fatalf("followed tags page 1 = %v; want rust", first)
		}
		next := link(t, in, r, "next")
		if rest := list(t, alice.Do(t, "GET", next, nil), "followed tags page 2"); len(rest) != 1 || rest[0]["name"] != "golang" {
			t.Errorf("followed tags page 2 = %v; want golang", rest)
		}
		conformsAll(t, "Tag", first)

		if got := obj(t, alice.Do(t, "POST", "/api/v1/tags/golang/unfollow", nil), 200, "unfollow"); got["following"] != false {
			t.Errorf("unfollowed tag = %v", got)
		}
		sameIDs(t, "home after unfollow", idsAt(t, alice, "/api/v1/timelines/home"), []string{mine})
		sameIDs(t, "followed tags after unfollow", ids(list(t, alice.Do(t, "GET", "/api/v1/followed_tags", nil), "followed")), []string{first[0]["id"].(string)})
	})
}

func TestFollowTagRefusals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		reader := in.NewMember(t, "reader", "read")
		cases := []struct {
			token, path string
			code        int
		}{
			{alice.Token, "/api/v1/tags/not%20a%20tag/follow", 422},
			{alice.Token, "/api/v1/tags/123/follow", 422},
			{alice.Token, "/api/v1/tags/" + strings.Repeat("a", 101) + "/follow", 422},
			{"", "/api/v1/tags/golang/follow", 401},
			{reader.Token, "/api/v1/tags/golang/follow", 403},
		}
		for _, c := range cases {
			errorMessage(t, in.Do(t, c.token, "POST", c.path, nil), c.code, "POST "+c.path)
		}
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/followed_tags", nil), 401, "anonymous followed tags")
		errorMessage(t, reader.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "golang"}), 403, "feature with a read token")
		errorMessage(t, reader.Do(t, "POST", "/api/v1/tags/golang/feature", nil), 403, "feature by path with a read token")
		errorMessage(t, reader.Do(t, "DELETE", "/api/v1/suggestions/"+idOf(alice.Account.ID), nil), 403, "dismiss with a read token")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/featured_tags", nil), 401, "anonymous featured tags")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": strings.Repeat("b", 101)}), 422, "long featured tag")
	})
}

func TestFeaturedTags(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		say(t, alice, "#travel and #food")
		say(t, alice, "#travel again")
		post(t, alice, jsonObj{"status": "#travel for friends", "visibility": "private"})
		say(t, bob, "#travel #travel")

		sugg := list(t, alice.Do(t, "GET", "/api/v1/featured_tags/suggestions", nil), "suggestions")
		if names := tagNames(sugg); names != "travel,food" {
			t.Errorf("featured tag suggestions = %s; want travel,food", names)
		}
		ft := obj(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "#Travel"}), 200, "feature travel")
		conforms(t, "FeaturedTag", ft)
		if ft["name"] != "travel" || ft["statuses_count"] != "2" || ft["last_status_at"] == nil ||
			!strings.HasSuffix(ft["url"].(string), "/@alice/tagged/travel") {
			t.Errorf("featured tag = %v; want travel with 2 statuses and a date", ft)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "travel"}), 422, "feature twice")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "no spaces"}), 422, "bad name")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{}), 422, "no name")
		if names := tagNames(list(t, alice.Do(t, "GET", "/api/v1/featured_tags/suggestions", nil), "suggestions")); names != "food" {
			t.Errorf("suggestions after featuring = %s; want food", names)
		}

		fresh := obj(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "unused"}), 200, "feature unused")
		if fresh["statuses_count"] != "0" || fresh["last_status_at"] != nil {
			t.Errorf("unused featured tag = %v; want 0 statuses, no date", fresh)
		}
		mine := list(t, alice.Do(t, "GET", "/api/v1/featured_tags", nil), "my featured tags")
		conformsAll(t, "FeaturedTag", mine)
		sameIDs(t, "featured tags", ids(mine), []string{ft["id"].(string), fresh["id"].(string)})
		sameIDs(t, "alice's featured tags, anonymously", idsAt(t, bob, "/api/v1/accounts/"+idOf(alice.Account.ID)+"/featured_tags"), ids(mine))
		want(t, in.Do(t, "", "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/featured_tags", nil), 200, "anonymous featured tags")
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/accounts/999/featured_tags", nil), 404, "featured tags of nobody")

		errorMessage(t, bob.Do(t, "DELETE", "/api/v1/featured_tags/"+fresh["id"].(string), nil), 404, "delete another's featured tag")
		obj(t, alice.Do(t, "DELETE", "/api/v1/featured_tags/"+fresh["id"].(string), nil), 200, "delete featured tag")
		errorMessage(t, alice.Do(t, "DELETE", "/api/v1/featured_tags/"+fresh["id"].(string), nil), 404, "delete twice")

		tag := obj(t, alice.Do(t, "POST", "/api/v1/tags/food/feature", nil), 200, "feature by tag path")
		if tag["featuring"] != true || tag["name"] != "food" {
			t.Errorf("featured via tag path = %v", tag)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/tags/food/feature", nil), 200, "feature by tag path again")
		byID := obj(t, alice.Do(t, "POST", "/api/v1/tags/"+tag["id"].(string)+"/unfeature", nil), 200, "unfeature by tag id")
		if byID["featuring"] != false {
			t.Errorf("unfeatured tag = %v", byID)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/tags/999/feature", nil), 404, "feature unknown tag id")
	})
}

func TestFeaturedTagsLimit(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		for i := 0; i < 10; i++ {
			want(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "tag" + string(rune('a'+i))}), 200, "feature")
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "eleventh"}), 422, "eleventh featured tag")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/tags/eleventh/feature", nil), 422, "eleventh via tag path")
	})
}

// tagNames joins the names of listed tags.
func tagNames(l jsonList) string {
	names := make([]string, len(l))
	for i, v := range l {
		names[i], _ = v["name"].(string)
	}
	return strings.Join(names, ",")
}
