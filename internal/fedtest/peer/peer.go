// Package peer runs an independent ActivityPub server, built on the Fedify library from npm,
// on loopback for federation tests, and drives it through its JSON control API.
//
// The server's source (peer.mjs) and its npm lock file live beside this file. Start installs
// the npm modules into node_modules here on first use (npm ci, guarded by a file lock so
// parallel test processes install once), starts the server on a free 127.0.0.1 port and stops
// it when the test ends. Tests skip when npm or the modules cannot be had.
package peer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Signature specifications Fedify can sign with first ("first knock"); on a 4xx answer it
// retries once with the other and remembers what worked for that origin.
const (
	KnockRFC9421 = "rfc9421"
	KnockCavage  = "draft-cavage-http-signatures-12"
)

// Options shape a peer.
type Options struct {
	// Users are the local actors' usernames; default ["alice"].
	Users []string
	// Locked are users who approve followers by hand (AcceptFollower, RejectFollower);
	// the others accept every Follow at once.
	Locked []string
	// FirstKnock is the signature spec tried first on outgoing requests; default
	// KnockRFC9421, which is what Fedify does unless told otherwise.
	FirstKnock string
}

// Peer is a running Fedify server reachable at URL (http://127.0.0.1:PORT).
type Peer struct {
	URL    string
	client *http.Client
}

// Activity is one activity an inbox of the peer accepted, in arrival order.
type Activity struct {
	Seq int `json:"seq"`
	// Recipient is the local user whose inbox got it; empty for the shared inbox.
	Recipient string `json:"recipient"`
	Type      string `json:"type"`
	ID        string `json:"id"`
	Actor     string `json:"actor"`
	// Object is the id of the activity's object (embedded or referenced).
	Object string `json:"object"`
	// Signature is the HTTP signature scheme the sender used: "rfc9421" or "draft-cavage".
	Signature string `json:"signature"`
	// Raw is the JSON body exactly as the sender posted it.
	Raw json.RawMessage `json:"raw"`
}

// InboxPost is one POST to an inbox and Fedify's answer, refused ones included.
type InboxPost struct {
	Path      string `json:"path"`
	Signature string `json:"signature"`
	ID        string `json:"id"`
	Type      string `json:"type"`
	Status    int    `json:"status"`
	Body      string `json:"body"`
}

// DeliveryError is a failed delivery (or inbox processing error) Fedify reported.
type DeliveryError struct {
	Activity string `json:"activity"`
	Error    string `json:"error"`
}

// Follow is one follow relationship seen from a local user: Actor is the other side, Follow
// the Follow activity's id. Following entries are "pending", "accepted" or "rejected";
// Followers entries "pending" (locked user, unanswered) or "accepted".
type Follow struct {
	Actor  string `json:"actor"`
	Follow string `json:"follow"`
	State  string `json:"state"`
}

// Note is what Post publishes.
type Note struct {
	Content string `json:"content"`
	// Visibility is "public" (default), "unlisted", "followers" or "direct".
	Visibility string `json:"visibility,omitempty"`
	// Mentions are actor URLs tagged, addressed and delivered to.
	Mentions  []string `json:"mentions,omitempty"`
	InReplyTo string   `json:"inReplyTo,omitempty"`
	// Summary is a content warning; it marks the note sensitive.
	Summary string `json:"summary,omitempty"`
}

// Posted names a published note and its Create activity.
type Posted struct {
	ID       string `json:"id"`
	Activity string `json:"activity"`
}

// Object is a remote object as the peer fetched it just now.
type Object struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	JSON json.RawMessage `json:"json"`
}

// Start installs the peer if needed, runs it, and stops it when t ends. It skips t when
// node, npm or the npm modules are missing.
func Start(t testing.TB, opts Options) *Peer {
	t.Helper()
	node := install(t)
	users := opts.Users
	if len(users) == 0 {
		users = []string{"alice"}
	}
	knock := opts.FirstKnock
	if knock == "" {
		knock = KnockRFC9421
	}
	args := []string{filepath.Join(sourceDir(), "peer.mjs"), "--port", "0", "--first-knock", knock}
	for _, u := range users {
		args = append(args, "--user", u)
	}
	for _, u := range opts.Locked {
		args = append(args, "--locked", u)
	}
	cmd := exec.Command(node, args...)
	cmd.Dir = sourceDir()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatalf("peer: stdout pipe: %v", err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("peer: start node: %v", err)
	}
	t.Cleanup(func() { stop(t, cmd, &stderr) })
	base, err := waitReady(stdout, 60*time.Second)
	if err != nil {
		t.Fatalf("peer: %v; stderr:\n%s", err, stderr.String())
	}
	return &Peer{URL: base, client: &http.Client{Timeout: 30 * time.Second}}
}

// waitReady reads the peer's "READY http://127.0.0.1:PORT" line.
func waitReady(stdout io.Reader, timeout time.Duration) (string, error) {
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				line <- rest
				break
			}
		}
		// Keep draining so the peer never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-line:
		return base, nil
	case <-time.After(timeout):
		return "", fmt.Errorf("not ready after %s", timeout)
	}
}

