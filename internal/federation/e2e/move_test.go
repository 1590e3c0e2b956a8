package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/admin"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// moveWorld: alice on A moves to alicenew on B. bob on B and erin on A follow alice;
// dave on B does not.
type moveWorld struct {
	a, b                             *servertest.Instance
	alice, erin, alicenew, bob, dave *servertest.Member
	aliceAtB, alicenewAtA            string
}

// TestAccountMoveBetweenTwoInstances: an account on B names one on A as its alias, the
// one on A moves there through the admin command line, and the followers on both
// instances end up following the new account.
func TestAccountMoveBetweenTwoInstances(t *testing.T) {
	t.Parallel()
	for _, engines := range pairs(t) {
		t.Run(string(engines[0])+"-"+string(engines[1]), func(t *testing.T) {
			t.Parallel()
			w := newMoveWorld(t, engines)
			steps := []struct {
				name string
				fn   func(*testing.T)
			}{
				{"followers", w.followers},
				{"move without alias refused", w.moveWithoutAlias},
				{"alias", w.alias},
				{"move", w.move},
				{"moved account", w.movedAccount},
			}
			for _, step := range steps {
				if !t.Run(step.name, step.fn) {
					return // later steps build on earlier ones
				}
			}
		})
	}
}

func newMoveWorld(t *testing.T, engines [2]store.Engine) *moveWorld {
	a, b := instance(t, engines[0]), instance(t, engines[1])
	w := &moveWorld{a: a, b: b, alice: a.NewMember(t, "alice"), erin: a.NewMember(t, "erin"),
		alicenew: b.NewMember(t, "alicenew"), bob: b.NewMember(t, "bob"), dave: b.NewMember(t, "dave")}
	w.aliceAtB = w.bob.ResolveAccount(t, "@alice@"+host(a))["id"].(string)
	return w
}

// admin runs `tusk admin accounts ARGS...` against an instance.
func adminCmd(t *testing.T, in *servertest.Instance, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := admin.Accounts(context.Background(), admin.Deps{Store: in.Store, Config: in.Config,
		Accounts: in.Accounts, Refresher: in.Federation, Mover: in.Federation, Out: &out}, args)
	return out.String(), err
}

func (w *moveWorld) followers(t *testing.T) {
	w.bob.Call(t, "POST", "/api/v1/accounts/"+w.aliceAtB+"/follow", nil)
	servertest.Eventually(t, "bob follows alice", func() (bool, string) {
		r := w.bob.Relationship(t, w.aliceAtB)
		return r["following"] == true, fmt0(r)
	})
	aliceID := idOf(w.alice)
	w.erin.Call(t, "POST", "/api/v1/accounts/"+aliceID+"/follow", nil)
	if r := w.erin.Relationship(t, aliceID); r["following"] != true {
		t.Fatalf("erin follows alice: %v", r)
	}
}

// moveWithoutAlias: a move to an account that does not name the old one is refused.
func (w *moveWorld) moveWithoutAlias(t *testing.T) {
	_, err := adminCmd(t, w.a, "move", "alice", "--to", "alicenew@"+host(w.b))
	if err == nil || !strings.Contains(err.Error(), "does not list") {
		t.Fatalf("move without alias: %v; want a refusal naming the missing alias", err)
	}
	if got := w.erin.Call(t, "GET", "/api/v1/accounts/"+idOf(w.alice), nil); got["moved"] != nil {
		t.Fatalf("alice moved after a refused move: %v", got["moved"])
	}
}

func (w *moveWorld) alias(t *testing.T) {
	out, err := adminCmd(t, w.b, "aliases", "alicenew", "--add", "alice@"+host(w.a))
	if err != nil {
		t.Fatalf("aliases --add: %v", err)
	}
	aliceURI := "http://" + host(w.a) + "/users/alice"
	if !strings.Contains(out, aliceURI) {
		t.Fatalf("aliases --add printed %q; want %s", out, aliceURI)
	}
	doc := actorDoc(t, w.b, "alicenew")
	if aka, _ := doc["alsoKnownAs"].([]any); len(aka) != 1 || aka[0] != aliceURI {
		t.Fatalf("alicenew's alsoKnownAs = %v; want [%s]", doc["alsoKnownAs"], aliceURI)
	}
}

// move: followers on both sides now follow the new account.
func (w *moveWorld) move(t *testing.T) {
	out, err := adminCmd(t, w.a, "move", "alice", "--to", "alicenew@"+host(w.b))
	if err != nil {
		t.Fatalf("move: %v", err)
	}
	if !strings.Contains(out, "alicenew@"+host(w.b)) {
		t.Fatalf("move printed %q", out)
	}
	newID := idOf(w.alicenew)
	servertest.Eventually(t, "bob follows alicenew", func() (bool, string) {
		r := w.bob.Relationship(t, newID)
		return r["following"] == true, fmt0(r)
	})
	w.alicenewAtA = w.erin.ResolveAccount(t, "@alicenew@"+host(w.b))["id"].(string)
	servertest.Eventually(t, "erin follows alicenew", func() (bool, string) {
		r := w.erin.Relationship(t, w.alicenewAtA)
		return r["following"] == true, fmt0(r)
	})
	if doc := actorDoc(t, w.a, "alice"); doc["movedTo"] != "http://"+host(w.b)+"/users/alicenew" {
		t.Fatalf("alice's movedTo = %v", doc["movedTo"])
	}
}

// movedAccount: both instances show alice as moved, and nobody may follow her now.
func (w *moveWorld) movedAccount(t *testing.T) {
	atA := w.erin.Call(t, "GET", "/api/v1/accounts/"+idOf(w.alice), nil)
	if m, _ := atA["moved"].(obj); m == nil || m["acct"] != "alicenew@"+host(w.b) {
		t.Fatalf("alice on A: moved = %v", atA["moved"])
	}
	atB := w.dave.Call(t, "GET", "/api/v1/accounts/"+w.aliceAtB, nil)
	if m, _ := atB["moved"].(obj); m == nil || m["acct"] != "alicenew" {
		t.Fatalf("alice on B: moved = %v", atB["moved"])
	}
	resp := w.dave.Do(t, "POST", "/api/v1/accounts/"+w.aliceAtB+"/follow", nil)
	if resp.Status != 403 || !strings.Contains(string(resp.Body), "This action is not allowed") {
		t.Fatalf("follow of a moved account: %d %s; want 403", resp.Status, resp.Body)
	}
	resp = w.alice.Do(t, "POST", "/api/v1/statuses", obj{"status": "still here?"})
	if resp.Status != 403 {
		t.Fatalf("post by a moved account: %d %s; want 403", resp.Status, resp.Body)
	}
}

func idOf(m *servertest.Member) string { return strconv.FormatInt(m.Account.ID, 10) }

// actorDoc fetches a local account's actor document as another server would.
func actorDoc(t *testing.T, in *servertest.Instance, username string) obj {
	t.Helper()
	req, err := http.NewRequest("GET", in.URL+"/users/"+username, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET actor %s: %v", username, err)
	}
	defer resp.Body.Close()
	var doc obj
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		t.Fatalf("actor %s: %d %v", username, resp.StatusCode, err)
	}
	return doc
}
