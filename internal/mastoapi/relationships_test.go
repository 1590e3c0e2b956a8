package mastoapi_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// relAct posts /api/v1/accounts/{target}/{action} as m and returns the Relationship.
func relAct(t *testing.T, m *servertest.Member, target *servertest.Member, action string, body jsonObj) jsonObj {
	t.Helper()
	rel := obj(t, m.Do(t, "POST", "/api/v1/accounts/"+idOf(target.Account.ID)+"/"+action, body), 200, m.Account.Username+" "+action)
	conforms(t, "Relationship", rel)
	return rel
}

// relWith returns m's relationship with target.
func relWith(t *testing.T, m *servertest.Member, target int64) jsonObj {
	t.Helper()
	l := list(t, m.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+idOf(target), nil), "relationships")
	if len(l) != 1 {
		t.Fatalf("relationships = %v; want one", l)
	}
	return l[0]
}

// relFlags fails unless the relationship's boolean fields have the wanted values.
func relFlags(t *testing.T, what string, rel jsonObj, want map[string]bool) {
	t.Helper()
	for k, v := range want {
		if rel[k] != v {
			t.Errorf("%s: %s = %v; want %v", what, k, rel[k], v)
		}
	}
}

// shows reports whether path, read as m, lists the status id.
func shows(t *testing.T, m *servertest.Member, path, statusID string) bool {
	t.Helper()
	return slices.Contains(idsAt(t, m, path), statusID)
}

func TestBlock(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		follow(t, alice, bob)
		follow(t, bob, alice)
		aliceSays := say(t, alice, "alice speaks of #tuskblock zebras")
		bobSays := say(t, bob, "bob speaks of #tuskblock zebras")
		reply := post(t, bob, jsonObj{"status": "@alice a reply", "in_reply_to_id": aliceSays})["id"].(string)
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/favourite", nil), 200, "favourite before the block")

		rel := relAct(t, alice, bob, "block", nil)
		relFlags(t, "after block", rel, map[string]bool{"blocking": true, "following": false, "followed_by": false, "blocked_by": false})
		relFlags(t, "bob's side", relWith(t, bob, alice.Account.ID), map[string]bool{"blocked_by": true, "following": false, "blocking": false})
		if me := obj(t, alice.Do(t, "GET", "/api/v1/accounts/verify_credentials", nil), 200, "me"); me["following_count"] != 0.0 || me["followers_count"] != 0.0 {
			t.Errorf("alice's counts after block = %v following, %v followers; want 0, 0", me["following_count"], me["followers_count"])
		}

		// The blocker no longer sees the blocked account anywhere tusk lists statuses.
		for _, path := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/tuskblock"} {
			if shows(t, alice, path, bobSays) {
				t.Errorf("%s shows the blocked account's status", path)
			}
		}
		found := obj(t, alice.Do(t, "GET", "/api/v2/search?type=statuses&q=zebras", nil), 200, "search")
		var foundIDs []string
		for _, st := range found["statuses"].([]any) {
			foundIDs = append(foundIDs, st.(map[string]any)["id"].(string))
		}
		sameIDs(t, "search for zebras", foundIDs, []string{aliceSays})
		ctxList := obj(t, alice.Do(t, "GET", "/api/v1/statuses/"+aliceSays+"/context", nil), 200, "context")
		if d, _ := ctxList["descendants"].([]any); len(d) != 0 {
			t.Errorf("context descendants = %v; want the blocked account's reply %s gone", d, reply)
		}
		if n := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications"); len(n) != 0 {
			t.Errorf("notifications after block = %v; want those from the blocked account gone", ids(n))
		}

		// The blocked account sees nothing of the blocker and cannot interact.
		want(t, bob.Do(t, "GET", "/api/v1/statuses/"+aliceSays, nil), 404, "blocked reads blocker's status")
		want(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/reblog", nil), 404, "blocked boosts blocker's status")
		want(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/favourite", nil), 404, "blocked favourites blocker's status")
		if got := idsAt(t, bob, "/api/v1/accounts/"+idOf(alice.Account.ID)+"/statuses"); len(got) != 0 {
			t.Errorf("blocker's statuses seen by the blocked = %v; want none", got)
		}
		if shows(t, bob, "/api/v1/timelines/public", aliceSays) {
			t.Errorf("public timeline shows the blocked account the blocker's status")
		}
		errorMessage(t, bob.Do(t, "POST", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/follow", nil), 403, "blocked follows blocker")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/follow", nil), 403, "blocker follows blocked")
		say(t, bob, "@alice are you there?")
		if n := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications"); len(n) != 0 {
			t.Errorf("a mention by the blocked account notified the blocker: %v", n)
		}

		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobSays+"/favourite", nil), 403, "blocker favourites the blocked's status")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobSays+"/reblog", nil), 403, "blocker boosts the blocked's status")
		obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobSays+"/bookmark", nil), 200, "blocker bookmarks the blocked's status")

		blocks := list(t, alice.Do(t, "GET", "/api/v1/blocks", nil), "blocks")
		conformsAll(t, "Account", blocks)
		sameIDs(t, "blocks", ids(blocks), []string{idOf(bob.Account.ID)})

		relFlags(t, "after unblock", relAct(t, alice, bob, "unblock", nil), map[string]bool{"blocking": false})
		if got := idsAt(t, alice, "/api/v1/blocks"); len(got) != 0 {
			t.Errorf("blocks after unblock = %v; want none", got)
		}
		if !shows(t, alice, "/api/v1/timelines/public", bobSays) {
			t.Errorf("public timeline after unblock misses the account's status")
		}
		obj(t, bob.Do(t, "GET", "/api/v1/statuses/"+aliceSays, nil), 200, "status after unblock")
	})
}

