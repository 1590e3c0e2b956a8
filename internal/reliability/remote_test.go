package reliability

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/fedtest"
)

// follower is a fake remote server whose actor follows local accounts through real
// signed Follows; its inboxes record what tusk delivers to them.
type follower struct {
	remote *fedtest.Remote
	actor  *fedtest.Actor

	mu      sync.Mutex
	creates map[string]int  // by the created object's id: a local status's URI
	accepts map[string]bool // by the accepted Follow's id
}

func newFollower(t *testing.T) *follower {
	f := &follower{remote: fedtest.NewRemote(t), creates: map[string]int{}, accepts: map[string]bool{}}
	f.actor = f.remote.Actor("alice")
	// tusk may use the actor's inbox or the shared one: both record.
	f.remote.Handle("/inbox", f.inbox)
	f.remote.Handle("/users/alice/inbox", f.inbox)
	return f
}

// inbox records an activity and answers 202 as Mastodon does; anything but a POST of
// JSON is refused so a mistaken request shows as a failed delivery, not a success.
func (f *follower) inbox(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var act struct {
		Type   string
		Object json.RawMessage
	}
	if err != nil || json.Unmarshal(body, &act) != nil {
		http.Error(w, "not JSON", http.StatusBadRequest)
		return
	}
	if r.Header.Get("Signature") == "" {
		http.Error(w, "unsigned", http.StatusUnauthorized)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch act.Type {
	case "Create":
		f.creates[objectID(act.Object)]++
	case "Accept":
		f.accepts[objectID(act.Object)] = true
	}
	w.WriteHeader(http.StatusAccepted)
}

// objectID is an activity's object's id, whether it is embedded or a bare URI.
func objectID(raw json.RawMessage) string {
	var id string
	if json.Unmarshal(raw, &id) == nil {
		return id
	}
	var obj struct{ ID string }
	json.Unmarshal(raw, &obj)
	return obj.ID
}

func (f *follower) created(uri string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.creates[uri] > 0
}

func (f *follower) accepted(followID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accepts[followID]
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
	for !f.accepted(f.remote.URL + followID) {
		if time.Now().After(deadline) {
			t.Fatalf("tusk never sent the Accept of the Follow of %s; log:\n%s", username, in.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
