package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func conversationsOf(t *testing.T, m *servertest.Member) jsonList {
	t.Helper()
	l := list(t, m.Do(t, "GET", "/api/v1/conversations", nil), m.Account.Username+"'s conversations")
	conformsAll(t, "Conversation", l)
	return l
}

func accountIDs(v any) []string { return ids(toList(v)) }

func TestConversations(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol, dave := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol"), in.NewMember(t, "dave")
		first := dm(t, alice, "@bob @carol plans?")
		say(t, alice, "@bob public, not a conversation")
		convs := conversationsOf(t, bob)
		if len(convs) != 1 || convs[0]["unread"] != true || field(convs[0], "last_status", "id") != first ||
			!sameSet(accountIDs(convs[0]["accounts"]), idOf(alice.Account.ID), idOf(carol.Account.ID)) {
			t.Fatalf("bob's conversations = %v; want one unread with alice and carol", convs)
		}
		mine := conversationsOf(t, alice)
		if len(mine) != 1 || mine[0]["unread"] != false || !sameSet(accountIDs(mine[0]["accounts"]), idOf(bob.Account.ID), idOf(carol.Account.ID)) {
			t.Fatalf("alice's conversations = %v; want one read, with bob and carol", mine)
		}
		reply := post(t, bob, jsonObj{"status": "@alice @carol saturday", "visibility": "direct", "in_reply_to_id": first})["id"].(string)
		mine = conversationsOf(t, alice)
		if len(mine) != 1 || mine[0]["unread"] != true || field(mine[0], "last_status", "id") != reply {
			t.Errorf("alice's conversation after bob's reply = %v; want the same one, unread, ending with the reply", mine)
		}
		bobs := conversationsOf(t, bob)
		if len(bobs) != 1 || bobs[0]["id"] != convs[0]["id"] || bobs[0]["unread"] != false {
			t.Errorf("bob's conversations after replying = %v; want the same one, read (he wrote last)", bobs)
		}
		carols := conversationsOf(t, carol)[0]["id"].(string)
		for _, m := range []*servertest.Member{alice, dave} {
			errorMessage(t, m.Do(t, "POST", "/api/v1/conversations/"+carols+"/read", nil), 404, m.Account.Username+" reads carol's")
			errorMessage(t, m.Do(t, "DELETE", "/api/v1/conversations/"+carols, nil), 404, m.Account.Username+" deletes carol's")
		}
		errorMessage(t, carol.Do(t, "POST", "/api/v1/conversations/x/read", nil), 404, "malformed id")
		read := obj(t, carol.Do(t, "POST", "/api/v1/conversations/"+carols+"/read", nil), 200, "read")
		conforms(t, "Conversation", map[string]any(read))
		if read["unread"] != false || conversationsOf(t, carol)[0]["unread"] != false {
			t.Errorf("after read: %v; want unread false", read)
		}
		obj(t, bob.Do(t, "DELETE", "/api/v1/statuses/"+reply, nil), 200, "delete reply")
		if mine = conversationsOf(t, alice); len(mine) != 1 || field(mine[0], "last_status", "id") != first {
			t.Errorf("after the reply was deleted: %v; want the first message last", mine)
		}
		if d := obj(t, carol.Do(t, "DELETE", "/api/v1/conversations/"+carols, nil), 200, "delete conversation"); len(d) != 0 {
			t.Errorf("delete = %v; want {}", d)
		}
		if got := conversationsOf(t, carol); len(got) != 0 {
			t.Errorf("carol's conversations after deleting = %v", ids(got))
		}
		if got := conversationsOf(t, bob); len(got) != 1 {
			t.Errorf("bob lost his conversation when carol deleted hers")
		}
		obj(t, alice.Do(t, "DELETE", "/api/v1/statuses/"+first, nil), 200, "delete first")
		if got := conversationsOf(t, bob); len(got) != 0 {
			t.Errorf("conversation without statuses still listed: %v", ids(got))
		}
		if r := in.Do(t, in.Token(t, &bob.User.ID, "read"), "DELETE", "/api/v1/conversations/"+convs[0]["id"].(string), nil); r.Status != 403 {
			t.Errorf("delete with a read token = %d; want 403", r.Status)
		}
		if r := in.Do(t, "", "GET", "/api/v1/conversations", nil); r.Status != 401 {
			t.Errorf("anonymous conversations = %d; want 401", r.Status)
		}
	})
}

func TestConversationPagesAndParticipants(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		a := dm(t, alice, "@bob one")
		b := dm(t, alice, "@carol two")
		c := dm(t, alice, "@bob @carol three")
		note := dm(t, alice, "a note to myself")
		convs := conversationsOf(t, alice)
		var lasts []string
		for _, cv := range convs {
			lasts = append(lasts, field(cv, "last_status", "id").(string))
		}
		sameIDs(t, "alice's conversations by last status", lasts, []string{note, c, b, a})
		if got := accountIDs(convs[0]["accounts"]); len(got) != 1 || got[0] != idOf(alice.Account.ID) {
			t.Errorf("a note to oneself lists %v; want alice herself", got)
		}
		r := alice.Do(t, "GET", "/api/v1/conversations?limit=2", nil)
		if got := list(t, r, "page 1"); len(got) != 2 {
			t.Fatalf("limit=2 gave %d", len(got))
		}
		next := list(t, alice.Do(t, "GET", link(t, in, r, "next"), nil), "page 2")
		if len(next) != 2 || field(next[0], "last_status", "id") != b || field(next[1], "last_status", "id") != a {
			t.Errorf("page 2 = %v; want the conversations ending with two and one", ids(next))
		}
		if got := conversationsOf(t, bob); len(got) != 2 {
			t.Errorf("bob has %d conversations; want 2 (with alice; with alice and carol)", len(got))
		}
		if got := conversationsOf(t, carol); len(got) != 2 {
			t.Errorf("carol has %d conversations; want 2", len(got))
		}
	})
}

func TestDirectTimeline(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		toBob := dm(t, alice, "@bob secret")
		say(t, alice, "@bob public")
		fromBob := dm(t, bob, "@alice reply")
		toCarol := dm(t, carol, "@alice other")
		sameIDs(t, "alice's direct timeline", idsAt(t, alice, "/api/v1/timelines/direct"), []string{toCarol, fromBob, toBob})
		sameIDs(t, "bob's direct timeline", idsAt(t, bob, "/api/v1/timelines/direct"), []string{fromBob, toBob})
		sameIDs(t, "limit=1&max_id", idsAt(t, alice, "/api/v1/timelines/direct?limit=1&max_id="+toCarol), []string{fromBob})
		conformsAll(t, "Status", list(t, alice.Do(t, "GET", "/api/v1/timelines/direct", nil), "direct"))
		if r := in.Do(t, "", "GET", "/api/v1/timelines/direct", nil); r.Status != 401 {
			t.Errorf("anonymous direct timeline = %d; want 401", r.Status)
		}
	})
}
