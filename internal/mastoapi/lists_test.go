package mastoapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

// newList creates a list as m and returns its id.
func newList(t *testing.T, m *servertest.Member, body jsonObj) string {
	t.Helper()
	l := obj(t, m.Do(t, "POST", "/api/v1/lists", body), 200, "create list")
	conforms(t, "List", l)
	return l["id"].(string)
}

// addMembers adds accounts to a list and fails unless it worked.
func addListMembers(t *testing.T, m *servertest.Member, listID string, members ...*servertest.Member) {
	t.Helper()
	var accountIDs []string
	for _, a := range members {
		accountIDs = append(accountIDs, idOf(a.Account.ID))
	}
	obj(t, m.Do(t, "POST", "/api/v1/lists/"+listID+"/accounts", jsonObj{"account_ids": accountIDs}), 200, "add to list")
}

func TestListCRUD(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, other := in.NewMember(t, "me"), in.NewMember(t, "other")
		friends := newList(t, me, jsonObj{"title": "Friends"})
		l := obj(t, me.Do(t, "GET", "/api/v1/lists/"+friends, nil), 200, "get list")
		if l["title"] != "Friends" || l["replies_policy"] != "list" || l["exclusive"] != false {
			t.Errorf("new list = %v; want title Friends, replies_policy list, not exclusive", l)
		}
		work := newList(t, me, jsonObj{"title": "Work", "replies_policy": "none", "exclusive": true})
		sameIDs(t, "lists", idsAt(t, me, "/api/v1/lists"), []string{friends, work})

		l = obj(t, me.Form(t, "PUT", "/api/v1/lists/"+friends, "title=Pals&replies_policy=followed&exclusive=true"), 200, "update list")
		if l["title"] != "Pals" || l["replies_policy"] != "followed" || l["exclusive"] != true {
			t.Errorf("updated list = %v", l)
		}
		l = obj(t, me.Do(t, "PUT", "/api/v1/lists/"+friends, jsonObj{"exclusive": false}), 200, "partial update")
		if l["title"] != "Pals" || l["replies_policy"] != "followed" || l["exclusive"] != false {
			t.Errorf("partly updated list = %v; want only exclusive changed", l)
		}

		for _, c := range []struct {
			method, path string
			body         jsonObj
		}{
			{"GET", "/api/v1/lists/" + friends, nil},
			{"PUT", "/api/v1/lists/" + friends, jsonObj{"title": "mine now"}},
			{"DELETE", "/api/v1/lists/" + friends, nil},
			{"GET", "/api/v1/lists/" + friends + "/accounts", nil},
			{"POST", "/api/v1/lists/" + friends + "/accounts", jsonObj{"account_ids": []string{idOf(me.Account.ID)}}},
			{"DELETE", "/api/v1/lists/" + friends + "/accounts", jsonObj{"account_ids": []string{idOf(me.Account.ID)}}},
			{"GET", "/api/v1/timelines/list/" + friends, nil},
			{"GET", "/api/v1/lists/nonsense", nil},
		} {
			errorMessage(t, other.Do(t, c.method, c.path, c.body), 404, "another's list: "+c.method+" "+c.path)
		}
		sameIDs(t, "other's lists", idsAt(t, other, "/api/v1/lists"), []string{})

		obj(t, me.Do(t, "DELETE", "/api/v1/lists/"+work, nil), 200, "delete list")
		want(t, me.Do(t, "GET", "/api/v1/lists/"+work, nil), 404, "deleted list")
		sameIDs(t, "lists after delete", idsAt(t, me, "/api/v1/lists"), []string{friends})
		want(t, in.Do(t, "", "GET", "/api/v1/lists", nil), 401, "anonymous lists")
	})
}

func TestListBadInput(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me := in.NewMember(t, "me")
		for _, body := range []jsonObj{
			{},
			{"title": "   "},
			{"title": strings.Repeat("x", 256)},
			{"title": "ok", "replies_policy": "everyone"},
			{"title": "ok", "exclusive": "maybe"},
		} {
			errorMessage(t, me.Do(t, "POST", "/api/v1/lists", body), 422, fmt.Sprintf("create list %v", body))
		}
		newList(t, me, jsonObj{"title": strings.Repeat("é", 255)})
		l := newList(t, me, jsonObj{"title": "ok"})
		errorMessage(t, me.Do(t, "PUT", "/api/v1/lists/"+l, jsonObj{"title": strings.Repeat("x", 256)}), 422, "rename too long")
		errorMessage(t, me.Do(t, "PUT", "/api/v1/lists/"+l, jsonObj{"replies_policy": "all"}), 422, "bad policy")
		for i := 2; i < 50; i++ {
			newList(t, me, jsonObj{"title": fmt.Sprint("list ", i)})
		}
		errorMessage(t, me.Do(t, "POST", "/api/v1/lists", jsonObj{"title": "one too many"}), 422, "51st list")
	})
}

