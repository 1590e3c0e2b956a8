package federation_test

import (
	"context"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// documentServer serves statuses and the instance actor the way the document routes
// do, behind RequireSignedFetch, on loopback.
func documentServer(t *testing.T, in *servertest.Instance) string {
	t.Helper()
	fed := in.Federation
	mux := http.NewServeMux()
	mux.Handle("GET /users/{username}/statuses/{id}", fed.RequireSignedFetch(httpx.Serve(fed.Log, func(w http.ResponseWriter, r *http.Request) error {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return httpx.ErrNotFound
		}
		st, err := fed.FetchableStatus(r, id)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(st.URI))
		return err
	})))
	mux.Handle("GET /actor", fed.RequireSignedFetch(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("instance actor"))
	})))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// fetch GETs path as ActivityPub, signed by keyID/key unless key is nil.
func fetch(t *testing.T, base, path, keyID string, key *rsa.PrivateKey) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", fedtest.ContentType)
	if key != nil {
		if err := httpsig.SignRequest(req, nil, keyID, key, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return fedtest.Send(t, req).Status
}

func TestSignedFetchOfPrivateStatuses(t *testing.T) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			if engine == store.Postgres && storetestURL() == "" {
				t.Skip("TUSK_TEST_DATABASE_URL not set: PostgreSQL tests skipped")
			}
			in := start(t, engine, func(c *config.Config) { c.Federation.AuthorizedFetch = true })
			checkSignedFetch(t, in)
		})
	}
}

func checkSignedFetch(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	bob := in.NewMember(t, "bob")
	remote := fedtest.NewRemote(t)
	alice, carol := remote.Actor("alice"), remote.NewActor(t, "carol")
	aliceAcct, err := in.Federation.FetchActor(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Store.Writer().InsertFollow(ctx, "follows", &model.Follow{AccountID: aliceAcct.ID, TargetAccountID: bob.Account.ID}); err != nil {
		t.Fatal(err)
	}
	post := func(text string, v model.Visibility) (string, int64) {
		st, err := in.Social.Post(ctx, bob.Account, bob.User, social.PostParams{Text: text, Visibility: v})
		if err != nil {
			t.Fatal(err)
		}
		return "/users/bob/statuses/" + itoa(st.ID), st.ID
	}
	public, _ := post("public", model.Public)
	private, _ := post("followers only", model.Private)
	direct, directID := post("just you", model.Direct)
	// The fake remote's handle has a port, which no status text can mention: the
	// mention is recorded as posting "@alice@host" would.
	if _, err := in.Store.DB().Exec(`INSERT INTO mentions (status_id, account_id) VALUES ($1, $2)`, directID, aliceAcct.ID); err != nil {
		t.Fatal(err)
	}
	base := documentServer(t, in)
	wrongKey, _ := newKey(t)

	cases := []struct {
		name, path string
		signer     *fedtest.Actor
		key        *rsa.PrivateKey
		want       int
	}{
		{"unsigned public", public, nil, nil, 401},
		{"unsigned instance actor", "/actor", nil, nil, 200},
		{"wrong key", public, alice, wrongKey, 401},
		{"follower, public", public, alice, alice.Key, 200},
		{"follower, followers-only", private, alice, alice.Key, 200},
		{"mentioned, direct", direct, alice, alice.Key, 200},
		{"stranger, followers-only", private, carol, carol.Key, 404},
		{"stranger, direct", direct, carol, carol.Key, 404},
	}
	run := func(mode string) {
		for _, c := range cases {
			keyID := ""
			if c.signer != nil {
				keyID = c.signer.KeyID
			}
			if got := fetch(t, base, c.path, keyID, c.key); got != c.want {
				t.Errorf("%s: %s: status %d; want %d", mode, c.name, got, c.want)
			}
		}
	}
	run("authorized fetch")

	// Without AUTHORIZED_FETCH, anyone reads public statuses, and a signature still
	// opens what its signer may see.
	in.Federation.Config.Federation.AuthorizedFetch = false
	cases[0].want, cases[2].want = 200, 200
	cases = append(cases, struct {
		name, path string
		signer     *fedtest.Actor
		key        *rsa.PrivateKey
		want       int
	}{"unsigned followers-only", private, nil, nil, 404})
	run("open fetch")
}