func stop(t testing.TB, cmd *exec.Cmd, stderr *lockedBuffer) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
	if t.Failed() && stderr.Len() > 0 {
		t.Logf("peer stderr:\n%s", stderr.String())
	}
}

// ActorURL is the actor id of a local user.
func (p *Peer) ActorURL(user string) string { return p.URL + "/users/" + user }

// Host is the peer's host:port, the domain part of its users' handles.
func (p *Peer) Host() string { return strings.TrimPrefix(p.URL, "http://") }

// Follow sends a signed Follow from user to the actor; it returns the Follow's id.
func (p *Peer) Follow(user, actorURL string) (string, error) {
	return p.act(user, "follow", map[string]string{"actor": actorURL})
}

// Unfollow sends Undo(Follow) from user to the actor.
func (p *Peer) Unfollow(user, actorURL string) (string, error) {
	return p.act(user, "unfollow", map[string]string{"actor": actorURL})
}

// Post publishes a note by user to its audience.
func (p *Peer) Post(user string, note Note) (Posted, error) {
	var out Posted
	err := p.call(http.MethodPost, "/_control/users/"+user+"/notes", note, &out)
	return out, err
}

// UpdateNote changes the content of user's note and sends Update to its audience.
func (p *Peer) UpdateNote(user, noteID, content string) (string, error) {
	return p.act(user, "update-note", map[string]string{"object": noteID, "content": content})
}

// UpdateProfile changes user's display name and bio and sends Update(Person) to followers.
func (p *Peer) UpdateProfile(user, name, summary string) (string, error) {
	return p.act(user, "update-profile", map[string]string{"name": name, "summary": summary})
}

// Delete deletes user's note and sends Delete to its audience.
func (p *Peer) Delete(user, noteID string) (string, error) {
	return p.act(user, "delete", map[string]string{"object": noteID})
}

// Like sends Like of the object to its author.
func (p *Peer) Like(user, objectID string) (string, error) {
	return p.act(user, "like", map[string]string{"object": objectID})
}

// Unlike sends Undo of user's latest Like of the object.
func (p *Peer) Unlike(user, objectID string) (string, error) {
	return p.act(user, "unlike", map[string]string{"object": objectID})
}

// Announce boosts the object: to the author and user's followers.
func (p *Peer) Announce(user, objectID string) (string, error) {
	return p.act(user, "announce", map[string]string{"object": objectID})
}

// Unannounce sends Undo of user's latest Announce of the object.
func (p *Peer) Unannounce(user, objectID string) (string, error) {
	return p.act(user, "unannounce", map[string]string{"object": objectID})
}

func (p *Peer) act(user, action string, body any) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	err := p.call(http.MethodPost, "/_control/users/"+user+"/"+action, body, &out)
	return out.ID, err
}

// Received lists every activity the peer's inboxes accepted, oldest first.
func (p *Peer) Received() ([]Activity, error) {
	var out []Activity
	err := p.call(http.MethodGet, "/_control/received", nil, &out)
	return out, err
}