func TestListMembers(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, a, b, c, stranger := in.NewMember(t, "me"), in.NewMember(t, "a"), in.NewMember(t, "b"), in.NewMember(t, "c"), in.NewMember(t, "stranger")
		for _, m := range []*servertest.Member{a, b, c} {
			follow(t, me, m)
		}
		l := newList(t, me, jsonObj{"title": "L"})
		l2 := newList(t, me, jsonObj{"title": "L2"})
		addListMembers(t, me, l, a, b)
		obj(t, me.Form(t, "POST", "/api/v1/lists/"+l+"/accounts", "account_ids[]="+idOf(c.Account.ID)), 200, "add by form")
		addListMembers(t, me, l2, b)

		all := list(t, me.Do(t, "GET", "/api/v1/lists/"+l+"/accounts?limit=0", nil), "all members")
		conformsAll(t, "Account", all)
		abc := []string{idOf(a.Account.ID), idOf(b.Account.ID), idOf(c.Account.ID)}
		sameIDs(t, "members", ids(all), []string{abc[2], abc[1], abc[0]})

		r := me.Do(t, "GET", "/api/v1/lists/"+l+"/accounts?limit=2", nil)
		sameIDs(t, "first page", ids(list(t, r, "page 1")), []string{abc[2], abc[1]})
		next := link(t, in, r, "next")
		sameIDs(t, "second page", idsAt(t, me, next), []string{abc[0]})

		sameIDs(t, "lists with b", idsAt(t, me, "/api/v1/accounts/"+idOf(b.Account.ID)+"/lists"), []string{l, l2})
		sameIDs(t, "lists with a", idsAt(t, me, "/api/v1/accounts/"+idOf(a.Account.ID)+"/lists"), []string{l})
		sameIDs(t, "stranger's view of b's lists", idsAt(t, stranger, "/api/v1/accounts/"+idOf(b.Account.ID)+"/lists"), []string{})
		want(t, me.Do(t, "GET", "/api/v1/accounts/999999/lists", nil), 404, "lists of no account")

		errorMessage(t, me.Do(t, "POST", "/api/v1/lists/"+l+"/accounts", jsonObj{"account_ids": []string{idOf(stranger.Account.ID)}}), 422, "add unfollowed")
		errorMessage(t, me.Do(t, "POST", "/api/v1/lists/"+l+"/accounts", jsonObj{"account_ids": []string{idOf(a.Account.ID)}}), 422, "add twice")
		errorMessage(t, me.Do(t, "POST", "/api/v1/lists/"+l2+"/accounts", jsonObj{"account_ids": []string{idOf(a.Account.ID), "999999"}}), 404, "add missing account")
		errorMessage(t, me.Do(t, "POST", "/api/v1/lists/"+l2+"/accounts", jsonObj{}), 400, "add nobody")
		sameIDs(t, "l2 after failed adds (all or none)", idsAt(t, me, "/api/v1/lists/"+l2+"/accounts"), []string{abc[1]})

		obj(t, me.Do(t, "DELETE", "/api/v1/lists/"+l+"/accounts", jsonObj{"account_ids": []string{abc[0]}}), 200, "remove")
		sameIDs(t, "after removal", idsAt(t, me, "/api/v1/lists/"+l+"/accounts"), []string{abc[2], abc[1]})

		obj(t, me.Do(t, "POST", "/api/v1/accounts/"+abc[1]+"/unfollow", nil), 200, "unfollow b")
		sameIDs(t, "after unfollowing b", idsAt(t, me, "/api/v1/lists/"+l+"/accounts"), []string{abc[2]})
		sameIDs(t, "l2 after unfollowing b", idsAt(t, me, "/api/v1/lists/"+l2+"/accounts"), []string{})
	})
}

