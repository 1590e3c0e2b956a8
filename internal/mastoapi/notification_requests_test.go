package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func policyOf(t *testing.T, m *servertest.Member) jsonObj {
	t.Helper()
	p := obj(t, m.Do(t, "GET", "/api/v2/notifications/policy", nil), 200, "GET policy")
	conforms(t, "NotificationPolicy", map[string]any(p))
	return p
}

func dm(t *testing.T, from *servertest.Member, text string) string {
	t.Helper()
	return post(t, from, jsonObj{"status": text, "visibility": "direct"})["id"].(string)
}

func TestNotificationPolicy(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		p := policyOf(t, alice)
		for key, want := range map[string]string{"for_not_following": "accept", "for_not_followers": "accept",
			"for_new_accounts": "accept", "for_private_mentions": "filter", "for_limited_accounts": "filter"} {
			if p[key] != want {
				t.Errorf("default %s = %v; want %s", key, p[key], want)
			}
		}
		p = obj(t, alice.Do(t, "PATCH", "/api/v2/notifications/policy", jsonObj{"for_not_following": "drop", "for_new_accounts": "filter"}), 200, "PATCH policy")
		if p["for_not_following"] != "drop" || p["for_new_accounts"] != "filter" || p["for_private_mentions"] != "filter" {
			t.Errorf("after PATCH: %v", p)
		}
		if got := policyOf(t, alice); got["for_not_following"] != "drop" {
			t.Errorf("PATCH did not stick: %v", got)
		}
		if got := policyOf(t, bob); got["for_not_following"] != "accept" {
			t.Errorf("bob's policy changed with alice's: %v", got)
		}
		for _, body := range []jsonObj{{"for_not_followers": "block"}, {"for_new_accounts": ""}} {
			errorMessage(t, alice.Do(t, "PATCH", "/api/v2/notifications/policy", body), 422, "bad policy")
		}
		if r := in.Do(t, in.Token(t, &alice.User.ID, "read"), "PATCH", "/api/v2/notifications/policy", jsonObj{"for_new_accounts": "accept"}); r.Status != 403 {
			t.Errorf("PATCH with a read token = %d; want 403", r.Status)
		}
		v1 := obj(t, alice.Do(t, "GET", "/api/v1/notifications/policy", nil), 200, "GET v1 policy")
		if v1["filter_not_following"] != true || v1["filter_not_followers"] != false || v1["filter_new_accounts"] != true ||
			v1["filter_private_mentions"] != true || field(v1, "summary", "pending_requests_count") != 0.0 {
			t.Errorf("v1 policy = %v; want the v2 rules as flags", v1)
		}
		for _, method := range []string{"PATCH", "PUT"} {
			v1 = obj(t, alice.Do(t, method, "/api/v1/notifications/policy", jsonObj{"filter_not_following": false, "filter_not_followers": true}), 200, method+" v1 policy")
			if v1["filter_not_following"] != false || v1["filter_not_followers"] != true {
				t.Errorf("%s v1 policy = %v", method, v1)
			}
		}
		if got := policyOf(t, alice); got["for_not_following"] != "accept" || got["for_not_followers"] != "filter" || got["for_new_accounts"] != "filter" {
			t.Errorf("v2 policy after v1 update = %v", got)
		}
		errorMessage(t, alice.Do(t, "PATCH", "/api/v1/notifications/policy", jsonObj{"filter_new_accounts": "maybe"}), 422, "bad v1 flag")
		if r := in.Do(t, "", "GET", "/api/v2/notifications/policy", nil); r.Status != 401 {
			t.Errorf("anonymous policy = %d; want 401", r.Status)
		}
	})
}

// TestPolicyFiltersAndDrops checks where each answer of the policy sends a stranger's
// notifications: filtered ones wait in a request, dropped ones are never stored.
func TestPolicyFiltersAndDrops(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		secret := dm(t, bob, "@alice psst")
		if got := idsAt(t, alice, "/api/v1/notifications"); len(got) != 0 {
			t.Errorf("a stranger's private mention reached the list: %v", got)
		}
		if got := list(t, alice.Do(t, "GET", "/api/v1/notifications?include_filtered=true", nil), "include_filtered"); len(got) != 1 || field(got[0], "status", "id") != secret {
			t.Errorf("include_filtered = %v; want the private mention", ids(got))
		}
		if p := policyOf(t, alice); field(p, "summary", "pending_requests_count") != 1.0 || field(p, "summary", "pending_notifications_count") != 1.0 {
			t.Errorf("summary = %v; want one request holding one notification", p["summary"])
		}
		follow(t, alice, carol)
		dm(t, carol, "@alice hi friend") // alice follows carol: accepted
		if got := idsAt(t, alice, "/api/v1/notifications?types[]=mention"); len(got) != 1 {
			t.Errorf("mention from a followed account: %v; want it listed", got)
		}
		obj(t, alice.Do(t, "PATCH", "/api/v2/notifications/policy", jsonObj{"for_not_following": "drop"}), 200, "drop strangers")
		mine := say(t, alice, "hello")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+mine+"/favourite", nil), 200, "favourite")
		if got := idsAt(t, alice, "/api/v1/notifications?include_filtered=true&account_id="+idOf(bob.Account.ID)); len(got) != 1 {
			t.Errorf("bob's notifications after a dropped favourite: %v; want only the earlier mention", got)
		}
		obj(t, alice.Do(t, "PATCH", "/api/v2/notifications/policy", jsonObj{"for_not_following": "filter"}), 200, "filter strangers")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+mine+"/unfavourite", nil), 200, "unfavourite")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+mine+"/favourite", nil), 200, "favourite again")
		reqs := list(t, alice.Do(t, "GET", "/api/v1/notifications/requests", nil), "requests")
		conformsAll(t, "NotificationRequest", reqs)
		if len(reqs) != 1 || field(reqs[0], "account", "id") != idOf(bob.Account.ID) || reqs[0]["notifications_count"] != "2" ||
			field(reqs[0], "last_status", "id") != mine {
			t.Errorf("requests = %v; want bob's, holding 2, last about alice's post", reqs)
		}
		if got, _ := groupsAt(t, alice, "/api/v2/notifications"); len(got["notification_groups"].([]any)) != 1 {
			t.Errorf("grouped list shows filtered notifications: %v", got["notification_groups"])
		}
		if n := obj(t, alice.Do(t, "GET", "/api/v2/notifications/unread_count", nil), 200, "unread")["count"]; n != 1.0 {
			t.Errorf("unread count = %v; want 1 (filtered ones do not count)", n)
		}
	})
}

