package mastoapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// groupedScene has bob, carol and dave favourite alice's post, bob and carol boost it,
// bob and carol follow her and dave mentions her, in that order. It returns the
// members, alice's post and alice's notification ids, newest first.
func groupedScene(t *testing.T, in *servertest.Instance) (alice, bob, carol, dave *servertest.Member, post string, notes []string) {
	t.Helper()
	alice, bob, carol, dave = in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
	post = say(t, alice, "a post worth liking")
	for _, m := range []*servertest.Member{bob, carol, dave} {
		obj(t, m.Do(t, "POST", "/api/v1/statuses/"+post+"/favourite", nil), 200, "favourite")
	}
	for _, m := range []*servertest.Member{bob, carol} {
		obj(t, m.Do(t, "POST", "/api/v1/statuses/"+post+"/reblog", nil), 200, "reblog")
	}
	follow(t, bob, alice)
	follow(t, carol, alice)
	say(t, dave, "hello @alice")
	return alice, bob, carol, dave, post, idsAt(t, alice, "/api/v1/notifications")
}

// groupsAt fetches a grouped page and returns it with its groups' keys.
func groupsAt(t *testing.T, m *servertest.Member, path string) (jsonObj, []string) {
	t.Helper()
	res := obj(t, m.Do(t, "GET", path, nil), 200, "GET "+path)
	var keys []string
	for _, g := range res["notification_groups"].([]any) {
		keys = append(keys, g.(map[string]any)["group_key"].(string))
	}
	return res, keys
}

func groupAt(res jsonObj, i int) jsonObj {
	return res["notification_groups"].([]any)[i].(map[string]any)
}

func TestGroupedNotifications(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave, post, notes := groupedScene(t, in)
		if len(notes) != 8 {
			t.Fatalf("alice has %d notifications; want 8", len(notes))
		}
		res, keys := groupsAt(t, alice, "/api/v2/notifications")
		conforms(t, "GroupedNotificationsResults", map[string]any(res))
		if len(keys) != 4 || keys[0] != "ungrouped-"+notes[0] || !strings.HasPrefix(keys[1], "follow-") ||
			!strings.HasPrefix(keys[2], "reblog-"+post+"-") || !strings.HasPrefix(keys[3], "favourite-"+post+"-") {
			t.Fatalf("group keys = %v; want the mention, follows, boosts and favourites", keys)
		}
		wantCounts := []float64{1, 2, 2, 3}
		wantSamples := [][]string{{idOf(dave.Account.ID)}, {idOf(carol.Account.ID), idOf(bob.Account.ID)},
			{idOf(carol.Account.ID), idOf(bob.Account.ID)}, {idOf(dave.Account.ID), idOf(carol.Account.ID), idOf(bob.Account.ID)}}
		wantRecent := []string{notes[0], notes[1], notes[3], notes[5]}
		for i := range keys {
			g := groupAt(res, i)
			if g["notifications_count"] != wantCounts[i] || fmt.Sprint(field(g, "sample_account_ids")) != fmt.Sprint(wantSamples[i]) {
				t.Errorf("group %s: count %v samples %v; want %v %v", keys[i], g["notifications_count"], g["sample_account_ids"], wantCounts[i], wantSamples[i])
			}
			if recent := fmt.Sprintf("%.0f", g["most_recent_notification_id"]); g["page_max_id"] != wantRecent[i] || len(recent) < 10 {
				t.Errorf("group %s: page_max_id %v most_recent %v; want %s", keys[i], g["page_max_id"], recent, wantRecent[i])
			}
		}
		if g := groupAt(res, 3); g["status_id"] != post || g["page_min_id"] != notes[7] || g["latest_page_notification_at"] == nil {
			t.Errorf("favourite group = %v; want status %s, page_min_id %s", g, post, notes[7])
		}
		if _, has := groupAt(res, 1)["status_id"]; has {
			t.Errorf("follow group has a status_id")
		}
		if got := ids(toList(res["accounts"])); !sameSet(got, idOf(dave.Account.ID), idOf(carol.Account.ID), idOf(bob.Account.ID)) {
			t.Errorf("accounts = %v; want dave, carol, bob once each", got)
		}
		if got := ids(toList(res["statuses"])); len(got) != 2 || !slices.Contains(got, post) {
			t.Errorf("statuses = %v; want the mention and alice's post once each", got)
		}
		v1 := list(t, alice.Do(t, "GET", "/api/v1/notifications?types[]=favourite", nil), "favourites")
		if v1[0]["group_key"] != keys[3] {
			t.Errorf("v1 favourite group_key = %v; want %s", v1[0]["group_key"], keys[3])
		}
		if got := idsAt(t, bob, "/api/v1/notifications"); len(got) != 0 {
			t.Errorf("bob's notifications = %v; want none", got)
		}
	})
}