// WaitFor polls Received until an activity matches, or fails after timeout.
func (p *Peer) WaitFor(match func(Activity) bool, timeout time.Duration) (Activity, error) {
	deadline := time.Now().Add(timeout)
	for {
		got, err := p.Received()
		if err != nil {
			return Activity{}, err
		}
		for _, a := range got {
			if match(a) {
				return a, nil
			}
		}
		if time.Now().After(deadline) {
			return Activity{}, fmt.Errorf("peer %s: no matching activity within %s; received %s",
				p.URL, timeout, summarize(got))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// OfType matches activities of a type whose object is objectID (any object when empty).
func OfType(typ, objectID string) func(Activity) bool {
	return func(a Activity) bool { return a.Type == typ && (objectID == "" || a.Object == objectID) }
}

func summarize(got []Activity) string {
	parts := make([]string, len(got))
	for i, a := range got {
		parts[i] = fmt.Sprintf("%s(%s by %s)", a.Type, a.Object, a.Actor)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Followers lists who follows or asked to follow user.
func (p *Peer) Followers(user string) ([]Follow, error) {
	lists, err := p.lists(user)
	return lists.Followers, err
}

// Following lists whom user follows, with each Follow's state.
func (p *Peer) Following(user string) ([]Follow, error) {
	lists, err := p.lists(user)
	return lists.Following, err
}

// AcceptFollower sends Accept of a pending Follow of (locked) user by actorURL.
func (p *Peer) AcceptFollower(user, actorURL string) (string, error) {
	return p.act(user, "accept-follower", map[string]string{"actor": actorURL})
}

// RejectFollower sends Reject of actorURL's Follow of user, pending or accepted, and
// forgets the follower.
func (p *Peer) RejectFollower(user, actorURL string) (string, error) {
	return p.act(user, "reject-follower", map[string]string{"actor": actorURL})
}

type userLists struct {
	Followers []Follow `json:"followers"`
	Following []Follow `json:"following"`
}

func (p *Peer) lists(user string) (userLists, error) {
	var out userLists
	err := p.call(http.MethodGet, "/_control/users/"+user, nil, &out)
	return out, err
}

// WaitFollowing polls until user's Follow of actorURL reaches state ("accepted", "rejected").
func (p *Peer) WaitFollowing(user, actorURL, state string, timeout time.Duration) error {
	return p.waitFollow(user, "following", p.Following, actorURL, state, timeout)
}

// WaitFollower polls until actorURL's Follow of user reaches state ("pending", "accepted").
func (p *Peer) WaitFollower(user, actorURL, state string, timeout time.Duration) error {
	return p.waitFollow(user, "followers", p.Followers, actorURL, state, timeout)
}

func (p *Peer) waitFollow(user, what string, list func(string) ([]Follow, error), actorURL, state string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		got, err := list(user)
		if err != nil {
			return err
		}
		for _, f := range got {
			if f.Actor == actorURL && f.State == state {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("peer %s: %s's %s has no %s %s within %s: %+v",
				p.URL, user, what, state, actorURL, timeout, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Lookup fetches a remote object (actor, note…) afresh with an unsigned GET and returns what
// the peer makes of it.
func (p *Peer) Lookup(uri string) (Object, error) {
	return p.lookup(url.Values{"uri": {uri}})
}

// LookupAs is Lookup with the GET signed by a local user, as servers requiring signed
// fetches (authorized fetch) expect.
func (p *Peer) LookupAs(user, uri string) (Object, error) {
	return p.lookup(url.Values{"uri": {uri}, "as": {user}})
}

func (p *Peer) lookup(query url.Values) (Object, error) {
	var out Object
	err := p.call(http.MethodGet, "/_control/lookup?"+query.Encode(), nil, &out)
	return out, err
}

// InboxLog lists every POST to the peer's inboxes with the status Fedify answered.
func (p *Peer) InboxLog() ([]InboxPost, error) {
	var out []InboxPost
	err := p.call(http.MethodGet, "/_control/inbox-log", nil, &out)
	return out, err
}

// DeliveryErrors lists the delivery failures Fedify reported.
func (p *Peer) DeliveryErrors() ([]DeliveryError, error) {
	var out []DeliveryError
	err := p.call(http.MethodGet, "/_control/errors", nil, &out)
	return out, err
}

func (p *Peer) call(method, path string, body, out any) error {
	var reqBody io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("peer %s %s: encode body: %w", method, path, err)
		}
		reqBody = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, p.URL+path, reqBody)
	if err != nil {
		return fmt.Errorf("peer %s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("peer %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("peer %s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("peer %s %s: status %d: %s", method, path, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("peer %s %s: decode answer: %w", method, path, err)
	}
	return nil
}

// ---------------------------------------------------------------- installation

// sourceDir is the folder holding peer.mjs and the npm lock file.
func sourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

var installOnce struct {
	sync.Mutex
	node string
	err  error
	done bool
}

// install makes sure node_modules matches the lock file and returns the node binary the
// peer runs on (Node 22 from the npm package "node", as Fedify needs Node >= 22).
func install(t testing.TB) string {
	t.Helper()
	installOnce.Lock()
	defer installOnce.Unlock()
	if !installOnce.done {
		installOnce.node, installOnce.err = installModules(sourceDir())
		installOnce.done = true
	}
	if installOnce.err != nil {
		t.Skipf("ActivityPub peer unavailable (needs npm and the npm registry, or `npm ci` run in %s): %v",
			sourceDir(), installOnce.err)
	}
	return installOnce.node
}

func installModules(dir string) (string, error) {
	node := filepath.Join(dir, "node_modules", ".bin", "node")
	if modulesCurrent(dir, node) {
		return node, nil
	}
	// Another test process may be installing: one at a time, then look again.
	unlock, err := lockFile(filepath.Join(os.TempDir(), "tusk-fedtest-peer-install.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()
	if modulesCurrent(dir, node) {
		return node, nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return "", fmt.Errorf("npm not found: %w", err)
	}
	cmd := exec.Command(npm, "ci", "--prefer-offline", "--no-audit", "--no-fund")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("npm ci in %s: %w\n%s", dir, err, out)
	}
	if !modulesCurrent(dir, node) {
		return "", errors.New("npm ci finished but node_modules is still incomplete")
	}
	return node, nil
}

// modulesCurrent reports whether npm ci has run since the lock file last changed.
func modulesCurrent(dir, node string) bool {
	lock, err := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		return false
	}
	installed, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	if err != nil || installed.ModTime().Before(lock.ModTime()) {
		return false
	}
	_, err = os.Stat(node)
	return err == nil
}

func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open install lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("take install lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// lockedBuffer collects the peer's stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}
