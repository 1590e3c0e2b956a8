package mastoapi_test

import (
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// notified sets up one notification of every type tusk creates for alice and
// returns alice and the notification ids by type.
func notified(t *testing.T, in *servertest.Instance) (alice, bob, carol *servertest.Member, byType map[string]string) {
	t.Helper()
	alice, bob, carol = in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
	obj(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/follow", jsonObj{"notify": true}), 200, "follow with notify")
	follow(t, bob, alice)                                                                     // follow
	mine := say(t, alice, "alice's post")                                                     //
	post(t, bob, jsonObj{"status": "hey @alice"})                                             // mention (and status: alice watches bob)
	obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+mine+"/reblog", nil), 200, "reblog")         // reblog
	obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+mine+"/favourite", nil), 200, "favourite") // favourite
	obj(t, alice.Do(t, "PATCH", "/api/v1/accounts/update_credentials", jsonObj{"locked": true}), 200, "lock")
	follow(t, carol, alice) // follow_request
	byType = map[string]string{}
	for _, n := range list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications") {
		byType[n["type"].(string)] = n["id"].(string)
	}
	return alice, bob, carol, byType
}

func TestNotificationTypes(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, _ := notified(t, in)
		notes := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications")
		conformsAll(t, "Notification", notes)
		var types []string
		for _, n := range notes {
			types = append(types, n["type"].(string))
		}
		if strings.Join(types, ",") != "follow_request,favourite,reblog,status,mention,follow" {
			t.Fatalf("alice's notifications = %v; want follow_request, favourite, reblog, status, mention, follow", types)
		}
		from := map[string]*servertest.Member{"follow_request": carol, "favourite": carol, "reblog": bob, "status": bob, "mention": bob, "follow": bob}
		for _, n := range notes {
			typ := n["type"].(string)
			if field(n, "account", "id") != idOf(from[typ].Account.ID) {
				t.Errorf("%s notification from %v; want %s", typ, field(n, "account", "username"), from[typ].Account.Username)
			}
			_, hasStatus := n["status"]
			if wantStatus := typ != "follow" && typ != "follow_request"; hasStatus != wantStatus {
				t.Errorf("%s notification has status = %v; want %v", typ, hasStatus, wantStatus)
			}
		}
		if field(notes[2], "status", "account", "id") != idOf(alice.Account.ID) || field(notes[4], "status", "content") == nil {
			t.Errorf("reblog notification's status = %v; want alice's original", field(notes[2], "status"))
		}
		if notes[3]["status"].(map[string]any)["id"] != notes[4]["status"].(map[string]any)["id"] {
			t.Errorf("status and mention notifications are about different statuses")
		}
	})
}

func TestNotificationFilters(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, byType := notified(t, in)
		base := "/api/v1/notifications"
		cases := []struct {
			query string
			want  []string
		}{
			{"?types[]=mention", []string{byType["mention"]}},
			{"?types[]=mention&types[]=favourite", []string{byType["favourite"], byType["mention"]}},
			{"?exclude_types[]=follow&exclude_types[]=follow_request&exclude_types[]=status", []string{byType["favourite"], byType["reblog"], byType["mention"]}},
			{"?account_id=" + idOf(carol.Account.ID), []string{byType["follow_request"], byType["favourite"]}},
			{"?account_id=" + idOf(bob.Account.ID) + "&types[]=follow", []string{byType["follow"]}},
			{"?types[]=poll", []string{}},
			{"?limit=2", []string{byType["follow_request"], byType["favourite"]}},
			{"?max_id=" + byType["reblog"], []string{byType["status"], byType["mention"], byType["follow"]}},
			{"?since_id=" + byType["reblog"], []string{byType["follow_request"], byType["favourite"]}},
			{"?min_id=" + byType["follow"] + "&limit=1", []string{byType["mention"]}},
		}
		for _, c := range cases {
			sameIDs(t, base+c.query, idsAt(t, alice, base+c.query), c.want)
		}
		pageThrough(t, in, alice, base+"?limit=4", []string{byType["follow_request"], byType["favourite"], byType["reblog"],
			byType["status"], byType["mention"], byType["follow"]})
		for _, q := range []string{"?types[]=bogus", "?exclude_types[]=likes"} {
			if msg := errorMessage(t, alice.Do(t, "GET", base+q, nil), 422, base+q); !strings.Contains(msg, "notification type") {
				t.Errorf("%s error = %q", q, msg)
			}
		}
		if got := list(t, bob.Do(t, "GET", base, nil), "bob's"); len(got) != 1 || got[0]["type"] != "follow" {
			t.Errorf("bob's notifications = %v; want only alice's follow", ids(got))
		}
	})
}

