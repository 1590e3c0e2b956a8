package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/outbound"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// runOps runs one maintenance command line and returns its output.
func runOps(t *testing.T, d OpsDeps, line string) (string, error) {
	t.Helper()
	out := &bytes.Buffer{}
	d.Out = out
	args := strings.Fields(line)
	err := Ops(context.Background(), d, args[0], args[1:])
	return out.String(), err
}

func mustOps(t *testing.T, d OpsDeps, line string) string {
	t.Helper()
	out, err := runOps(t, d, line)
	if err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	return out
}

func opsDeps(st *store.Store) OpsDeps {
	return OpsDeps{Store: st, Config: config.Config{LocalDomain: "example.test", WebDomain: "example.test", Registrations: config.RegistrationsClosed}}
}

// fixture builds accounts and statuses straight in the store.
type fixture struct {
	t  *testing.T
	st *store.Store
}

func (f fixture) account(username, domain string) *model.Account {
	f.t.Helper()
	a := &model.Account{Username: username, Domain: domain, DisplayName: username, CreatedAt: time.Now().UTC()}
	if domain != "" {
		a.URI = "https://" + domain + "/users/" + username
	}
	if err := f.st.Writer().InsertAccount(context.Background(), a); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f fixture) status(author *model.Account, text string, age time.Duration, edit func(*model.Status)) *model.Status {
	f.t.Helper()
	created := time.Now().UTC().Add(-age)
	s := &model.Status{AccountID: author.ID, Visibility: "public", Local: author.Domain == "", CreatedAt: created,
		URI: fmt.Sprintf("https://%s/statuses/%d", orLocal(author.Domain), created.UnixNano())}
	if s.Local {
		s.Text = text
	} else {
		s.Content = "<p>" + text + "</p>"
	}
	if edit != nil {
		edit(s)
	}
	if err := f.st.Writer().InsertStatus(context.Background(), store.NewStatus{Status: s}); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func orLocal(domain string) string {
	if domain == "" {
		return "example.test"
	}
	return domain
}

func (f fixture) follow(from, to *model.Account) {
	f.t.Helper()
	if err := f.st.Writer().InsertFollow(context.Background(), store.Follows, &model.Follow{AccountID: from.ID, TargetAccountID: to.ID}); err != nil {
		f.t.Fatal(err)
	}
}

func (f fixture) exists(s *model.Status) bool {
	f.t.Helper()
	_, err := f.st.StatusByID(context.Background(), s.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		f.t.Fatal(err)
	}
	return err == nil
}

func TestSettingsRegistrations(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		d := opsDeps(st)
		if out := mustOps(t, d, "settings registrations"); !strings.Contains(out, "closed") {
			t.Errorf("before any change = %q; want the configured closed", out)
		}
		// In order (a slice, not a map): the --json check below reads the last change's mode.
		for _, step := range []struct{ word, want string }{
			{"open", "open"}, {"approved", "approval"}, {"close", "closed"}, {"APPROVED", "approval"},
		} {
			mustOps(t, d, "settings registrations "+step.word)
			if out := mustOps(t, d, "settings registrations"); !strings.Contains(out, "Registrations: "+step.want) {
				t.Errorf("after %s = %q; want %s", step.word, out, step.want)
			}
		}
		var shown map[string]string
		if err := json.Unmarshal([]byte(mustOps(t, d, "settings registrations --json")), &shown); err != nil ||
			shown["registrations"] != "approval" || shown["configured"] != "closed" {
			t.Errorf("--json = %v, %v", shown, err)
		}
		if _, err := runOps(t, d, "settings registrations sometimes"); err == nil {
			t.Error("an unknown mode was accepted")
		}
	})
}

func TestIPBlockCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		d := opsDeps(st)
		mustOps(t, d, "ip-blocks add 192.0.2.7/24 2001:db8::1 --severity no_access --comment spam")
		mustOps(t, d, "ip-blocks add 198.51.100.0/24 --severity sign_up_requires_approval --duration 1h")
		if out := mustOps(t, d, "ip-blocks add 192.0.2.0/24"); !strings.Contains(out, "already blocked") {
			t.Errorf("adding twice = %q; want it reported and skipped", out)
		}
		for _, line := range []string{"ip-blocks add 300.1.1.1", "ip-blocks add 10.0.0.0/8 --severity ban", "ip-blocks add", "ip-blocks remove 203.0.113.9"} {
			if _, err := runOps(t, d, line); err == nil {
				t.Errorf("%s succeeded", line)
			}
		}
		var rows []ipBlockRow
		if err := json.Unmarshal([]byte(mustOps(t, d, "ip-blocks list --json")), &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0].IP != "192.0.2.0/24" || rows[1].IP != "2001:db8::1/128" || rows[2].ExpiresAt == nil {
			t.Fatalf("list = %+v", rows)
		}
		if out := mustOps(t, d, "ip-blocks export --format nginx"); out != "deny 192.0.2.0/24;\ndeny 2001:db8::1/128;\n" {
			t.Errorf("export = %q; want the two no_access blocks", out)
		}
		mustOps(t, d, "ip-blocks remove 192.0.2.200/24")
		if out := mustOps(t, d, "ip-blocks export"); out != "2001:db8::1/128\n" {
			t.Errorf("export after removal = %q", out)
		}
	})
}

func TestEmailDomainBlockCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		d := opsDeps(st)
		mustOps(t, d, "email-domain-blocks add Spam.Example @junk.example")
		ctx := context.Background()
		for domain, want := range map[string]bool{"spam.example": true, "mx.spam.example": true, "junk.example": true, "ham.example": false, "example": false} {
			if got, err := st.EmailDomainBlocked(ctx, domain); err != nil || got != want {
				t.Errorf("EmailDomainBlocked(%q) = %v, %v; want %v", domain, got, err, want)
			}
		}
		if out := mustOps(t, d, "email-domain-blocks list"); !strings.Contains(out, "junk.example") || !strings.Contains(out, "spam.example") {
			t.Errorf("list = %q", out)
		}
		if _, err := runOps(t, d, "email-domain-blocks add not/a/domain"); err == nil {
			t.Error("a path was accepted as a domain")
		}
		mustOps(t, d, "email-domain-blocks remove spam.example")
		if _, err := runOps(t, d, "email-domain-blocks remove spam.example"); err == nil {
			t.Error("removing twice succeeded")
		}
	})
}

func TestSearchReindex(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		f := fixture{t, st}
		alice := f.account("alice", "")
		// Inserted without search text, as a copy between engines leaves them.
		local := f.status(alice, "walrus tusks", 0, nil)
		remote := f.status(f.account("bob", "remote.example"), "walrus <b>whiskers</b>", 0, nil)
		ctx := context.Background()
		if found, _ := st.SearchStatuses(ctx, alice.ID, "walrus", 0, 10, 0); len(found) != 0 {
			t.Fatalf("found %d before reindexing; the test needs an empty index", len(found))
		}
		var res map[string]float64
		if err := json.Unmarshal([]byte(mustOps(t, opsDeps(st), "search reindex --json")), &res); err != nil || res["statuses"] != 2 {
			t.Fatalf("reindex = %v, %v; want 2 statuses", res, err)
		}
		mustOps(t, opsDeps(st), "search reindex") // twice: replaced, not doubled
		for query, want := range map[string]int64{"walrus": 0, "tusks": local.ID, "whiskers": remote.ID} {
			found, err := st.SearchStatuses(ctx, alice.ID, query, 0, 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			if want == 0 && len(found) != 2 || want != 0 && (len(found) != 1 || found[0].ID != want) {
				t.Errorf("search %q found %d statuses", query, len(found))
			}
		}
	})
}

func TestStatusesRemove(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		f := fixture{t, st}
		ctx := context.Background()
		alice, bob := f.account("alice", ""), f.account("bob", "remote.example")
		old := 100 * 24 * time.Hour
		unused := f.status(bob, "nobody cares", old, nil)
		recent := f.status(bob, "new", time.Hour, nil)
		ownOld := f.status(alice, "mine", old, nil)
		favourited := f.status(bob, "liked", old, nil)
		bookmarked := f.status(bob, "kept", old, nil)
		repliedTo := f.status(bob, "asked", old, nil)
		f.status(alice, "answer", time.Hour, func(s *model.Status) { s.InReplyToID, s.InReplyToAccountID = &repliedTo.ID, &bob.ID })
		remoteReply := f.status(bob, "thread", old, func(s *model.Status) { s.InReplyToID, s.InReplyToAccountID = &favourited.ID, &bob.ID })
		st.Writer().AddMark(ctx, store.Favourites, alice.ID, favourited.ID)
		st.Writer().AddMark(ctx, store.Bookmarks, alice.ID, bookmarked.ID)

		d := opsDeps(st)
		if out := mustOps(t, d, "statuses remove --days 90 --dry-run"); !strings.Contains(out, "2 remote posts") {
			t.Errorf("dry run = %q; want 2", out)
		}
		if !f.exists(unused) {
			t.Fatal("the dry run deleted")
		}
		mustOps(t, d, "statuses remove --days 90")
		for s, want := range map[*model.Status]bool{unused: false, remoteReply: false, recent: true, ownOld: true, favourited: true, bookmarked: true, repliedTo: true} {
			if got := f.exists(s); got != want {
				t.Errorf("status %q exists = %v; want %v", s.Content+s.Text, got, want)
			}
		}
		if got, _ := st.StatusByID(ctx, favourited.ID); got.RepliesCount != 0 {
			t.Errorf("replies_count of the parent = %d after its reply was removed; want 0", got.RepliesCount)
		}
		if out := mustOps(t, d, "statuses remove --days 90 --json"); !strings.Contains(out, `"removed": 0`) {
			t.Errorf("second run = %q; want nothing removed", out)
		}
		if _, err := runOps(t, d, "statuses remove --days 0"); err == nil {
			t.Error("--days 0 was accepted")
		}
	})
}

