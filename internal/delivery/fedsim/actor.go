package fedsim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// What a fake host serves and sends as an ActivityPub server: its actor document,
// WebFinger, inboxes, and the signed Follow of a local account.

const activityStreams = "https://www.w3.org/ns/activitystreams"

// Inbox is the host's shared inbox URL.
func (h *Host) Inbox() string { return "http://" + h.Addr + "/inbox" }

// ActorURL is the host's one actor.
func (h *Host) ActorURL() string { return "http://" + h.Addr + "/users/user" }

// KeyID names the actor's key.
func (h *Host) KeyID() string { return h.ActorURL() + "#main-key" }

// FollowID is the id of the actor's Follow of the local account.
func (h *Host) FollowID() string { return h.ActorURL() + "/follows/1" }

// Accepted says whether the host was sent the Accept of its Follow, signed by tusk.
func (h *Host) Accepted() bool { return h.accepted.Load() }

func (h *Host) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/webfinger", h.webfinger)
	mux.HandleFunc("GET /users/user", h.actor)
	mux.HandleFunc("GET /users/user/followers", h.emptyCollection)
	mux.HandleFunc("GET /users/user/following", h.emptyCollection)
	mux.HandleFunc("POST /inbox", h.inbox)
	mux.HandleFunc("POST /users/user/inbox", h.inbox)
	return mux
}

func (h *Host) webfinger(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("resource") != "acct:user@"+h.Addr {
		http.Error(w, `{"error":"Record not found"}`, http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	json.NewEncoder(w).Encode(map[string]any{"subject": "acct:user@" + h.Addr,
		"links": []map[string]string{{"rel": "self", "type": "application/activity+json", "href": h.ActorURL()}}})
}

// actor serves the actor document, with the host's key from the pool under the host's
// own key id.
func (h *Host) actor(w http.ResponseWriter, r *http.Request) {
	_, pem, err := h.keys.get(h.index)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(map[string]any{
		"@context": []string{activityStreams, "https://w3id.org/security/v1"},
		"id":       h.ActorURL(), "type": "Person", "preferredUsername": "user",
		"inbox": h.ActorURL() + "/inbox", "endpoints": map[string]string{"sharedInbox": h.Inbox()},
		"followers": h.ActorURL() + "/followers", "following": h.ActorURL() + "/following",
		"publicKey": map[string]string{"id": h.KeyID(), "owner": h.ActorURL(), "publicKeyPem": pem},
	})
}

func (h *Host) emptyCollection(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(map[string]any{"@context": activityStreams,
		"id": "http://" + h.Addr + r.URL.Path, "type": "OrderedCollection", "totalItems": 0})
}

// Follow sends the actor's Follow of target to inbox, signed as tusk's peers sign.
func (h *Host) Follow(ctx context.Context, client *http.Client, target, inbox string) error {
	key, _, err := h.keys.get(h.index)
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{"@context": activityStreams, "id": h.FollowID(), "type": "Follow",
		"actor": h.ActorURL(), "object": target})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fedsim: follow from %s: %w", h.Addr, err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsig.SignRequest(req, body, h.KeyID(), key, time.Now()); err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("fedsim: follow from %s: %w", h.Addr, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fedsim: follow from %s: %s: %s", h.Addr, resp.Status, answer)
	}
	return nil
}

// receivedActivity is what the inbox reads of an activity.
type receivedActivity struct {
	ID     string          `json:"id"`
	Type   string          `json:"type"`
	Actor  string          `json:"actor"`
	Object json.RawMessage `json:"object"`
}

// inbox answers a delivery as the behaviour says, counting accepted activities.
func (h *Host) inbox(w http.ResponseWriter, r *http.Request) {
	h.requests.Add(1)
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	if h.swallows() {
		h.hang(r.Context()) // a connection kept alive from before the host was armed
		return
	}
	if !h.pause(r.Context()) {
		return
	}
	if armed := h.armed.Load(); armed && h.Behaviour == Gone {
		http.Error(w, "", http.StatusGone)
		return
	} else if armed && h.Behaviour == Flaky && rand.Float64() < h.timing.FlakyRate {
		http.Error(w, "", http.StatusServiceUnavailable)
		return
	}
	var act receivedActivity
	if json.Unmarshal(body, &act) != nil || act.ID == "" {
		http.Error(w, `{"error":"not an activity"}`, http.StatusBadRequest)
		return
	}
	if !h.verified(r, body, act.Actor) {
		h.badSigs.Add(1)
		http.Error(w, `{"error":"bad signature"}`, http.StatusUnauthorized)
		return
	}
	if act.Type == "Accept" && h.acceptsOurFollow(act.Object) {
		h.accepted.Store(true)
	}
	h.count(act.ID)
	w.WriteHeader(http.StatusAccepted)
}

// verified checks the signature and, when the key's owner is known, that the owner is
// the activity's actor.
func (h *Host) verified(r *http.Request, body []byte, actor string) bool {
	if h.verify == nil {
		return true
	}
	res, err := h.verify.Verify(r.Context(), r, body)
	return err == nil && (res.Owner == "" || res.Owner == actor)
}

// acceptsOurFollow says whether an Accept's object is this host's Follow, by id or
// embedded.
func (h *Host) acceptsOurFollow(object json.RawMessage) bool {
	var id string
	if json.Unmarshal(object, &id) == nil {
		return id == h.FollowID()
	}
	var follow struct{ ID, Type string }
	return json.Unmarshal(object, &follow) == nil && follow.Type == "Follow" && follow.ID == h.FollowID()
}

func (h *Host) count(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.received[id]++
	if _, seen := h.firstAt[id]; !seen {
		h.firstAt[id] = time.Now()
	}
}

// hang holds a request unanswered until the client gives up or the host closes.
func (h *Host) hang(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-h.closing:
	}
}

// pause waits the answer time, a slow host's once armed; false when the client went away.
func (h *Host) pause(ctx context.Context) bool {
	lo, hi := h.timing.HealthyMin, h.timing.HealthyMax
	if h.Behaviour == Slow && h.armed.Load() {
		lo, hi = h.timing.SlowMin, h.timing.SlowMax
	}
	d := lo
	if hi > lo {
		d += rand.N(hi - lo)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