func TestBlockRefusals(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		for _, action := range []string{"block", "unblock", "mute", "unmute", "note", "remove_from_followers", "endorse", "unendorse", "pin", "unpin"} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/999999/"+action, nil), 404, action+" of an unknown account")
			errorMessage(t, in.Do(t, "", "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/"+action, nil), 401, action+" anonymously")
		}
		readOnly := in.Token(t, &alice.User.ID, "read")
		for _, action := range []string{"block", "mute", "note", "endorse"} {
			errorMessage(t, in.Do(t, readOnly, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/"+action, nil), 403, action+" with a read-only token")
		}
		for _, path := range []string{"/api/v1/blocks", "/api/v1/mutes", "/api/v1/domain_blocks", "/api/v1/endorsements"} {
			errorMessage(t, in.Do(t, "", "GET", path, nil), 401, path+" anonymously")
		}
		relFlags(t, "self block", relAct(t, alice, alice, "block", nil), map[string]bool{"blocking": false})
		relFlags(t, "self mute", relAct(t, alice, alice, "mute", nil), map[string]bool{"muting": false})
		// The legacy follow scope covers blocks and mutes, as in Mastodon.
		legacy := in.Token(t, &alice.User.ID, "follow")
		obj(t, in.Do(t, legacy, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/block", nil), 200, "block with the follow scope")
		list(t, in.Do(t, legacy, "GET", "/api/v1/blocks", nil), "blocks with the follow scope")
	})
}

func TestMute(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		follow(t, alice, bob)
		follow(t, alice, carol)
		bobSays := say(t, bob, "bob says #tuskmute")
		boost := obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+bobSays+"/reblog", nil), 200, "carol boosts bob")["id"].(string)
		aliceSays := say(t, alice, "alice says")

		rel := relAct(t, alice, bob, "mute", nil)
		relFlags(t, "after mute", rel, map[string]bool{"muting": true, "muting_notifications": true, "following": true})
		if rel["muting_expires_at"] != nil {
			t.Errorf("muting_expires_at of a mute without duration = %v; want null", rel["muting_expires_at"])
		}
		for _, path := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/tuskmute"} {
			if shows(t, alice, path, bobSays) {
				t.Errorf("%s shows the muted account's status", path)
			}
		}
		if shows(t, alice, "/api/v1/timelines/home", boost) {
			t.Errorf("home shows a boost of the muted account's status")
		}
		obj(t, alice.Do(t, "GET", "/api/v1/statuses/"+bobSays, nil), 200, "a muted account's status is still readable directly")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/favourite", nil), 200, "muted favourites")
		if n := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications"); len(n) != 0 {
			t.Errorf("notifications from the muted account = %v; want none", n)
		}

		// notifications=false keeps the notifications, and changes the existing mute.
		rel = relAct(t, alice, bob, "mute", jsonObj{"notifications": false})
		relFlags(t, "mute without notifications", rel, map[string]bool{"muting": true, "muting_notifications": false})
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/unfavourite", nil), 200, "unfavourite")
		obj(t, bob.Do(t, "POST", "/api/v1/statuses/"+aliceSays+"/favourite", nil), 200, "favourite again")
		if n := list(t, alice.Do(t, "GET", "/api/v1/notifications", nil), "notifications"); len(n) != 1 {
			t.Errorf("notifications from an account muted without notifications = %d; want 1", len(n))
		}

		mutes := list(t, alice.Do(t, "GET", "/api/v1/mutes", nil), "mutes")
		conformsAll(t, "MutedAccount", mutes)
		if len(mutes) != 1 || mutes[0]["id"] != idOf(bob.Account.ID) || mutes[0]["mute_expires_at"] != nil {
			t.Errorf("mutes = %v; want bob, without expiry", mutes)
		}

		relFlags(t, "after unmute", relAct(t, alice, bob, "unmute", nil), map[string]bool{"muting": false, "muting_notifications": false})
		if !shows(t, alice, "/api/v1/timelines/home", bobSays) || !shows(t, alice, "/api/v1/timelines/home", boost) {
			t.Errorf("home after unmute misses the account's status or its boost")
		}
		if got := idsAt(t, alice, "/api/v1/mutes"); len(got) != 0 {
			t.Errorf("mutes after unmute = %v; want none", got)
		}
	})
}