func TestNotificationOneDismissClear(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, _, byType := notified(t, in)
		one := obj(t, alice.Do(t, "GET", "/api/v1/notifications/"+byType["favourite"], nil), 200, "GET notification")
		conforms(t, "Notification", one)
		if one["id"] != byType["favourite"] || one["type"] != "favourite" {
			t.Errorf("GET notification = %v %v; want the favourite", one["id"], one["type"])
		}
		for _, path := range []string{"/api/v1/notifications/" + byType["favourite"], "/api/v1/notifications/999", "/api/v1/notifications/x"} {
			errorMessage(t, bob.Do(t, "GET", path, nil), 404, "bob GET "+path)
		}
		errorMessage(t, bob.Do(t, "POST", "/api/v1/notifications/"+byType["favourite"]+"/dismiss", nil), 404, "bob dismisses alice's")
		if d := obj(t, alice.Do(t, "POST", "/api/v1/notifications/"+byType["favourite"]+"/dismiss", nil), 200, "dismiss"); len(d) != 0 {
			t.Errorf("dismiss = %v; want {}", d)
		}
		errorMessage(t, alice.Do(t, "GET", "/api/v1/notifications/"+byType["favourite"], nil), 404, "GET dismissed")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/notifications/"+byType["favourite"]+"/dismiss", nil), 404, "dismiss twice")
		if got := idsAt(t, alice, "/api/v1/notifications"); len(got) != 5 {
			t.Errorf("after dismissing one: %d notifications; want 5", len(got))
		}
		if d := obj(t, alice.Do(t, "POST", "/api/v1/notifications/clear", nil), 200, "clear"); len(d) != 0 {
			t.Errorf("clear = %v; want {}", d)
		}
		if got := idsAt(t, alice, "/api/v1/notifications"); len(got) != 0 {
			t.Errorf("after clear: %v; want none", got)
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v1/notifications/clear", nil); r.Status != 403 {
			t.Errorf("clear with a read token = %d; want 403", r.Status)
		}
		if r := in.Do(t, "", "GET", "/api/v1/notifications", nil); r.Status != 401 {
			t.Errorf("anonymous notifications = %d; want 401", r.Status)
		}
	})
}

// TestNotificationStatusRules checks that replies to others and direct messages do not
// notify watchers, and that a notification of a status no longer visible is hidden.
func TestNotificationStatusRules(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		obj(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/follow", jsonObj{"notify": true}), 200, "follow with notify")
		cs := say(t, carol, "carol's")
		post(t, bob, jsonObj{"status": "reply", "in_reply_to_id": cs})
		post(t, bob, jsonObj{"status": "@carol dm", "visibility": "direct"})
		if got := idsAt(t, alice, "/api/v1/notifications?types[]=status"); len(got) != 0 {
			t.Errorf("status notifications for a reply to others and a DM = %v; want none", got)
		}
		priv := post(t, bob, jsonObj{"status": "followers", "visibility": "private"})["id"].(string)
		notes := list(t, alice.Do(t, "GET", "/api/v1/notifications?types[]=status", nil), "status notifications")
		if len(notes) != 1 || field(notes[0], "status", "id") != priv {
			t.Errorf("status notifications = %v; want one for the private post", ids(notes))
		}
		obj(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/unfollow", nil), 200, "unfollow")
		if got := idsAt(t, alice, "/api/v1/notifications?types[]=status"); len(got) != 0 {
			t.Errorf("notification of a private status alice can no longer see = %v; want hidden", got)
		}
	})
}
