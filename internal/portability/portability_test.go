package portability_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/portability"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// world is a small instance: local members, one known remote account, some statuses.
type world struct {
	t                       *testing.T
	st                      *store.Store
	svc                     *social.Service
	p                       *portability.Service
	alice, bob, carol, erin *model.Account
	dave                    *model.Account // dave@remote.example, known here
	public, private         *model.Status
}

func newWorld(t *testing.T, st *store.Store) *world {
	svc := &social.Service{Store: st, Config: config.Config{LocalDomain: "example.test", WebDomain: "example.test", MaxStatusChars: 500},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w := &world{t: t, st: st, svc: svc, p: portability.New(svc)}
	w.alice, w.bob, w.erin = w.account("alice", ""), w.account("bob", ""), w.account("erin", "")
	w.carol = w.account("carol", "")
	w.carol.Locked = true
	if err := st.Writer().UpdateProfile(context.Background(), w.carol); err != nil {
		t.Fatal(err)
	}
	w.dave = w.account("dave", "remote.example")
	w.public = w.post(w.bob, model.Public)
	w.private = w.post(w.carol, model.Private)
	return w
}

func (w *world) account(name, domain string) *model.Account {
	w.t.Helper()
	a := &model.Account{Username: name, Domain: domain}
	if domain != "" {
		a.URI = "https://" + domain + "/users/" + name
	}
	if err := w.st.Writer().InsertAccount(context.Background(), a); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *world) post(author *model.Account, vis model.Visibility) *model.Status {
	w.t.Helper()
	st, err := w.svc.Post(context.Background(), author, nil, social.PostParams{Text: "hello", Visibility: vis})
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

func (w *world) follow(a, b *model.Account, reblogs, notify bool, langs ...string) {
	w.t.Helper()
	if _, err := w.svc.Follow(context.Background(), a, b.ID, social.FollowOptions{Reblogs: &reblogs, Notify: &notify, Languages: langs}); err != nil {
		w.t.Fatal(err)
	}
	w.acceptRemote(a, b)
}

// acceptRemote plays the remote server's Accept of a's follow of remote account b: a
// follow of a remote account waits for it, as over federation.
func (w *world) acceptRemote(a, b *model.Account) {
	w.t.Helper()
	if b.IsLocal() {
		return
	}
	if err := w.svc.ReceiveFollowAccepted(context.Background(), a, b); err != nil {
		w.t.Fatalf("accept %s's follow of %s: %v", a.Username, b.Acct(), err)
	}
}

func (w *world) export(a *model.Account, kind string) string {
	w.t.Helper()
	var buf bytes.Buffer
	if err := w.p.Export(context.Background(), a, kind, &buf); err != nil {
		w.t.Fatalf("export %s: %v", kind, err)
	}
	return buf.String()
}

func (w *world) importCSV(a *model.Account, kind, csv string, overwrite bool) *portability.Result {
	w.t.Helper()
	res, err := w.p.Import(context.Background(), a, kind, strings.NewReader(csv), overwrite)
	if err != nil {
		w.t.Fatalf("import %s: %v", kind, err)
	}
	return res
}

func counts(r *portability.Result) [4]int { return [4]int{r.Imported, r.Pending, r.Skipped, r.Removed} }

func TestFollowingRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		w.follow(w.alice, w.bob, true, true, "en", "de")
		w.follow(w.alice, w.dave, false, false)
		w.follow(w.bob, w.alice, true, false)

		got := w.export(w.alice, "following")
		want := "Account address,Show boosts,Notify on new posts,Languages\n" +
			"bob@example.test,true,true,\"en,de\"\n" +
			"dave@remote.example,false,false,\n"
		if got != want {
			t.Fatalf("following export:\n%s\nwant:\n%s", got, want)
		}
		if got := w.export(w.alice, "followers"); got != "Account address\nbob@example.test\n" {
			t.Errorf("followers export = %q", got)
		}

		extra := "carol@example.test,true,false,\n" + // locked: a request
			"ghost@example.test,true,false,\n" + // no such local account
			"@new@Far.Example,true,true,fr\n" + // remote, unknown: pending
			"erin@example.test\n" + // oneself
			"bob@example.test,maybe\n" // not a boolean
		res := w.importCSV(w.erin, "following", want+extra, false)
		if c := counts(res); c != [4]int{3, 1, 3, 0} {
			t.Fatalf("import counts (imported, pending, skipped, removed) = %v; want [3 1 3 0]; problems %q", c, res.Problems)
		}
		w.acceptRemote(w.erin, w.dave)
		if got := w.export(w.erin, "following"); got != want {
			t.Errorf("round trip: erin's following export:\n%s\nwant:\n%s", got, want)
		}
		if _, err := st.FollowBetween(context.Background(), store.FollowRequests, w.erin.ID, w.carol.ID); err != nil {
			t.Errorf("follow request to locked carol: %v", err)
		}
		pending, err := st.PendingImports(context.Background(), w.erin.ID, "following")
		if err != nil || len(pending) != 1 || pending[0].Target != "new@far.example" || !strings.Contains(pending[0].Data, `"notify":true`) {
			t.Fatalf("pending = %+v, %v; want new@far.example with notify", pending, err)
		}

		res = w.importCSV(w.erin, "following", "dave@remote.example,true,false,\n", true)
		if c := counts(res); c != [4]int{1, 0, 0, 1} {
			t.Fatalf("overwrite counts = %v; want [1 0 0 1]", c)
		}
		w.acceptRemote(w.erin, w.dave)
		want = "Account address,Show boosts,Notify on new posts,Languages\ndave@remote.example,true,false,\n"
		if got := w.export(w.erin, "following"); got != want {
			t.Errorf("after overwrite:\n%s\nwant:\n%s", got, want)
		}
		if pending, _ := st.PendingImports(context.Background(), w.erin.ID, "following"); len(pending) != 0 {
			t.Errorf("overwrite kept %d pending rows", len(pending))
		}
	})
}