func TestMuteDuration(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		bobSays := say(t, bob, "bob says")
		before := time.Now()
		rel := relAct(t, alice, bob, "mute", jsonObj{"duration": 3600})
		expires, err := time.Parse(time.RFC3339, rel["muting_expires_at"].(string))
		if err != nil || expires.Before(before.Add(59*time.Minute)) || expires.After(time.Now().Add(61*time.Minute)) {
			t.Errorf("muting_expires_at = %v (%v); want an hour from now", rel["muting_expires_at"], err)
		}
		mutes := list(t, alice.Do(t, "GET", "/api/v1/mutes", nil), "mutes")
		if len(mutes) != 1 || mutes[0]["mute_expires_at"] != rel["muting_expires_at"] {
			t.Errorf("mutes = %v; want bob with mute_expires_at %v", mutes, rel["muting_expires_at"])
		}
		if shows(t, alice, "/api/v1/timelines/public", bobSays) {
			t.Errorf("public timeline shows a status of an account muted for an hour")
		}

		// Let the mute run out: it stops applying at once, before any clean-up runs.
		ctx := context.Background()
		past := time.Now().Add(-time.Second)
		if err := in.Store.Writer().UpsertMute(ctx, &model.Mute{AccountID: alice.Account.ID, TargetAccountID: bob.Account.ID,
			HideNotifications: true, ExpiresAt: &past}); err != nil {
			t.Fatal(err)
		}
		if !shows(t, alice, "/api/v1/timelines/public", bobSays) {
			t.Errorf("public timeline still hides the status after the mute expired")
		}
		relFlags(t, "after expiry", relWith(t, alice, bob.Account.ID), map[string]bool{"muting": false})
		if got := idsAt(t, alice, "/api/v1/mutes"); len(got) != 0 {
			t.Errorf("mutes after expiry = %v; want none", got)
		}
		if n, err := in.Store.Writer().DeleteExpiredMutes(ctx, time.Now()); err != nil || n != 1 {
			t.Errorf("DeleteExpiredMutes = %d, %v; want 1 expired mute deleted", n, err)
		}

		for _, bad := range []jsonObj{{"duration": -1}, {"duration": "soon"}, {"notifications": "perhaps"}} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/mute", bad), 422, "mute with "+describe(bad))
		}
	})
}

func TestAccountNote(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		rel := relAct(t, alice, bob, "note", jsonObj{"comment": "met at the café"})
		if rel["note"] != "met at the café" {
			t.Errorf("note = %v; want the comment", rel["note"])
		}
		if got := relWith(t, alice, bob.Account.ID)["note"]; got != "met at the café" {
			t.Errorf("relationship note = %v; want it stored", got)
		}
		if got := relWith(t, bob, alice.Account.ID)["note"]; got != "" {
			t.Errorf("bob sees note %v on alice; want his own (none)", got)
		}
		errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/note", jsonObj{"comment": strings.Repeat("é", 2001)}), 422, "note too long")
		relAct(t, alice, bob, "note", jsonObj{"comment": strings.Repeat("é", 2000)})
		if got := relAct(t, alice, bob, "note", jsonObj{"comment": ""})["note"]; got != "" {
			t.Errorf("note after clearing = %v; want empty", got)
		}
	})
}

func TestRemoveFromFollowers(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		follow(t, bob, alice)
		relFlags(t, "before", relWith(t, alice, bob.Account.ID), map[string]bool{"followed_by": true})
		relFlags(t, "after", relAct(t, alice, bob, "remove_from_followers", nil), map[string]bool{"followed_by": false})
		relFlags(t, "bob's side", relWith(t, bob, alice.Account.ID), map[string]bool{"following": false})
		if got := idsAt(t, alice, "/api/v1/accounts/"+idOf(alice.Account.ID)+"/followers"); len(got) != 0 {
			t.Errorf("followers after removal = %v; want none", got)
		}
		relAct(t, alice, bob, "remove_from_followers", nil) // removing a non-follower is harmless
	})
}