func toList(v any) jsonList {
	var out jsonList
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func sameSet(got []string, want ...string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestGroupedNotificationParams(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, _, carol, _, _, notes := groupedScene(t, in)
		_, all := groupsAt(t, alice, "/api/v2/notifications")
		cases := []struct {
			query string
			want  []string
		}{
			{"?types[]=favourite", all[3:]},
			{"?exclude_types[]=mention&exclude_types[]=follow", all[2:]},
			{"?account_id=" + idOf(carol.Account.ID) + "&types[]=follow", all[1:2]},
			{"?limit=2", all[:2]},
			{"?max_id=" + notes[2], all[2:]},
			{"?since_id=" + notes[1], all[:1]},
			{"?min_id=" + notes[7] + "&limit=1", all[3:]},
			{"?grouped_types[]=favourite", []string{all[0], "ungrouped-" + notes[1], "ungrouped-" + notes[2],
				"ungrouped-" + notes[3], "ungrouped-" + notes[4], all[3]}},
			{"?grouped_types[]=mention", nil},
		}
		for _, c := range cases {
			_, got := groupsAt(t, alice, "/api/v2/notifications"+c.query)
			if c.want == nil {
				c.want = []string{}
				for _, n := range notes {
					c.want = append(c.want, "ungrouped-"+n)
				}
			}
			sameIDs(t, c.query, got, c.want)
		}
		r := alice.Do(t, "GET", "/api/v2/notifications?limit=2", nil)
		want(t, r, 200, "first page")
		next := link(t, in, r, "next")
		// As in Mastodon, a group cut by the page boundary shows again on the next page
		// with the notifications it has there.
		page2, got := groupsAt(t, alice, next)
		if !slices.Equal(got, all[1:3]) || groupAt(page2, 0)["notifications_count"] != 1.0 || groupAt(page2, 0)["page_min_id"] != notes[2] {
			t.Errorf("next page %s = %v (first %v); want %v, the older follow alone first", next, got, groupAt(page2, 0), all[1:3])
		}
		partial, _ := groupsAt(t, alice, "/api/v2/notifications?expand_accounts=partial_avatars")
		conforms(t, "GroupedNotificationsResults", map[string]any(partial))
		if n := len(partial["accounts"].([]any)) + len(partial["partial_accounts"].([]any)); n != 3 || len(partial["partial_accounts"].([]any)) == 0 {
			t.Errorf("partial_avatars: %d full and %d partial accounts; want 3 in all, some partial", len(partial["accounts"].([]any)), len(partial["partial_accounts"].([]any)))
		}
		for _, q := range []string{"?types[]=likes", "?expand_accounts=some", "?max_id=x"} {
			errorMessage(t, alice.Do(t, "GET", "/api/v2/notifications"+q, nil), 422, q)
		}
		if r := in.Do(t, "", "GET", "/api/v2/notifications", nil); r.Status != 401 {
			t.Errorf("anonymous grouped notifications = %d; want 401", r.Status)
		}
	})
}

