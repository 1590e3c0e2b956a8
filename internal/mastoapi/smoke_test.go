package mastoapi_test

import (
	"net/http"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestSmokePostFollowTimelineNotify(t *testing.T) {
	servertest.Engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		if r := bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/follow", nil); r.Status != 200 {
			t.Fatalf("follow: %d %s", r.Status, r.Body)
		}
		r := alice.Do(t, "POST", "/api/v1/statuses", map[string]any{"status": "hello @bob #tusk https://example.com"})
		if r.Status != 200 {
			t.Fatalf("post: %d %s", r.Status, r.Body)
		}
		var st map[string]any
		r.JSON(t, &st)
		home := bob.Do(t, "GET", "/api/v1/timelines/home", nil)
		var list []map[string]any
		home.JSON(t, &list)
		if home.Status != 200 || len(list) != 1 || list[0]["id"] != st["id"] {
			t.Fatalf("bob's home = %d %s; want alice's post", home.Status, home.Body)
		}
		if fav := bob.Do(t, "POST", "/api/v1/statuses/"+st["id"].(string)+"/favourite", nil); fav.Status != 200 {
			t.Fatalf("favourite: %d %s", fav.Status, fav.Body)
		}
		n := alice.Do(t, "GET", "/api/v1/notifications", nil)
		var notes []map[string]any
		n.JSON(t, &notes)
		if len(notes) != 2 || notes[0]["type"] != "favourite" || notes[1]["type"] != "follow" {
			t.Fatalf("alice's notifications = %s; want favourite, follow", n.Body)
		}
		if r := in.Do(t, "", "GET", "/api/v1/timelines/home", nil); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous home = %d; want 401", r.Status)
		}
	})
}
