package federation_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestOutboxPages(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		base := in.Config.BaseURL() + "/users/alice/outbox"
		var public []string
		for i := 0; i < 22; i++ {
			public = append(public, postAs(t, alice, jsonObj{"status": fmt.Sprintf("post %d", i)}))
		}
		hidden := postAs(t, alice, jsonObj{"status": "followers only", "visibility": "private"})
		boosted := postAs(t, bob, jsonObj{"status": "from bob"})
		if r := alice.Do(t, "POST", "/api/v1/statuses/"+boosted+"/reblog", nil); r.Status != 200 {
			t.Fatalf("boost = %d", r.Status)
		}
		coll := fetchDoc(t, in, "/users/alice/outbox")
		if coll["type"] != "OrderedCollection" || coll["id"] != base || coll["totalItems"] != 24.0 ||
			coll["first"] != base+"?page=true" || coll["last"] != base+"?min_id=0&page=true" || coll["@context"] == nil {
			t.Fatalf("outbox = %v", coll)
		}
		page := fetchDoc(t, in, "/users/alice/outbox?page=true")
		items := page["orderedItems"].([]any)
		if page["type"] != "OrderedCollectionPage" || page["partOf"] != base || len(items) != 20 {
			t.Fatalf("first page = %v", page)
		}
		announce := items[0].(map[string]any)
		if announce["type"] != "Announce" || announce["object"] != in.Config.BaseURL()+"/users/bob/statuses/"+boosted || announce["@context"] != nil {
			t.Fatalf("newest item = %v", announce)
		}
		create := items[1].(map[string]any)
		if create["type"] != "Create" || create["object"].(map[string]any)["id"] != in.Config.BaseURL()+"/users/alice/statuses/"+public[21] {
			t.Fatalf("second item = %v", create)
		}
		seen := map[string]bool{}
		next := page["next"].(string)
		for _, it := range items {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		second := fetchDoc(t, in, strings.TrimPrefix(next, in.Config.BaseURL()))
		for _, it := range second["orderedItems"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		for _, id := range public {
			if !seen[in.Config.BaseURL()+"/users/alice/statuses/"+id+"/activity"] {
				t.Fatalf("status %s missing from the outbox pages", id)
			}
		}
		if seen[in.Config.BaseURL()+"/users/alice/statuses/"+hidden+"/activity"] || len(seen) != 23 {
			t.Fatalf("outbox pages hold %d items, private included: %v", len(seen), seen[hidden])
		}
		if r := fetchPath(t, in, "/users/alice/outbox?page=true&max_id=abc", activityJSON); r.Status != 400 {
			t.Fatalf("bad max_id = %d", r.Status)
		}
	})
}

func TestFollowCollections(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		base := in.Config.BaseURL()
		for _, m := range []*servertest.Member{bob, carol} {
			if r := m.Do(t, "POST", "/api/v1/accounts/"+strconv.FormatInt(alice.Account.ID, 10)+"/follow", nil); r.Status != 200 {
				t.Fatalf("follow = %d %s", r.Status, r.Body)
			}
		}
		coll := fetchDoc(t, in, "/users/alice/followers")
		if coll["type"] != "OrderedCollection" || coll["totalItems"] != 2.0 || coll["first"] != base+"/users/alice/followers?page=true" {
			t.Fatalf("followers = %v", coll)
		}
		page := fetchDoc(t, in, "/users/alice/followers?page=true")
		if page["type"] != "OrderedCollectionPage" || !holds(page["orderedItems"], base+"/users/bob") || !holds(page["orderedItems"], base+"/users/carol") {
			t.Fatalf("followers page = %v", page)
		}
		if missing := missingKeys(reference(t, "mastodon-followers-page.json"), page, "next"); len(missing) > 0 {
			t.Fatalf("followers page lacks %v", missing)
		}
		following := fetchDoc(t, in, "/users/bob/following?page=true")
		if !holds(following["orderedItems"], base+"/users/alice") || following["totalItems"] != 1.0 {
			t.Fatalf("bob's following = %v", following)
		}
		if empty := fetchDoc(t, in, "/users/alice/following?page=true"); len(empty["orderedItems"].([]any)) != 0 {
			t.Fatalf("alice's following = %v", empty)
		}
	})
}

func TestFeaturedCollections(t *testing.T) {
	servedEngines(t, nil, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		base := in.Config.BaseURL()
		pinned := postAs(t, alice, jsonObj{"status": "pinned #tusk"})
		postAs(t, alice, jsonObj{"status": "not pinned"})
		if r := alice.Do(t, "POST", "/api/v1/statuses/"+pinned+"/pin", nil); r.Status != 200 {
			t.Fatalf("pin = %d %s", r.Status, r.Body)
		}
		if r := alice.Do(t, "POST", "/api/v1/featured_tags", jsonObj{"name": "tusk"}); r.Status != 200 {
			t.Fatalf("feature tag = %d %s", r.Status, r.Body)
		}
		featured := fetchDoc(t, in, "/users/alice/collections/featured")
		items := featured["orderedItems"].([]any)
		if featured["type"] != "OrderedCollection" || featured["totalItems"] != 1.0 || len(items) != 1 ||
			items[0].(map[string]any)["id"] != base+"/users/alice/statuses/"+pinned || items[0].(map[string]any)["@context"] != nil {
			t.Fatalf("featured = %v", featured)
		}
		if missing := missingKeys(reference(t, "mastodon-featured-collection.json"), featured); len(missing) > 0 {
			t.Fatalf("featured lacks %v", missing)
		}
		tags := fetchDoc(t, in, "/users/alice/collections/tags")
		tag := tags["items"].([]any)[0].(map[string]any)
		if tags["type"] != "Collection" || tags["totalItems"] != 1.0 || tag["type"] != "Hashtag" || tag["name"] != "#tusk" || tag["href"] != base+"/tags/tusk" {
			t.Fatalf("featured tags = %v", tags)
		}
	})
}
