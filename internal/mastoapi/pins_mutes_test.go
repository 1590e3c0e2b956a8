package mastoapi_test

import (
	"testing"

	"github.com/tuskhq/tusk/internal/server/servertest"
)

func TestPinStatus(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob := in.NewMember(t, "alice"), in.NewMember(t, "bob")
		var pinned []string
		for _, vis := range []string{"public", "unlisted", "private"} {
			id := post(t, alice, jsonObj{"status": "pin me " + vis, "visibility": vis})["id"].(string)
			st := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+id+"/pin", nil), 200, "pin "+vis)
			if st["pinned"] != true {
				t.Errorf("pinned %s status shows pinned = %v", vis, st["pinned"])
			}
			pinned = append([]string{id}, pinned...)
		}
		obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+pinned[0]+"/pin", nil), 200, "pin twice")
		unpinnedID := say(t, alice, "not pinned")
		path := "/api/v1/accounts/" + idOf(alice.Account.ID) + "/statuses?pinned=true"
		sameIDs(t, "alice's pinned statuses, seen by alice", idsAt(t, alice, path), pinned)
		sameIDs(t, "alice's pinned statuses, seen by bob", idsAt(t, bob, path), pinned[1:]) // the private one is hidden
		if got := getStatus(t, alice, unpinnedID)["pinned"]; got != false {
			t.Errorf("unpinned status pinned = %v", got)
		}

		bobs := say(t, bob, "bob's")
		if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobs+"/pin", nil), 422, "pin another's"); msg != "Validation failed: Someone else's post cannot be pinned" {
			t.Errorf("pin another's = %q", msg)
		}
		dm := post(t, alice, jsonObj{"status": "@bob psst", "visibility": "direct"})["id"].(string)
		if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+dm+"/pin", nil), 422, "pin direct"); msg != "Validation failed: Posts that are only visible to mentioned users cannot be pinned" {
			t.Errorf("pin direct = %q", msg)
		}
		boost := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobs+"/reblog", nil), 200, "boost")["id"].(string)
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+boost+"/pin", nil), 422, "pin a boost")
		bobPrivate := post(t, bob, jsonObj{"status": "bob private", "visibility": "private"})["id"].(string)
		errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+bobPrivate+"/pin", nil), 404, "pin an invisible status")

		for i := 0; i < 2; i++ {
			obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+say(t, alice, "more")+"/pin", nil), 200, "pin up to five")
		}
		if msg := errorMessage(t, alice.Do(t, "POST", "/api/v1/statuses/"+unpinnedID+"/pin", nil), 422, "sixth pin"); msg != "Validation failed: You have already pinned the maximum number of posts" {
			t.Errorf("sixth pin = %q", msg)
		}

		st := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+pinned[0]+"/unpin", nil), 200, "unpin")
		if st["pinned"] != false {
			t.Errorf("unpinned status pinned = %v", st["pinned"])
		}
		obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+pinned[0]+"/unpin", nil), 200, "unpin twice")
		obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+unpinnedID+"/pin", nil), 200, "pin after unpinning one")
		want(t, in.Do(t, "", "POST", "/api/v1/statuses/"+unpinnedID+"/unpin", nil), 401, "anonymous unpin")
	})
}

func TestMuteConversation(t *testing.T) {
	engines(t, func(t *testing.T, in *servertest.Instance) {
		alice, bob, carol := in.NewMember(t, "alice"), in.NewMember(t, "bob"), in.NewMember(t, "carol")
		root := say(t, alice, "a thread")
		reply := post(t, bob, jsonObj{"status": "@alice a reply", "in_reply_to_id": root})["id"].(string)
		other := say(t, alice, "another thread")

		// Muting from a reply mutes the whole thread, root included.
		st := obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+reply+"/mute", nil), 200, "mute")
		if st["muted"] != true || getStatus(t, alice, root)["muted"] != true {
			t.Errorf("muted = %v, root muted = %v; want both true", st["muted"], getStatus(t, alice, root)["muted"])
		}
		if getStatus(t, alice, other)["muted"] != false || getStatus(t, bob, root)["muted"] != false {
			t.Errorf("mute leaked to another thread or another viewer")
		}
		deep := post(t, carol, jsonObj{"status": "@alice deeper", "in_reply_to_id": reply})["id"].(string)
		obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+root+"/favourite", nil), 200, "favourite the root")
		obj(t, carol.Do(t, "POST", "/api/v1/statuses/"+other+"/favourite", nil), 200, "favourite another")
		if types := notificationTypesOf(t, alice, deep); len(types) != 0 {
			t.Errorf("alice got %v from a muted conversation", types)
		}
		if types := notificationTypesOf(t, alice, root); len(types) != 0 {
			t.Errorf("alice got %v on the muted root", types)
		}
		if types := notificationTypesOf(t, alice, other); !hasType(types, "favourite") {
			t.Errorf("alice missed a favourite outside the muted conversation: %v", types)
		}

		st = obj(t, alice.Do(t, "POST", "/api/v1/statuses/"+root+"/unmute", nil), 200, "unmute")
		if st["muted"] != false {
			t.Errorf("after unmute muted = %v", st["muted"])
		}
		again := post(t, carol, jsonObj{"status": "@alice after unmute", "in_reply_to_id": deep})["id"].(string)
		if types := notificationTypesOf(t, alice, again); !hasType(types, "mention") {
			t.Errorf("after unmute alice got %v; want a mention", types)
		}
		private := post(t, bob, jsonObj{"status": "private", "visibility": "private"})["id"].(string)
		errorMessage(t, carol.Do(t, "POST", "/api/v1/statuses/"+private+"/mute", nil), 404, "mute an invisible conversation")
		want(t, in.Do(t, "", "POST", "/api/v1/statuses/"+root+"/mute", nil), 401, "anonymous mute")
	})
}
