package fedtest

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// Inbox records the activities a Remote's inboxes receive and answers them 202, as
// Mastodon does.
type Inbox struct {
	tag func(*http.Request) string

	mu  sync.Mutex
	got []Delivery
}

// Delivery is one activity POSTed to an inbox.
type Delivery struct {
	Path   string // the inbox's path: "/inbox" or "/users/NAME/inbox"
	Type   string
	ID     string
	Object string // the object's id, embedded or not
	Body   []byte
	From   string // the request's RemoteAddr
	Tag    string // what the Inbox's tag function said while the request was open
}

// RecordInbox makes the shared inbox and the inboxes of the actors the Remote has now
// record what they receive. tag, when not nil, is called during each request, while
// the sender's connection is still open (to find which process holds it, say).
// Unsigned or malformed deliveries are refused, so they show as failures, not arrivals.
func (r *Remote) RecordInbox(tag func(*http.Request) string) *Inbox {
	in := &Inbox{tag: tag}
	r.Handle("/inbox", in.serve)
	r.mu.Lock()
	paths := make([]string, 0, len(r.actors))
	for name := range r.actors {
		paths = append(paths, "/users/"+name+"/inbox")
	}
	r.mu.Unlock()
	for _, p := range paths {
		r.Handle(p, in.serve)
	}
	return in
}

func (in *Inbox) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("Signature") == "" {
		http.Error(w, "unsigned", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var act struct {
		Type   string
		ID     string
		Object json.RawMessage
	}
	if err != nil || json.Unmarshal(body, &act) != nil || act.Type == "" {
		http.Error(w, "not an activity", http.StatusBadRequest)
		return
	}
	d := Delivery{Path: r.URL.Path, Type: act.Type, ID: act.ID, Object: objectID(act.Object), Body: body, From: r.RemoteAddr}
	if in.tag != nil {
		d.Tag = in.tag(r)
	}
	in.mu.Lock()
	in.got = append(in.got, d)
	in.mu.Unlock()
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

// Received lists the deliveries so far, oldest first.
func (in *Inbox) Received() []Delivery {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Delivery(nil), in.got...)
}

// Find returns the first delivery of an activity of typ about object.
func (in *Inbox) Find(typ, object string) (Delivery, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, d := range in.got {
		if d.Type == typ && d.Object == object {
			return d, true
		}
	}
	return Delivery{}, false
}

// Objects is the set of object ids of the activities of typ received so far.
func (in *Inbox) Objects(typ string) map[string]bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := map[string]bool{}
	for _, d := range in.got {
		if d.Type == typ {
			out[d.Object] = true
		}
	}
	return out
}
