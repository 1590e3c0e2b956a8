package portability_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestBlocksAndMutesRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		if _, err := w.svc.Block(ctx, w.alice, w.bob.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Block(ctx, w.alice, w.dave.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Mute(ctx, w.alice, w.carol.ID, social.MuteOptions{Notifications: false}); err != nil {
			t.Fatal(err)
		}
		blocks := w.export(w.alice, "blocks")
		if blocks != "bob@example.test\ndave@remote.example\n" {
			t.Fatalf("blocks export = %q", blocks)
		}
		mutes := w.export(w.alice, "mutes")
		if mutes != "Account address,Hide notifications\ncarol@example.test,false\n" {
			t.Fatalf("mutes export = %q", mutes)
		}
		res := w.importCSV(w.erin, "blocks", blocks+"stranger@far.example\nnobody@example.test\n", false)
		if c := counts(res); c != [4]int{2, 1, 1, 0} {
			t.Errorf("blocks import = %v; want [2 1 1 0]; %q", c, res.Problems)
		}
		if got := w.export(w.erin, "blocks"); got != blocks {
			t.Errorf("blocks round trip = %q; want %q", got, blocks)
		}
		res = w.importCSV(w.erin, "mutes", mutes+"bob@example.test\n", false) // blank: notifications hidden too
		if c := counts(res); c != [4]int{2, 0, 0, 0} {
			t.Errorf("mutes import = %v; %q", c, res.Problems)
		}
		want := "Account address,Hide notifications\ncarol@example.test,false\nbob@example.test,true\n"
		if got := w.export(w.erin, "mutes"); got != want {
			t.Errorf("mutes after import = %q; want %q", got, want)
		}
		res = w.importCSV(w.erin, "blocks", "dave@remote.example\n", true)
		if c := counts(res); c != [4]int{1, 0, 0, 1} {
			t.Errorf("blocks overwrite = %v; want [1 0 0 1]", c)
		}
		if got := w.export(w.erin, "blocks"); got != "dave@remote.example\n" {
			t.Errorf("blocks after overwrite = %q", got)
		}
		res = w.importCSV(w.erin, "mutes", "Account address,Hide notifications\n", true)
		if c := counts(res); c != [4]int{0, 0, 0, 2} {
			t.Errorf("mutes overwrite with none = %v; want [0 0 0 2]", c)
		}
	})
}

func TestDomainBlocksRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		res := w.importCSV(w.alice, "domain_blocks", "spam.example\nBAD.Example.\nnot a domain\n", false)
		if c := counts(res); c != [4]int{2, 0, 1, 0} {
			t.Fatalf("domain blocks import = %v; %q", c, res.Problems)
		}
		exported := w.export(w.alice, "domain_blocks")
		if exported != "spam.example\nbad.example\n" {
			t.Fatalf("domain blocks export = %q", exported)
		}
		w.importCSV(w.erin, "domain_blocks", exported, false)
		if got := w.export(w.erin, "domain_blocks"); got != exported {
			t.Errorf("round trip = %q; want %q", got, exported)
		}
		res = w.importCSV(w.erin, "domain_blocks", "bad.example\nnew.example\n", true)
		if c := counts(res); c != [4]int{2, 0, 0, 1} {
			t.Errorf("overwrite = %v; want [2 0 0 1]", c)
		}
		if got := w.export(w.erin, "domain_blocks"); got != "bad.example\nnew.example\n" {
			t.Errorf("after overwrite = %q", got)
		}
	})
}

func TestListsRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		w.follow(w.alice, w.dave, true, false) // a remote account enters a list once followed
		file := "Friends,bob@example.test\n" +
			"Friends,dave@remote.example\n" +
			"\"Far, away\",new@far.example\n" + // unknown remote: pending
			"Locked,carol@example.test\n" + // approves followers: a request only
			"Friends,ghost@example.test\n" // no such account
		res := w.importCSV(w.alice, "lists", file, false)
		if c := counts(res); c != [4]int{2, 1, 2, 0} {
			t.Fatalf("lists import = %v; want [2 1 2 0]; %q", c, res.Problems)
		}
		exported := w.export(w.alice, "lists")
		if exported != "Friends,bob@example.test\nFriends,dave@remote.example\n" {
			t.Fatalf("lists export = %q", exported)
		}
		if rel, _ := w.svc.Relationship(ctx, w.alice, w.bob.ID); !rel.Following {
			t.Error("importing a list did not follow its member")
		}
		pending, err := st.PendingImports(ctx, w.alice.ID, "lists")
		if err != nil || len(pending) != 1 || pending[0].Target != "\"Far, away\",new@far.example" {
			t.Errorf("pending = %+v, %v", pending, err)
		}
		lists, _ := st.ListsOf(ctx, w.alice.ID)
		var titles []string
		for _, l := range lists {
			titles = append(titles, l.Title)
		}
		slices.Sort(titles)
		if strings.Join(titles, "|") != "Far, away|Friends|Locked" {
			t.Errorf("lists made: %q; want the three named (a pending or requested member's list waits for them)", titles)
		}
		w.follow(w.erin, w.dave, true, false) // erin's list takes dave once his server has accepted her
		w.importCSV(w.erin, "lists", exported, false)
		if got := w.export(w.erin, "lists"); got != exported {
			t.Errorf("round trip = %q; want %q", got, exported)
		}
		res = w.importCSV(w.alice, "lists", "Friends,dave@remote.example\n", true)
		if res.Removed < 1 {
			t.Errorf("overwrite removed %d; want bob out of Friends and the other lists gone", res.Removed)
		}
		if got := w.export(w.alice, "lists"); got != "Friends,dave@remote.example\n" {
			t.Errorf("after overwrite = %q", got)
		}
		if lists, _ := st.ListsOf(ctx, w.alice.ID); len(lists) != 1 {
			t.Errorf("after overwrite %d lists remain; want 1", len(lists))
		}
	})
}
