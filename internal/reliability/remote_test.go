package reliability

import (
	"net/http"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/fedtest"
)

// follower is a fake remote server whose actor follows local accounts through real
// signed Follows; its inboxes record what tusk delivers to them.
type follower struct {
	remote *fedtest.Remote
	actor  *fedtest.Actor
	inbox  *fedtest.Inbox
}

func newFollower(t *testing.T) *follower {
	r := fedtest.NewRemote(t)
	return &follower{remote: r, actor: r.Actor("alice"), inbox: r.RecordInbox(nil)}
}

// follow sends a signed Follow of a local account's actor to tusk's inbox, wants 202,
// and waits for tusk's Accept at the fake inbox.
func (f *follower) follow(t *testing.T, in *instance, username string) {
	t.Helper()
	followID := "/follows/" + username
	follow := f.actor.Activity("Follow", followID, in.actorURI(username))
	if resp := f.actor.Post(t, in.base+"/users/"+username+"/inbox", follow); resp.Status != http.StatusAccepted {
		t.Fatalf("the Follow of %s = %d %s; want 202", username, resp.Status, resp.Body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, ok := f.inbox.Find("Accept", f.remote.URL+followID); ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("tusk never sent the Accept of the Follow of %s; log:\n%s", username, in.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
