package federation_test

import (
	"context"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/httpsig"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
)

func TestInboundFlagReachesModerators(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob, molly := in.NewMember(t, "bob"), in.NewMember(t, "molly")
		if _, err := in.Store.DB().Exec(`UPDATE users SET role = $1 WHERE id = $2`, model.RoleModerator, molly.User.ID); err != nil {
			t.Fatal(err)
		}
		st, err := in.Social.Post(ctx, bob.Account, bob.User, social.PostParams{Text: "reported post"})
		if err != nil {
			t.Fatal(err)
		}
		alice := fedtest.NewRemote(t).Actor("alice")
		flag := alice.Activity("Flag", "/flags/1", []any{in.Federation.URLs.Actor("bob"), st.URI})
		flag["content"] = "<p>spam, again</p>"
		deliver(t, in, alice, flag)

		var target, statusIDs, comment string
		err = in.Store.DB().QueryRow(`SELECT a.username, r.status_ids, r.comment FROM reports r
			JOIN accounts a ON a.id = r.target_account_id`).Scan(&target, &statusIDs, &comment)
		if err != nil {
			t.Fatalf("report not filed: %v", err)
		}
		if target != "bob" || !strings.Contains(statusIDs, itoa(st.ID)) || comment != "spam, again" {
			t.Errorf("report = %s, statuses %q, comment %q; want bob, the post, the comment as text", target, statusIDs, comment)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM river_job WHERE kind = 'mail.deliver' AND CAST(args AS TEXT) LIKE $1`, "%molly@example.com%"); n != 1 {
			t.Errorf("report notices to the moderator molly = %d; want 1", n)
		}
	})
}

func TestInboundMoveRequiresAlias(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice, carol := remote.Actor("alice"), remote.NewActor(t, "carol")
		follow := func(a *fedtest.Actor) {
			acct, err := in.Federation.FetchActor(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := in.Store.Writer().InsertFollow(ctx, "follows", &model.Follow{AccountID: bob.Account.ID, TargetAccountID: acct.ID}); err != nil {
				t.Fatal(err)
			}
		}
		follow(alice)
		follow(carol)
		followsOf := func(target string) int {
			return count(t, in, `SELECT COUNT(*) FROM (SELECT target_account_id FROM follows WHERE account_id = $1
				UNION ALL SELECT target_account_id FROM follow_requests WHERE account_id = $1) f
				JOIN accounts a ON a.id = f.target_account_id WHERE a.uri = $2`, bob.Account.ID, target)
		}

		// carol moves to an account that does not name her: refused.
		stranger := remote.NewActor(t, "stranger")
		move := carol.Activity("Move", "/moves/1", carol.ID)
		move["target"] = stranger.ID
		deliver(t, in, carol, move)
		if n := followsOf(stranger.ID); n != 0 {
			t.Errorf("follows of a target without the alias = %d; want 0", n)
		}

		// alice moves to alice2, which names her among its aliases: bob follows along.
		alice2 := remote.NewActor(t, "alice2")
		alice2.Doc["alsoKnownAs"] = []any{alice.ID}
		remote.Publish(alice2)
		move = alice.Activity("Move", "/moves/2", alice.ID)
		move["target"] = alice2.ID
		deliver(t, in, alice, move)
		if n := followsOf(alice2.ID); n != 1 {
			t.Errorf("bob's follows of the new account = %d; want 1 (followed or requested)", n)
		}
	})
}

func TestInboundFeaturedAddRemove(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		deliver(t, in, alice, alice.Activity("Create", "/notes/1/activity", alice.Note("/notes/1", "pin me")))
		st, err := in.Store.StatusByURI(ctx, remote.URL+"/notes/1")
		if err != nil {
			t.Fatal(err)
		}
		featured := alice.ID + "/collections/featured"
		pinned := func() []struct{ URI string } {
			var out []struct{ URI string }
			bob.Do(t, "GET", "/api/v1/accounts/"+itoa(st.AccountID)+"/statuses?pinned=true", nil).JSON(t, &out)
			return out
		}
		add := alice.Activity("Add", "/adds/1", st.URI)
		add["target"] = "https://elsewhere.example/collections/other" // not the featured collection: ignored
		deliver(t, in, alice, add)
		if got := pinned(); len(got) != 0 {
			t.Errorf("pinned after an Add to another collection = %+v; want none", got)
		}
		add = alice.Activity("Add", "/adds/2", st.URI)
		add["target"] = featured
		deliver(t, in, alice, add)
		if got := pinned(); len(got) != 1 || got[0].URI != st.URI {
			t.Errorf("pinned after Add = %+v; want the note", got)
		}
		remove := alice.Activity("Remove", "/removes/1", st.URI)
		remove["target"] = featured
		deliver(t, in, alice, remove)
		if got := pinned(); len(got) != 0 {
			t.Errorf("pinned after Remove = %+v; want none", got)
		}
	})
}

func TestUpdatePersonKeySwapNeedsTheCurrentKey(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		acct, err := in.Federation.FetchActor(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		storedKey := func() string {
			a, err := in.Store.ActorByAccountID(ctx, acct.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a.PublicKeyPEM
		}
		original := storedKey()
		attacker, attackerPEM := newKey(t)
		swapped := withKey(alice.Doc, alice.KeyID, attackerPEM)
		update := alice.Activity("Update", "/updates/1", swapped)

		// Signed by a key the actor's server does not publish: refused, key kept.
		if resp := alice.PostWith(t, in.URL+"/inbox", update, alice.KeyID, attacker, time.Now()); resp.Status != 401 {
			t.Errorf("Update signed by a foreign key: status %d; want 401", resp.Status)
		}
		// Signed by the current key but carrying another: the embedded key is not taken.
		deliver(t, in, alice, update)
		if storedKey() != original {
			t.Fatal("key swapped by an embedded document")
		}

		// A real rotation: the server publishes the new key and signs with it.
		rotated, rotatedPEM := newKey(t)
		alice.Doc = withKey(alice.Doc, alice.KeyID, rotatedPEM)
		remote.Publish(alice)
		alice.Key = rotated
		deliver(t, in, alice, alice.Activity("Update", "/updates/2", alice.Doc))
		if storedKey() != rotatedPEM {
			t.Error("key not rotated after an Update signed by the key the actor's server publishes")
		}
	})
}

func newKey(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := httpsig.GenerateRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := httpsig.EncodePublicKeyPEM(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return key, pem
}

// withKey copies an actor document with another public key.
func withKey(doc map[string]any, keyID, pem string) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	out["publicKey"] = map[string]any{"id": keyID, "owner": doc["id"], "publicKeyPem": pem}
	return out
}

func TestAccountLookupResolvesRemoteThroughWebFinger(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		remote.NewActor(t, "carol")
		lookup := "/api/v1/accounts/lookup?acct="
		if resp := in.Do(t, "", "GET", lookup+"carol@"+remote.Host, nil); resp.Status != 404 {
			t.Errorf("anonymous lookup of an unknown remote account: status %d; want 404 (nothing fetched)", resp.Status)
		}
		var acct struct{ ID, Acct string }
		bob.Do(t, "GET", lookup+"carol@"+remote.Host, nil).JSON(t, &acct)
		if acct.Acct != "carol@"+remote.Host {
			t.Fatalf("lookup = %+v; want carol@%s resolved", acct, remote.Host)
		}
		if resp := in.Do(t, "", "GET", lookup+"carol@"+remote.Host, nil); resp.Status != 200 {
			t.Errorf("anonymous lookup of a known remote account: status %d; want 200", resp.Status)
		}
		if resp := bob.Do(t, "GET", lookup+"nobody@"+remote.Host, nil); resp.Status != 404 {
			t.Errorf("lookup of a handle WebFinger does not know: status %d; want 404", resp.Status)
		}
	})
}