func TestNotificationGroupOneAccountsDismiss(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave, _, notes := groupedScene(t, in)
		_, keys := groupsAt(t, alice, "/api/v2/notifications")
		fav := keys[3]
		one, got := groupsAt(t, alice, "/api/v2/notifications/"+fav)
		conforms(t, "GroupedNotificationsResults", map[string]any(one))
		if g := groupAt(one, 0); len(got) != 1 || g["notifications_count"] != 3.0 || g["page_max_id"] != nil {
			t.Errorf("GET group = %v; want the favourites, whole, without page fields", g)
		}
		if _, got := groupsAt(t, alice, "/api/v2/notifications/ungrouped-"+notes[0]); !slices.Equal(got, []string{"ungrouped-" + notes[0]}) {
			t.Errorf("GET ungrouped = %v", got)
		}
		sameIDs(t, "group accounts", idsAt(t, alice, "/api/v2/notifications/"+fav+"/accounts"),
			[]string{idOf(dave.Account.ID), idOf(carol.Account.ID), idOf(bob.Account.ID)})
		for _, path := range []string{fav, "ungrouped-" + notes[0], "ungrouped-999", "ungrouped-x", "nonsense", strings.Repeat("k", 200)} {
			errorMessage(t, bob.Do(t, "GET", "/api/v2/notifications/"+path, nil), 404, "bob GET group "+path)
			errorMessage(t, bob.Do(t, "GET", "/api/v2/notifications/"+path+"/accounts", nil), 404, "bob GET group accounts "+path)
			errorMessage(t, bob.Do(t, "POST", "/api/v2/notifications/"+path+"/dismiss", nil), 404, "bob dismisses "+path)
		}
		if d := obj(t, alice.Do(t, "POST", "/api/v2/notifications/"+fav+"/dismiss", nil), 200, "dismiss group"); len(d) != 0 {
			t.Errorf("dismiss = %v; want {}", d)
		}
		if got := idsAt(t, alice, "/api/v1/notifications?types[]=favourite"); len(got) != 0 {
			t.Errorf("favourites after dismissing their group = %v", got)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v2/notifications/"+fav+"/dismiss", nil), 404, "dismiss twice")
		obj(t, alice.Do(t, "POST", "/api/v2/notifications/ungrouped-"+notes[0]+"/dismiss", nil), 200, "dismiss ungrouped")
		if got := idsAt(t, alice, "/api/v1/notifications"); len(got) != 4 {
			t.Errorf("after dismissing: %d notifications; want 4", len(got))
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v2/notifications/"+keys[1]+"/dismiss", nil); r.Status != 403 {
			t.Errorf("dismiss with a read token = %d; want 403", r.Status)
		}
	})
}

func TestUnreadCounts(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, _, _, _, notes := groupedScene(t, in)
		count := func(m *servertest.Member, path string) float64 {
			t.Helper()
			return obj(t, m.Do(t, "GET", path, nil), 200, path)["count"].(float64)
		}
		checks := func(want map[string]float64) {
			t.Helper()
			for path, n := range want {
				if got := count(alice, path); got != n {
					t.Errorf("%s = %v; want %v", path, got, n)
				}
			}
		}
		checks(map[string]float64{"/api/v1/notifications/unread_count": 8, "/api/v2/notifications/unread_count": 4,
			"/api/v1/notifications/unread_count?limit=3": 3, "/api/v2/notifications/unread_count?limit=2": 2,
			"/api/v1/notifications/unread_count?types[]=favourite": 3, "/api/v2/notifications/unread_count?types[]=favourite": 1,
			"/api/v2/notifications/unread_count?grouped_types[]=reblog": 7})
		obj(t, alice.Do(t, "POST", "/api/v1/markers", jsonObj{"notifications": jsonObj{"last_read_id": notes[3]}}), 200, "marker")
		checks(map[string]float64{"/api/v1/notifications/unread_count": 3, "/api/v2/notifications/unread_count": 2})
		if got := count(bob, "/api/v1/notifications/unread_count"); got != 0 {
			t.Errorf("bob's unread = %v; want 0", got)
		}
		for _, q := range []string{"?limit=x", "?limit=0", "?types[]=nope"} {
			errorMessage(t, alice.Do(t, "GET", "/api/v2/notifications/unread_count"+q, nil), 422, q)
		}
		if r := in.Do(t, "", "GET", "/api/v1/notifications/unread_count", nil); r.Status != 401 {
			t.Errorf("anonymous unread count = %d; want 401", r.Status)
		}
	})
}
