package federation_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/social"
)

func TestInboundFollowLikeBoostUndo(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		carol := in.NewMember(t, "carol")
		carol.Do(t, "PATCH", "/api/v1/accounts/update_credentials", map[string]any{"locked": true})
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		bobURI, carolURI := in.Federation.URLs.Actor("bob"), in.Federation.URLs.Actor("carol")

		follow := alice.Activity("Follow", "/follows/1", bobURI)
		deliver(t, in, alice, follow)
		deliver(t, in, alice, alice.Activity("Follow", "/follows/2", carolURI))
		if n := count(t, in, `SELECT COUNT(*) FROM follows WHERE target_account_id = $1 AND uri = $2`, bob.Account.ID, remote.URL+"/follows/1"); n != 1 {
			t.Errorf("follows of unlocked bob = %d; want 1", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM follow_requests WHERE target_account_id = $1`, carol.Account.ID); n != 1 {
			t.Errorf("requests to locked carol = %d; want 1", n)
		}

		st, err := in.Social.Post(ctx, bob.Account, bob.User, social.PostParams{Text: "local post"})
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, in, alice, alice.Activity("Like", "/likes/1", st.URI))
		deliver(t, in, alice, alice.Activity("Announce", "/boosts/1", st.URI))
		if n := count(t, in, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type IN ('favourite', 'reblog', 'follow')`, bob.Account.ID); n != 3 {
			t.Errorf("bob's follow/favourite/reblog notifications = %d; want 3", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM statuses WHERE reblog_of_id = $1`, st.ID); n != 1 {
			t.Errorf("boosts = %d; want 1", n)
		}

		undo := func(path string, inner map[string]any) { deliver(t, in, alice, alice.Activity("Undo", path, inner)) }
		undo("/likes/1/undo", alice.Activity("Like", "/likes/1", st.URI))
		undo("/boosts/1/undo", alice.Activity("Announce", "/boosts/1", st.URI))
		undo("/follows/1/undo", follow)
		for query, want := range map[string]int{
			`SELECT COUNT(*) FROM favourites WHERE status_id = $1`:  0,
			`SELECT COUNT(*) FROM statuses WHERE reblog_of_id = $1`: 0,
		} {
			if n := count(t, in, query, st.ID); n != want {
				t.Errorf("%s = %d; want %d", query, n, want)
			}
		}
		if n := count(t, in, `SELECT COUNT(*) FROM follows WHERE target_account_id = $1`, bob.Account.ID); n != 0 {
			t.Errorf("follows after Undo = %d; want 0", n)
		}
	})
}

func TestInboundEditDeleteBlock(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		note := alice.Note("/notes/1", "first")
		deliver(t, in, alice, alice.Activity("Create", "/notes/1/activity", note))
		note["content"], note["updated"] = "second", "2030-01-01T00:00:00Z"
		deliver(t, in, alice, alice.Activity("Update", "/notes/1/update", note))
		st, err := in.Store.StatusByURI(ctx, remote.URL+"/notes/1")
		if err != nil || !strings.Contains(st.Content, "second") || st.EditedAt == nil {
			t.Fatalf("edited status = %+v, %v; want the new content", st, err)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM status_edits WHERE status_id = $1`, st.ID); n != 2 {
			t.Errorf("versions = %d; want 2", n)
		}

		// Another actor cannot delete it; its author can.
		mallory := remote.NewActor(t, "mallory")
		deliver(t, in, mallory, mallory.Activity("Delete", "/notes/1/delete-m", map[string]any{"id": st.URI, "type": "Tombstone"}))
		if _, err := in.Store.StatusByURI(ctx, st.URI); err != nil {
			t.Fatalf("status deleted by another actor: %v", err)
		}
		deliver(t, in, alice, alice.Activity("Delete", "/notes/1/delete", map[string]any{"id": st.URI, "type": "Tombstone"}))
		if _, err := in.Store.StatusByURI(ctx, st.URI); err == nil {
			t.Error("status kept after its author's Delete")
		}

		// bob follows alice; alice blocks bob: the follow ends, bob is not told.
		aliceAcct, err := in.Store.AccountByURI(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := in.Store.Writer().InsertFollow(ctx, "follows", &model.Follow{AccountID: bob.Account.ID, TargetAccountID: aliceAcct.ID}); err != nil {
			t.Fatal(err)
		}
		deliver(t, in, alice, alice.Activity("Block", "/blocks/1", in.Federation.URLs.Actor("bob")))
		if n := count(t, in, `SELECT COUNT(*) FROM follows WHERE account_id = $1`, bob.Account.ID); n != 0 {
			t.Errorf("bob's follows after the block = %d; want 0", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM notifications WHERE account_id = $1`, bob.Account.ID); n != 0 {
			t.Errorf("bob's notifications = %d; want 0", n)
		}
	})
}

func TestInboundAcceptOfOurFollow(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		ctx := context.Background()
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		aliceAcct, err := in.Federation.FetchActor(ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		followID := in.Federation.URLs.Activity("bob", "follows", 1)
		req := &model.Follow{AccountID: bob.Account.ID, TargetAccountID: aliceAcct.ID, ShowReblogs: true, URI: followID}
		if err := in.Store.Writer().InsertFollow(ctx, "follow_requests", req); err != nil {
			t.Fatal(err)
		}
		// A stranger cannot accept it; alice can, naming the Follow by id.
		mallory := remote.NewActor(t, "mallory")
		deliver(t, in, mallory, mallory.Activity("Accept", "/accepts/m", followID))
		if n := count(t, in, `SELECT COUNT(*) FROM follows WHERE account_id = $1`, bob.Account.ID); n != 0 {
			t.Fatalf("follow accepted by a stranger")
		}
		deliver(t, in, alice, alice.Activity("Accept", "/accepts/1", followID))
		var rel []struct{ Following, Requested bool }
		bob.Do(t, "GET", "/api/v1/accounts/relationships?id[]="+itoa(aliceAcct.ID), nil).JSON(t, &rel)
		if len(rel) != 1 || !rel[0].Following || rel[0].Requested {
			t.Errorf("relationship after Accept = %+v; want following", rel)
		}
	})
}

func TestSearchResolvesRemoteAccountsAndStatuses(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		remote.Serve("/notes/9", alice.Note("/notes/9", "findable"))
		var res struct {
			Accounts []struct{ Acct string }
			Statuses []struct{ URI string }
		}
		bob.Do(t, "GET", "/api/v2/search?resolve=true&q="+url.QueryEscape("@alice@"+remote.Host), nil).JSON(t, &res)
		if len(res.Accounts) != 1 || res.Accounts[0].Acct != "alice@"+remote.Host {
			t.Errorf("accounts for the handle = %+v; want alice", res.Accounts)
		}
		bob.Do(t, "GET", "/api/v2/search?resolve=true&q="+url.QueryEscape(remote.URL+"/notes/9"), nil).JSON(t, &res)
		if len(res.Statuses) != 1 || res.Statuses[0].URI != remote.URL+"/notes/9" {
			t.Errorf("statuses for the URL = %+v; want the note", res.Statuses)
		}
	})
}
