package e2e

import (
	"context"
	"testing"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func TestListsAndFiltersWithClientLibrary(t *testing.T) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, engine, func(c *config.Config) { c.Registrations = config.RegistrationsOpen })
			runListsAndFilters(t, in)
		})
	}
}

// runListsAndFilters: a member groups the accounts they follow in a list, reads the list's
// timeline, and filters a word out of their home timeline with the first filter API.
func runListsAndFilters(t *testing.T, in *servertest.Instance) {
	ctx := context.Background()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: in.URL, ClientName: "e2e", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	for _, name := range []string{"carol", "dave", "erin"} {
		signUp(t, in, app, name)
	}
	carol, dave, erin := logIn(t, in, app, "carol"), logIn(t, in, app, "dave"), logIn(t, in, app, "erin")
	daveAcc, _ := dave.GetAccountCurrentUser(ctx)
	erinAcc, _ := erin.GetAccountCurrentUser(ctx)
	for _, acc := range []*mastodon.Account{daveAcc, erinAcc} {
		if _, err := carol.AccountFollow(ctx, acc.ID); err != nil {
			t.Fatalf("follow: %v", err)
		}
	}

	list := checkLists(t, carol, daveAcc)
	fromDave := tootAs(t, dave, "dave's garden update")
	tootAs(t, erin, "erin is not in the list")
	tl, err := carol.GetTimelineList(ctx, list.ID, nil)
	if err != nil || len(tl) != 1 || tl[0].ID != fromDave.ID {
		t.Fatalf("list timeline = %v, %v; want only dave's status", timelineIDs(tl), err)
	}
	checkFilters(t, carol, erin)
}

func checkLists(t *testing.T, c *mastodon.Client, member *mastodon.Account) *mastodon.List {
	t.Helper()
	ctx := context.Background()
	list, err := c.CreateList(ctx, "Gardeners")
	if err != nil || list.Title != "Gardeners" {
		t.Fatalf("CreateList = %+v, %v", list, err)
	}
	if err := c.AddToList(ctx, list.ID, member.ID); err != nil {
		t.Fatalf("AddToList: %v", err)
	}
	members, err := c.GetListAccounts(ctx, list.ID)
	if err != nil || len(members) != 1 || members[0].ID != member.ID {
		t.Fatalf("GetListAccounts = %v, %v", members, err)
	}
	lists, err := c.GetAccountLists(ctx, member.ID)
	if err != nil || len(lists) != 1 || lists[0].ID != list.ID {
		t.Fatalf("GetAccountLists = %v, %v", lists, err)
	}
	if renamed, err := c.RenameList(ctx, list.ID, "Gardening"); err != nil || renamed.Title != "Gardening" {
		t.Fatalf("RenameList = %+v, %v", renamed, err)
	}
	return list
}

func checkFilters(t *testing.T, c, author *mastodon.Client) {
	t.Helper()
	ctx := context.Background()
	f, err := c.CreateFilter(ctx, &mastodon.Filter{Phrase: "Broccoli", Context: []string{"home"}, WholeWord: true})
	if err != nil || f.Phrase != "Broccoli" || f.Irreversible {
		t.Fatalf("CreateFilter = %+v, %v", f, err)
	}
	filters, err := c.GetFilters(ctx)
	if err != nil || len(filters) != 1 || filters[0].ID != f.ID || !filters[0].WholeWord {
		t.Fatalf("GetFilters = %+v, %v", filters, err)
	}
	warned := tootAs(t, author, "so much broccoli this year")
	home, err := c.GetTimelineHome(ctx, nil)
	if err != nil || len(home) == 0 || home[0].ID != warned.ID {
		t.Fatalf("home = %v, %v; want %s first", timelineIDs(home), err, warned.ID)
	}
	// A v1 filter is one keyword of a v2 filter, titled with the phrase: the result names that.
	if r := home[0].Filtered; len(r) != 1 || r[0].Filter.Title != "Broccoli" || r[0].Filter.FilterAction != "warn" ||
		len(r[0].KeywordMatches) != 1 || r[0].KeywordMatches[0] != "Broccoli" {
		t.Errorf("filtered = %+v; want the broccoli filter", r)
	}
	if _, err := c.UpdateFilter(ctx, f.ID, &mastodon.Filter{Phrase: "broccoli", Context: []string{"home"}, Irreversible: true}); err != nil {
		t.Fatalf("UpdateFilter: %v", err)
	}
	home, err = c.GetTimelineHome(ctx, nil)
	if err != nil || len(home) > 0 && home[0].ID == warned.ID {
		t.Fatalf("home after making the filter irreversible = %v, %v; want %s gone", timelineIDs(home), err, warned.ID)
	}
	if err := c.DeleteFilter(ctx, f.ID); err != nil {
		t.Fatalf("DeleteFilter: %v", err)
	}
	if filters, err := c.GetFilters(ctx); err != nil || len(filters) != 0 {
		t.Fatalf("GetFilters after delete = %+v, %v", filters, err)
	}
}

func tootAs(t *testing.T, c *mastodon.Client, text string) *mastodon.Status {
	t.Helper()
	st, err := c.PostStatus(context.Background(), &mastodon.Toot{Status: text, Visibility: "public"})
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	return st
}

func timelineIDs(l []*mastodon.Status) []mastodon.ID {
	out := make([]mastodon.ID, len(l))
	for i, s := range l {
		out[i] = s.ID
	}
	return out
}