func TestEndorsements(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/endorse", nil), 422, "endorse an account not followed")
		follow(t, alice, bob)
		follow(t, alice, carol)
		follow(t, alice, dave)
		relFlags(t, "endorse", relAct(t, alice, bob, "endorse", nil), map[string]bool{"endorsed": true})
		relFlags(t, "pin", relAct(t, alice, carol, "pin", nil), map[string]bool{"endorsed": true})
		relAct(t, alice, dave, "endorse", nil)
		mine := alice.Do(t, "GET", "/api/v1/endorsements?limit=2", nil)
		sameIDs(t, "endorsements page 1", ids(list(t, mine, "endorsements")), []string{idOf(dave.Account.ID), idOf(carol.Account.ID)})
		next := link(t, in, mine, "next")
		sameIDs(t, "endorsements page 2", idsAt(t, alice, next), []string{idOf(bob.Account.ID)})

		public := in.Do(t, "", "GET", "/api/v1/accounts/"+idOf(alice.Account.ID)+"/endorsements", nil)
		conformsAll(t, "Account", list(t, public, "public endorsements"))
		sameIDs(t, "alice's endorsements, anonymously", ids(list(t, public, "public endorsements")),
			[]string{idOf(dave.Account.ID), idOf(carol.Account.ID), idOf(bob.Account.ID)})
		errorMessage(t, in.Do(t, "", "GET", "/api/v1/accounts/999999/endorsements", nil), 404, "endorsements of an unknown account")

		relFlags(t, "unendorse", relAct(t, alice, dave, "unendorse", nil), map[string]bool{"endorsed": false})
		relFlags(t, "unpin", relAct(t, alice, carol, "unpin", nil), map[string]bool{"endorsed": false})
		obj(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(bob.Account.ID)+"/unfollow", nil), 200, "unfollow")
		if got := idsAt(t, alice, "/api/v1/endorsements"); len(got) != 0 {
			t.Errorf("endorsements after unfollowing the endorsed = %v; want none", got)
		}

		follow(t, alice, bob)
		relAct(t, alice, bob, "endorse", nil)
		relAct(t, alice, carol, "block", nil)
		if got := idsAt(t, carol, "/api/v1/accounts/"+idOf(alice.Account.ID)+"/endorsements"); len(got) != 0 {
			t.Errorf("endorsements seen by a blocked account = %v; want none", got)
		}
	})
}

func TestDomainBlocks(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		alice := in.NewMember(t, "alice")
		farSays := remoteStatus(t, in, "hello from afar")
		far, err := in.Store.AccountByHandle(ctx, "far", "remote.example")
		if err != nil {
			t.Fatal(err)
		}
		near := &model.Account{Username: "near", Domain: "other.example", URI: "https://other.example/users/near"}
		if err := in.Store.Writer().InsertAccount(ctx, near); err != nil {
			t.Fatal(err)
		}
		if err := in.Store.Tx(ctx, func(q store.Q) error {
			return q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: far.ID, TargetAccountID: alice.Account.ID, ShowReblogs: true})
		}); err != nil {
			t.Fatal(err)
		}
		if !shows(t, alice, "/api/v1/timelines/public", farSays) {
			t.Fatalf("public timeline misses the remote status before the block")
		}

		obj(t, alice.Do(t, "POST", "/api/v1/domain_blocks", jsonObj{"domain": " Remote.Example "}), 200, "block domain")
		var domains []string
		alice.Do(t, "GET", "/api/v1/domain_blocks", nil).JSON(t, &domains)
		if !slices.Equal(domains, []string{"remote.example"}) {
			t.Errorf("domain_blocks = %v; want [remote.example]", domains)
		}
		if shows(t, alice, "/api/v1/timelines/public", farSays) {
			t.Errorf("public timeline shows a status from a blocked domain")
		}
		relFlags(t, "remote account", relWith(t, alice, far.ID), map[string]bool{"domain_blocking": true, "followed_by": false})
		relFlags(t, "account elsewhere", relWith(t, alice, near.ID), map[string]bool{"domain_blocking": false})
		errorMessage(t, alice.Do(t, "POST", "/api/v1/accounts/"+idOf(far.ID)+"/follow", nil), 403, "follow on a blocked domain")

		for _, bad := range []string{"", "not a domain", "https://remote.example/", strings.Repeat("a", 250) + ".example"} {
			errorMessage(t, alice.Do(t, "POST", "/api/v1/domain_blocks", jsonObj{"domain": bad}), 422, "block domain "+bad)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/domain_blocks", jsonObj{"domain": "other.example"}), 200, "block a second domain")
		obj(t, alice.Do(t, "POST", "/api/v1/domain_blocks", jsonObj{"domain": "third.example"}), 200, "block a third domain")
		page := alice.Do(t, "GET", "/api/v1/domain_blocks?limit=2", nil)
		page.JSON(t, &domains)
		if !slices.Equal(domains, []string{"third.example", "other.example"}) {
			t.Errorf("domain_blocks page 1 = %v; want the newest two", domains)
		}
		alice.Do(t, "GET", link(t, in, page, "next"), nil).JSON(t, &domains)
		if !slices.Equal(domains, []string{"remote.example"}) {
			t.Errorf("domain_blocks page 2 = %v; want [remote.example]", domains)
		}

		req := alice.Form(t, "DELETE", "/api/v1/domain_blocks", "domain=remote.example")
		want(t, req, 200, "unblock domain")
		if !shows(t, alice, "/api/v1/timelines/public", farSays) {
			t.Errorf("public timeline misses the remote status after the unblock")
		}
		errorMessage(t, in.Do(t, in.Token(t, &alice.User.ID, "read"), "POST", "/api/v1/domain_blocks", jsonObj{"domain": "x.example"}), 403, "domain block with a read-only token")
	})
}

