package e2e

import (
	"context"
	"strings"
	"testing"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func TestMastodonClientRelationships(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			runRelationships(t, in)
		})
	}
}

// runRelationships is a member's day with unwanted company: mute an account and see its
// posts leave home, block one and lose it both ways, page through both lists, undo both.
func runRelationships(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e-rel", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	names := []string{"alice", "bob", "carol", "dave"}
	clients := map[string]*mastodon.Client{}
	ids := map[string]mastodon.ID{}
	for _, name := range names {
		signUp(t, in, app, name)
		clients[name] = logIn(t, in, app, name)
		me, err := clients[name].GetAccountCurrentUser(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = me.ID
	}
	alice, bob := clients["alice"], clients["bob"]
	if _, err := alice.AccountFollow(ctx, ids["bob"]); err != nil {
		t.Fatalf("follow: %v", err)
	}
	bobSays, err := bob.PostStatus(ctx, &mastodon.Toot{Status: "bob's news", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	aliceSays, err := alice.PostStatus(ctx, &mastodon.Toot{Status: "alice's news", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	checkMute(t, alice, ids["bob"], bobSays.ID)
	checkBlock(t, alice, bob, ids, aliceSays.ID, bobSays.ID)
	checkListPages(t, clients, ids)
}

func checkMute(t *testing.T, alice *mastodon.Client, bob, bobSays mastodon.ID) {
	t.Helper()
	ctx := context.Background()
	if !homeHas(t, alice, bobSays) {
		t.Fatalf("home misses a followed account's status before any mute")
	}
	rel, err := alice.AccountMute(ctx, bob)
	if err != nil || !rel.Muting || !rel.MutingNotifications || !rel.Following {
		t.Fatalf("AccountMute = %+v, %v; want muting with notifications, still following", rel, err)
	}
	if homeHas(t, alice, bobSays) {
		t.Errorf("home shows a muted account's status")
	}
	mutes, err := alice.GetMutes(ctx, nil)
	if err != nil || len(mutes) != 1 || mutes[0].ID != bob {
		t.Errorf("GetMutes = %v, %v; want bob", mutes, err)
	}
	if rel, err := alice.AccountUnmute(ctx, bob); err != nil || rel.Muting {
		t.Fatalf("AccountUnmute = %+v, %v", rel, err)
	}
	if !homeHas(t, alice, bobSays) {
		t.Errorf("home misses the status after the unmute")
	}
}

func checkBlock(t *testing.T, alice, bob *mastodon.Client, ids map[string]mastodon.ID, aliceSays, bobSays mastodon.ID) {
	t.Helper()
	ctx := context.Background()
	rel, err := alice.AccountBlock(ctx, ids["bob"])
	if err != nil || !rel.Blocking || rel.Following {
		t.Fatalf("AccountBlock = %+v, %v; want blocking, the follow gone", rel, err)
	}
	if homeHas(t, alice, bobSays) {
		t.Errorf("home shows a blocked account's status")
	}
	if _, err := bob.GetStatus(ctx, aliceSays); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("blocked account reads the blocker's status: %v; want 404", err)
	}
	if _, err := bob.AccountFollow(ctx, ids["alice"]); err == nil {
		t.Errorf("blocked account followed the blocker")
	}
	blocks, err := alice.GetBlocks(ctx, nil)
	if err != nil || len(blocks) != 1 || blocks[0].ID != ids["bob"] {
		t.Errorf("GetBlocks = %v, %v; want bob", blocks, err)
	}
	if rel, err := alice.AccountUnblock(ctx, ids["bob"]); err != nil || rel.Blocking {
		t.Fatalf("AccountUnblock = %+v, %v", rel, err)
	}
	if _, err := bob.GetStatus(ctx, aliceSays); err != nil {
		t.Errorf("status after unblock: %v", err)
	}
}

// checkListPages blocks and mutes three accounts and reads both lists two at a time,
// following the Link header as go-mastodon does.
func checkListPages(t *testing.T, clients map[string]*mastodon.Client, ids map[string]mastodon.ID) {
	t.Helper()
	ctx := context.Background()
	alice := clients["alice"]
	for _, name := range []string{"bob", "carol", "dave"} {
		if _, err := alice.AccountBlock(ctx, ids[name]); err != nil {
			t.Fatal(err)
		}
		if _, err := alice.AccountMute(ctx, ids[name]); err != nil {
			t.Fatal(err)
		}
	}
	want := []mastodon.ID{ids["dave"], ids["carol"], ids["bob"]}
	lists := map[string]func(context.Context, *mastodon.Pagination) ([]*mastodon.Account, error){
		"blocks": alice.GetBlocks, "mutes": alice.GetMutes}
	for name, get := range lists {
		pg := &mastodon.Pagination{Limit: 2}
		var seen []mastodon.ID
		for page := 0; page < 4; page++ {
			accounts, err := get(ctx, pg)
			if err != nil {
				t.Fatalf("%s page %d: %v", name, page, err)
			}
			for _, a := range accounts {
				seen = append(seen, a.ID)
			}
			if len(accounts) == 0 || pg.MaxID == "" {
				break
			}
			pg.MinID, pg.SinceID, pg.Limit = "", "", 2
		}
		if len(seen) != len(want) || seen[0] != want[0] || seen[1] != want[1] || seen[2] != want[2] {
			t.Errorf("%s read in pages = %v; want %v", name, seen, want)
		}
	}
}
