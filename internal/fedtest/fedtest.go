// Package fedtest runs fake remote ActivityPub servers for tests: real HTTP servers on
// loopback with actors whose keys the test generated, WebFinger, documents the test
// chooses to serve, and deliveries signed with internal/httpsig.
package fedtest

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// ContentType is what the fake server serves its documents as.
const ContentType = "application/activity+json"

// Remote is a fake server.
type Remote struct {
	URL  string // http://127.0.0.1:PORT
	Host string // 127.0.0.1:PORT, the domain of its accounts
	srv  *httptest.Server

	mu       sync.Mutex
	docs     map[string]served // by path
	actors   map[string]*Actor // by username
	handlers map[string]http.HandlerFunc
}

type served struct {
	body        []byte
	contentType string
}

// Actor is an account on a Remote.
type Actor struct {
	Username string
	ID       string // actor id: URL/users/NAME
	KeyID    string
	Key      *rsa.PrivateKey
	Inbox    string
	Doc      map[string]any // the actor document served; edit, then call Remote.Publish
	remote   *Remote
}

// NewRemote starts a fake server with one actor, "alice".
func NewRemote(t testing.TB) *Remote {
	t.Helper()
	r := &Remote{docs: map[string]served{}, actors: map[string]*Actor{}, handlers: map[string]http.HandlerFunc{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	r.URL = r.srv.URL
	r.Host = strings.TrimPrefix(r.URL, "http://")
	r.NewActor(t, "alice")
	return r
}

// Actor returns an actor by username, nil when there is none.
func (r *Remote) Actor(username string) *Actor {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.actors[username]
}

// NewActor adds an actor with a fresh 2048-bit key and serves its document.
func (r *Remote) NewActor(t testing.TB, username string) *Actor {
	t.Helper()
	key, err := httpsig.GenerateRSAKey()
	if err != nil {
		t.Fatalf("fedtest: key: %v", err)
	}
	id := r.URL + "/users/" + username
	a := &Actor{Username: username, ID: id, KeyID: id + "#main-key", Key: key, Inbox: id + "/inbox", remote: r}
	pem, err := httpsig.EncodePublicKeyPEM(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	a.Doc = map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": username, "name": strings.ToUpper(username[:1]) + username[1:],
		"summary": "<p>Hello from " + r.Host + "</p>", "url": r.URL + "/@" + username,
		"inbox": a.Inbox, "outbox": id + "/outbox", "followers": id + "/followers", "following": id + "/following",
		"featured":  id + "/collections/featured",
		"endpoints": map[string]any{"sharedInbox": r.URL + "/inbox"},
		"publicKey": map[string]any{"id": a.KeyID, "owner": id, "publicKeyPem": pem},
		"icon":      map[string]any{"type": "Image", "mediaType": "image/png", "url": r.URL + "/avatars/" + username + ".png"},
	}
	r.mu.Lock()
	r.actors[username] = a
	r.mu.Unlock()
	r.Publish(a)
	return a
}

// Publish serves the actor's current Doc at its id.
func (r *Remote) Publish(a *Actor) {
	r.Serve("/users/"+a.Username, a.Doc)
}

// Serve makes the server answer GET path with doc as ActivityPub JSON.
func (r *Remote) Serve(path string, doc any) {
	r.ServeAs(path, doc, ContentType)
}

// ServeAs is Serve with another content type.
func (r *Remote) ServeAs(path string, doc any, contentType string) {
	body, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.docs[path] = served{body: body, contentType: contentType}
}

// Handle lets a test answer a path itself (redirects, slow bodies, errors).
func (r *Remote) Handle(path string, h http.HandlerFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[path] = h
}

// Remove stops serving a path (the document is gone: 410).
func (r *Remote) Remove(path string) {
	r.Handle(path, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusGone) })
}

func (r *Remote) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	h := r.handlers[req.URL.Path]
	doc, found := r.docs[req.URL.Path]
	r.mu.Unlock()
	switch {
	case h != nil:
		h(w, req)
	case req.URL.Path == "/.well-known/webfinger":
		r.webfinger(w, req)
	case found:
		w.Header().Set("Content-Type", doc.contentType)
		w.Write(doc.body)
	default:
		http.NotFound(w, req)
	}
}

func (r *Remote) webfinger(w http.ResponseWriter, req *http.Request) {
	resource := req.URL.Query().Get("resource")
	name, _, _ := strings.Cut(strings.TrimPrefix(resource, "acct:"), "@")
	a := r.Actor(name)
	if a == nil {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	json.NewEncoder(w).Encode(map[string]any{
		"subject": "acct:" + a.Username + "@" + r.Host,
		"links":   []any{map[string]any{"rel": "self", "type": ContentType, "href": a.ID}},
	})
}

// Response is a delivery's answer.
type Response struct {
	Status int
	Body   string
}

// Post delivers activity to inbox, signed by a as Mastodon signs.
func (a *Actor) Post(t testing.TB, inbox string, activity any) *Response {
	t.Helper()
	return a.PostWith(t, inbox, activity, a.KeyID, a.Key, time.Now())
}

// PostWith delivers activity signed with any key id, key and date: for refused cases.
func (a *Actor) PostWith(t testing.TB, inbox string, activity any, keyID string, key *rsa.PrivateKey, date time.Time) *Response {
	t.Helper()
	body := mustJSON(t, activity)
	req, err := SignedPost(inbox, body, keyID, key, date)
	if err != nil {
		t.Fatal(err)
	}
	return Send(t, req)
}

// SignedPost builds a signed POST of body to inbox; a nil key leaves it unsigned.
func SignedPost(inbox string, body []byte, keyID string, key *rsa.PrivateKey, date time.Time) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ContentType)
	if key != nil {
		if err := httpsig.SignRequest(req, body, keyID, key, date); err != nil {
			return nil, fmt.Errorf("fedtest: sign: %w", err)
		}
	}
	return req, nil
}

// Send performs a request and reads the answer.
func Send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("fedtest: %s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Body: string(data)}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	if b, ok := v.([]byte); ok {
		return b
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Note is a public Note by a, with the given id path and content, for Create tests.
func (a *Actor) Note(path, content string) map[string]any {
	return map[string]any{
		"id": a.remote.URL + path, "type": "Note", "attributedTo": a.ID, "content": content,
		"published": time.Now().UTC().Format(time.RFC3339), "url": a.remote.URL + path,
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{a.ID + "/followers"},
	}
}

// Activity wraps object in an activity of a, with id path.
func (a *Actor) Activity(typ, path string, object any) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       a.remote.URL + path, "type": typ, "actor": a.ID, "object": object,
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"},
	}
}
