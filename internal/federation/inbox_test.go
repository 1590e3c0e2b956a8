package federation_test

import (
	"context"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/fedtest"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// start runs an instance that may reach loopback (the fake remotes) and works its
// queues; configure may change more.
func start(t *testing.T, engine store.Engine, configure func(*config.Config)) *servertest.Instance {
	t.Helper()
	in := servertest.Start(t, engine, func(c *config.Config) {
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		if configure != nil {
			configure(c)
		}
	})
	in.WorkJobs(t)
	return in
}

// engines runs fn on a fresh instance of each engine.
func engines(t *testing.T, fn func(t *testing.T, in *servertest.Instance)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			if engine == store.Postgres && storetestURL() == "" {
				t.Skip("TUSK_TEST_DATABASE_URL not set: PostgreSQL tests skipped")
			}
			fn(t, start(t, engine, nil))
		})
	}
}

// waitIdle waits until the inbound queues have no unfinished job.
func waitIdle(t *testing.T, in *servertest.Instance) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := in.Store.DB().QueryRow(`SELECT COUNT(*) FROM river_job WHERE queue IN ('ingress', 'pull')
			AND state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&n)
		if err != nil {
			t.Fatalf("count jobs: %v", err)
		}
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	rows, err := in.Store.DB().Query(`SELECT kind, state, errors FROM river_job WHERE queue IN ('ingress', 'pull')
		AND state NOT IN ('completed', 'discarded', 'cancelled')`)
	if err == nil {
		defer rows.Close()
		for rows.Next() {
			var kind, state string
			var errs []byte
			if rows.Scan(&kind, &state, &errs) == nil {
				t.Logf("unfinished job %s (%s): %s", kind, state, errs)
			}
		}
	}
	t.Fatal("inbound jobs did not finish")
}

func count(t *testing.T, in *servertest.Instance, query string, args ...any) int {
	t.Helper()
	var n int
	if err := in.Store.DB().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func deliver(t *testing.T, in *servertest.Instance, a *fedtest.Actor, activity any) {
	t.Helper()
	if resp := a.Post(t, in.URL+"/inbox", activity); resp.Status != 202 {
		t.Fatalf("deliver: status %d %s; want 202", resp.Status, resp.Body)
	}
	waitIdle(t, in)
}

func TestInboundCreateNote(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, in *servertest.Instance) {
		bob := in.NewMember(t, "bob")
		remote := fedtest.NewRemote(t)
		alice := remote.Actor("alice")
		note := alice.Note("/notes/1", `<p>hi <a href="`+in.Federation.URLs.Actor("bob")+`">@bob</a> #Tusk</p><script>alert(1)</script><a href="javascript:x">x</a>`)
		note["tag"] = []any{
			map[string]any{"type": "Mention", "href": in.Federation.URLs.Actor("bob"), "name": "@bob"},
			map[string]any{"type": "Hashtag", "name": "#Tusk"},
		}
		note["attachment"] = []any{map[string]any{"type": "Document", "mediaType": "image/png", "url": remote.URL + "/media/1.png", "name": "a cat"}}
		create := alice.Activity("Create", "/notes/1/activity", note)
		deliver(t, in, alice, create)
		deliver(t, in, alice, create) // a retried delivery is taken in once

		st, err := in.Store.StatusByURI(context.Background(), remote.URL+"/notes/1")
		if err != nil {
			t.Fatalf("status not stored: %v", err)
		}
		if strings.Contains(st.Content, "script") || strings.Contains(st.Content, "javascript:") || !strings.Contains(st.Content, "hi") {
			t.Errorf("content = %q; want sanitized", st.Content)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM statuses WHERE uri = $1`, st.URI); n != 1 {
			t.Errorf("statuses with the uri = %d; want 1", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND type = 'mention'`, bob.Account.ID); n != 1 {
			t.Errorf("mention notifications = %d; want 1", n)
		}
		if n := count(t, in, `SELECT COUNT(*) FROM media_attachments WHERE status_id = $1 AND remote_url <> ''`, st.ID); n != 1 {
			t.Errorf("remote attachments = %d; want 1", n)
		}
		var acct struct {
			Acct, URL, Avatar string
		}
		bob.Do(t, "GET", "/api/v1/accounts/"+itoa(st.AccountID), nil).JSON(t, &acct)
		if acct.Acct != "alice@"+remote.Host || acct.Avatar != remote.URL+"/avatars/alice.png" {
			t.Errorf("remote account = %+v", acct)
		}
		var tagged []map[string]any
		bob.Do(t, "GET", "/api/v1/timelines/tag/tusk", nil).JSON(t, &tagged)
		if len(tagged) != 1 {
			t.Errorf("tag timeline has %d statuses; want 1", len(tagged))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func storetestURL() string { return os.Getenv("TUSK_TEST_DATABASE_URL") }