func TestFamiliarFollowersAndMultiGet(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		follow(t, alice, carol)
		follow(t, alice, dave)
		follow(t, carol, bob)
		follow(t, dave, bob)
		follow(t, bob, carol)
		path := "/api/v1/accounts/familiar_followers?id[]=" + idOf(bob.Account.ID) + "&id[]=" + idOf(carol.Account.ID) + "&id[]=999999"
		got := list(t, alice.Do(t, "GET", path, nil), "familiar_followers")
		conformsAll(t, "FamiliarFollowers", got)
		if len(got) != 2 || got[0]["id"] != idOf(bob.Account.ID) || got[1]["id"] != idOf(carol.Account.ID) {
			t.Fatalf("familiar_followers = %v; want bob then carol", got)
		}
		var bobs, carols []string
		for _, a := range got[0]["accounts"].([]any) {
			bobs = append(bobs, a.(map[string]any)["id"].(string))
		}
		for _, a := range got[1]["accounts"].([]any) {
			carols = append(carols, a.(map[string]any)["id"].(string))
		}
		sameIDs(t, "bob's familiar followers", bobs, []string{idOf(carol.Account.ID), idOf(dave.Account.ID)})
		if len(carols) != 0 {
			t.Errorf("carol's familiar followers = %v; want none (bob follows her, alice does not follow bob)", carols)
		}
		errorMessage(t, in.Do(t, "", "GET", path, nil), 401, "familiar_followers anonymously")

		multi := "/api/v1/accounts?id[]=" + idOf(carol.Account.ID) + "&id[]=999999&id[]=" + idOf(alice.Account.ID)
		accounts := list(t, in.Do(t, "", "GET", multi, nil), "multi-get")
		conformsAll(t, "Account", accounts)
		sameIDs(t, "multi-get", ids(accounts), []string{idOf(carol.Account.ID), idOf(alice.Account.ID)})
		tooMany := "/api/v1/accounts?id[]=1" + strings.Repeat("&id[]=1", 40)
		errorMessage(t, alice.Do(t, "GET", tooMany, nil), 422, "multi-get of 41 accounts")
		errorMessage(t, alice.Do(t, "GET", strings.Replace(tooMany, "/accounts?", "/accounts/familiar_followers?", 1), nil), 422, "familiar_followers of 41 accounts")
	})
}

func TestBlockAndMuteListsPage(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice := in.NewMember(t, "alice")
		var blocked []string
		for _, name := range []string{"b1", "b2", "b3"} {
			m := in.NewMember(t, name)
			relAct(t, alice, m, "block", nil)
			relAct(t, alice, m, "mute", nil)
			blocked = append([]string{idOf(m.Account.ID)}, blocked...)
		}
		for _, path := range []string{"/api/v1/blocks", "/api/v1/mutes"} {
			first := alice.Do(t, "GET", path+"?limit=2", nil)
			sameIDs(t, path+" page 1", ids(list(t, first, path)), blocked[:2])
			next := link(t, in, first, "next")
			sameIDs(t, path+" page 2", idsAt(t, alice, next), blocked[2:])
			prev := link(t, in, alice.Do(t, "GET", next, nil), "prev")
			sameIDs(t, path+" back to page 1", idsAt(t, alice, prev), blocked[:2])
		}
	})
}