func TestBookmarksRoundTrip(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		if _, err := w.svc.Bookmark(context.Background(), w.alice, w.public.ID); err != nil {
			t.Fatal(err)
		}
		exported := w.export(w.alice, "bookmarks")
		if exported != w.public.URI+"\n" {
			t.Fatalf("bookmarks export = %q; want %q", exported, w.public.URI+"\n")
		}
		file := exported +
			w.public.URL + "\n" + // the web URL names the same status
			w.private.URI + "\n" + // not visible to erin
			"https://example.test/users/bob/statuses/1\n" + // no such local status
			"https://far.example/notes/1\n" + // remote, unknown: pending
			"not a url\n"
		res := w.importCSV(w.erin, "bookmarks", file, false)
		if c := counts(res); c != [4]int{2, 1, 3, 0} {
			t.Fatalf("import counts = %v; want [2 1 3 0]; problems %q", c, res.Problems)
		}
		if got := w.export(w.erin, "bookmarks"); got != exported {
			t.Errorf("round trip = %q; want %q", got, exported)
		}
		res = w.importCSV(w.erin, "bookmarks", "", true)
		if c := counts(res); c != [4]int{0, 0, 0, 1} {
			t.Errorf("overwrite with an empty file: counts = %v; want [0 0 0 1]", c)
		}
		if got := w.export(w.erin, "bookmarks"); got != "" {
			t.Errorf("after overwrite = %q; want nothing", got)
		}
	})
}

func TestImportRefusals(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		w := newWorld(t, st)
		_, err := w.p.Import(context.Background(), w.alice, "followers", strings.NewReader("bob@example.test\n"), false)
		if !errors.Is(err, portability.ErrExportOnly) {
			t.Errorf("followers import: err = %v; want ErrExportOnly", err)
		}
		if err := w.p.Export(context.Background(), w.alice, "statuses", io.Discard); err == nil {
			t.Error("unknown kind exported")
		}
		if diff := cmp.Diff([]string{"blocks", "bookmarks", "domain_blocks", "followers", "following", "lists", "mutes"}, w.p.Kinds()); diff != "" {
			t.Errorf("kinds (-want +got):\n%s", diff)
		}
	})
}