func TestDomainsPurge(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		f := fixture{t, st}
		ctx := context.Background()
		alice := f.account("alice", "")
		var spam []*model.Account
		for i := range 3 {
			spam = append(spam, f.account(fmt.Sprint("spammer", i), "spam.example"))
		}
		keep := f.account("friend", "good.example")
		f.follow(spam[0], alice)
		f.follow(alice, spam[1])
		f.follow(keep, alice)
		mine := f.status(alice, "hello", 0, nil)
		st.Writer().AddMark(ctx, store.Favourites, spam[2].ID, mine.ID)
		spamPost := f.status(spam[0], "buy now", 0, nil)
		goodPost := f.status(keep, "hi", 0, nil)
		f.status(alice, "", 0, func(s *model.Status) { s.ReblogOfID = &spamPost.ID }) // goes with the boosted post

		d := opsDeps(st)
		if out := mustOps(t, d, "domains purge spam.example --dry-run"); !strings.Contains(out, "Would remove 3 accounts") {
			t.Errorf("dry run = %q", out)
		}
		var res []purgeResult
		if err := json.Unmarshal([]byte(mustOps(t, d, "domains purge SPAM.example --json")), &res); err != nil || len(res) != 1 || res[0].Accounts != 3 {
			t.Fatalf("purge = %+v, %v", res, err)
		}
		if f.exists(spamPost) || !f.exists(goodPost) || !f.exists(mine) {
			t.Error("purge removed the wrong posts")
		}
		a, _ := st.AccountByID(ctx, alice.ID)
		if a.FollowersCount != 1 || a.FollowingCount != 0 || a.StatusesCount != 1 {
			t.Errorf("alice follows %d, is followed by %d, has %d posts; want 0, 1 and 1", a.FollowingCount, a.FollowersCount, a.StatusesCount)
		}
		if s, _ := st.StatusByID(ctx, mine.ID); s.FavouritesCount != 0 {
			t.Errorf("favourites_count = %d; want 0", s.FavouritesCount)
		}
		if out := mustOps(t, d, "domains purge spam.example"); !strings.Contains(out, "Removed 0 accounts") {
			t.Errorf("second run = %q; want nothing to do", out)
		}
		if _, err := runOps(t, d, "domains purge example.test"); err == nil {
			t.Error("purging the instance's own domain was accepted")
		}
	})
}

func TestDomainsCrawl(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/.well-known/nodeinfo":
				fmt.Fprintf(w, `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://%s/nodeinfo/2.0"},
					{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://%s/nodeinfo/2.1"}]}`, r.Host, r.Host)
			case "/nodeinfo/2.1":
				fmt.Fprint(w, `{"version":"2.1","software":{"name":"mastodon","version":"4.5.0"},"openRegistrations":true,
					"usage":{"users":{"total":1234,"activeMonth":56},"localPosts":7890}}`)
			default:
				http.NotFound(w, r)
			}
		}))
		t.Cleanup(peer.Close)
		f := fixture{t, st}
		f.account("alice", peer.Listener.Addr().String())
		f.account("bob", "127.0.0.1:1") // nothing listens: reported, not fatal
		d := opsDeps(st)
		d.CrawlScheme = "http"
		d.Client = outbound.New(outbound.Options{Guard: outbound.Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}, Timeout: 5 * time.Second})
		var peers []peerInfo
		if err := json.Unmarshal([]byte(mustOps(t, d, "domains crawl --json --concurrency 2")), &peers); err != nil {
			t.Fatal(err)
		}
		if len(peers) != 2 {
			t.Fatalf("crawled %d peers; want 2", len(peers))
		}
		byDomain := map[string]peerInfo{peers[0].Domain: peers[0], peers[1].Domain: peers[1]}
		good := byDomain[peer.Listener.Addr().String()]
		if good.Software != "mastodon" || good.Version != "4.5.0" || good.Users == nil || *good.Users != 1234 || good.Error != "" {
			t.Errorf("peer = %+v", good)
		}
		if byDomain["127.0.0.1:1"].Error == "" {
			t.Error("an unreachable peer has no error")
		}
		if out := mustOps(t, d, "domains crawl"); !strings.Contains(out, "2 servers, 1 answered, 1234 users") {
			t.Errorf("table = %q", out)
		}
	})
}