func TestNotificationRequests(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		dm(t, bob, "@alice one")
		dm(t, carol, "@alice two")
		dm(t, dave, "@alice three")
		dm(t, alice, "@bob for bob") // bob's own request, from alice
		reqs := idsAt(t, alice, "/api/v1/notifications/requests")
		if len(reqs) != 3 {
			t.Fatalf("alice's requests = %v; want 3", reqs)
		}
		bobsReq := idsAt(t, bob, "/api/v1/notifications/requests")[0]
		one := obj(t, alice.Do(t, "GET", "/api/v1/notifications/requests/"+reqs[2], nil), 200, "GET request")
		if field(one, "account", "id") != idOf(bob.Account.ID) {
			t.Errorf("oldest request from %v; want bob", field(one, "account", "username"))
		}
		sameIDs(t, "requests?limit=1&max_id", idsAt(t, alice, "/api/v1/notifications/requests?limit=1&max_id="+reqs[0]), reqs[1:2])
		for _, path := range []string{"/" + reqs[0], "/999", "/x"} {
			errorMessage(t, bob.Do(t, "GET", "/api/v1/notifications/requests"+path, nil), 404, "bob GET request"+path)
			errorMessage(t, bob.Do(t, "POST", "/api/v1/notifications/requests"+path+"/accept", nil), 404, "bob accepts"+path)
			errorMessage(t, bob.Do(t, "POST", "/api/v1/notifications/requests"+path+"/dismiss", nil), 404, "bob dismisses"+path)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/notifications/requests/"+reqs[2]+"/accept", nil), 200, "accept bob")
		if got := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "after accept"); len(got) != 1 || field(got[0], "account", "id") != idOf(bob.Account.ID) {
			t.Errorf("after accepting bob: %v; want bob's mention", ids(got))
		}
		if m := obj(t, alice.Do(t, "GET", "/api/v1/notifications/requests/merged", nil), 200, "merged"); m["merged"] != true {
			t.Errorf("merged = %v; want true", m)
		}
		dm(t, bob, "@alice again") // accepted senders pass from now on
		if got := idsAt(t, alice, "/api/v1/notifications"); len(got) != 2 {
			t.Errorf("after bob writes again: %v; want 2 notifications", got)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/notifications/requests/"+reqs[1]+"/dismiss", nil), 200, "dismiss carol")
		if got := idsAt(t, alice, "/api/v1/notifications?include_filtered=true&account_id="+idOf(carol.Account.ID)); len(got) != 0 {
			t.Errorf("carol's notifications after dismissing her request: %v", got)
		}
		// Bulk answers skip ids that are not the member's own.
		obj(t, alice.Do(t, "POST", "/api/v1/notifications/requests/accept", jsonObj{"id": []string{reqs[0], bobsReq}}), 200, "bulk accept")
		sameIDs(t, "requests after answering all", idsAt(t, alice, "/api/v1/notifications/requests"), []string{})
		sameIDs(t, "bob's requests", idsAt(t, bob, "/api/v1/notifications/requests"), []string{bobsReq})
		obj(t, bob.Do(t, "POST", "/api/v1/notifications/requests/dismiss", jsonObj{"id": []string{bobsReq}}), 200, "bulk dismiss")
		sameIDs(t, "bob's requests after dismissing", idsAt(t, bob, "/api/v1/notifications/requests"), []string{})
		tooMany := make([]string, 101)
		for i := range tooMany {
			tooMany[i] = idOf(int64(i + 1))
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/notifications/requests/dismiss", jsonObj{"id": tooMany}), 422, "101 ids at once")
		if p := policyOf(t, alice); field(p, "summary", "pending_requests_count") != 0.0 {
			t.Errorf("summary after answering = %v", p["summary"])
		}
		if r := in.Do(t, "", "GET", "/api/v1/notifications/requests", nil); r.Status != 401 {
			t.Errorf("anonymous requests = %d; want 401", r.Status)
		}
	})
}