func TestListTimeline(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, a, b, followed, stranger := in.NewMember(t, "me"), in.NewMember(t, "a"), in.NewMember(t, "b"), in.NewMember(t, "followed"), in.NewMember(t, "stranger")
		for _, m := range []*servertest.Member{a, b, followed} {
			follow(t, me, m)
		}
		obj(t, me.Do(t, "POST", "/api/v1/accounts/"+idOf(b.Account.ID)+"/follow", jsonObj{"reblogs": false}), 200, "hide b's boosts")
		byList := map[string]string{}
		for _, policy := range []string{"list", "followed", "none"} {
			byList[policy] = newList(t, me, jsonObj{"title": policy, "replies_policy": policy})
			addListMembers(t, me, byList[policy], a, b)
		}

		aPost := say(t, a, "a speaks")
		strangerPost := say(t, stranger, "stranger speaks")
		followedPost := say(t, followed, "followed speaks")
		mine := say(t, me, "me speaks")
		toSelf := post(t, a, jsonObj{"status": "more", "in_reply_to_id": aPost})["id"].(string)
		bPost := say(t, b, "b speaks")
		toMember := post(t, a, jsonObj{"status": "@b hi", "in_reply_to_id": bPost})["id"].(string)
		toFollowed := post(t, a, jsonObj{"status": "@followed hi", "in_reply_to_id": followedPost})["id"].(string)
		toOwner := post(t, a, jsonObj{"status": "@me hi", "in_reply_to_id": mine})["id"].(string)
		post(t, a, jsonObj{"status": "@stranger hi", "in_reply_to_id": strangerPost})
		boostA := obj(t, a.Do(t, "POST", "/api/v1/statuses/"+strangerPost+"/reblog", nil), 200, "a boosts")["id"].(string)
		obj(t, b.Do(t, "POST", "/api/v1/statuses/"+strangerPost+"/reblog", nil), 200, "b boosts (hidden)")
		private := post(t, a, jsonObj{"status": "followers only", "visibility": "private"})["id"].(string)
		post(t, a, jsonObj{"status": "@me secret", "visibility": "direct"})

		for policy, want := range map[string][]string{
			"list":     {private, boostA, toOwner, toMember, bPost, toSelf, aPost},
			"followed": {private, boostA, toOwner, toFollowed, toMember, bPost, toSelf, aPost},
			"none":     {private, boostA, toOwner, bPost, toSelf, aPost},
		} {
			tl := list(t, me.Do(t, "GET", "/api/v1/timelines/list/"+byList[policy], nil), "list timeline "+policy)
			conformsAll(t, "Status", tl)
			sameIDs(t, "list timeline ("+policy+")", ids(tl), want)
		}

		r := me.Do(t, "GET", "/api/v1/timelines/list/"+byList["none"]+"?limit=2", nil)
		sameIDs(t, "page 1", ids(list(t, r, "page 1")), []string{private, boostA})
		sameIDs(t, "page 2", idsAt(t, me, link(t, in, r, "next")), []string{toOwner, bPost})
		sameIDs(t, "newer than page 2", idsAt(t, me, "/api/v1/timelines/list/"+byList["none"]+"?min_id="+toOwner), []string{private, boostA})
	})
}

func TestExclusiveListsLeaveHome(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		me, a, b := in.NewMember(t, "me"), in.NewMember(t, "a"), in.NewMember(t, "b")
		follow(t, me, a)
		follow(t, me, b)
		aPost, bPost, mine := say(t, a, "from a"), say(t, b, "from b"), say(t, me, "mine")
		l := newList(t, me, jsonObj{"title": "a only", "exclusive": true})
		addListMembers(t, me, l, a, me)
		inclusive := newList(t, me, jsonObj{"title": "b too"})
		addListMembers(t, me, inclusive, b)

		sameIDs(t, "home with a in an exclusive list", idsAt(t, me, "/api/v1/timelines/home"), []string{mine, bPost})
		sameIDs(t, "the exclusive list", idsAt(t, me, "/api/v1/timelines/list/"+l), []string{mine, aPost})

		obj(t, me.Do(t, "PUT", "/api/v1/lists/"+l, jsonObj{"exclusive": false}), 200, "make inclusive")
		home := idsAt(t, me, "/api/v1/timelines/home")
		if !slices.Contains(home, aPost) {
			t.Errorf("home after the list became inclusive = %v; want %s back", home, aPost)
		}
	})
}
