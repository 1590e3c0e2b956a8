// Package e2e_test runs several real tusk instances on loopback, each with its own
// database and job queues, and drives them through the client API only: what one
// member does must reach the right members of the other instance, through signed
// deliveries, inboxes and the inbound processing, as between any two servers.
package e2e_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
	"golang.org/x/crypto/bcrypt"
)

type obj = map[string]any

// instance runs a tusk that may reach loopback (its peers) and works its queues, with
// retries quick enough for a test.
func instance(t *testing.T, engine store.Engine) *servertest.Instance {
	t.Helper()
	in := servertest.StartOn(t, listen80(t), engine, func(c *config.Config) {
		c.Network.AllowedPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		c.Jobs.RetryBase = 200 * time.Millisecond
		c.Jobs.PollInterval = 50 * time.Millisecond
	})
	in.Accounts.PasswordCost = bcrypt.MinCost
	in.WorkJobs(t)
	return in
}

// pairs are the engine pairs the instances run on: each engine on each side.
func pairs(t *testing.T) [][2]store.Engine {
	if os.Getenv("TUSK_TEST_DATABASE_URL") == "" {
		t.Log("TUSK_TEST_DATABASE_URL not set: both instances run on SQLite")
		return [][2]store.Engine{{store.SQLite, store.SQLite}}
	}
	return [][2]store.Engine{{store.SQLite, store.Postgres}, {store.Postgres, store.SQLite}}
}

// host is an instance's domain, as its handles carry it.
func host(in *servertest.Instance) string { return in.Config.LocalDomain }

// listen80 listens on port 80 of a random loopback address. Each instance gets its own
// address, so its domain has no port: a handle with a port (@alice@127.0.0.1:41234) is
// not a mention in the text of a post, on tusk as on Mastodon.
func listen80(t *testing.T) net.Listener {
	t.Helper()
	for range 5 {
		addr := fmt.Sprintf("127.%d.%d.%d:80", 1+rand.IntN(254), rand.IntN(256), 1+rand.IntN(254))
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln
		}
		if errors.Is(err, syscall.EACCES) {
			t.Skipf("listening on port 80 of loopback needs privileges (%v): the multi-instance tests are skipped", err)
		}
	}
	t.Fatal("no free loopback address with port 80")
	return nil
}

// hasURI reports whether a timeline holds the status with uri (boosts count by their original).
func hasURI(statuses []obj, uri string) bool {
	for _, s := range statuses {
		if s["uri"] == uri {
			return true
		}
		if r, ok := s["reblog"].(obj); ok && r["uri"] == uri {
			return true
		}
	}
	return false
}

// drained waits until an instance has no delivery (delivery table) or job (push,
// ingress, pull) left, so that a
// check for something that must NOT arrive is not made too early.
func drained(t *testing.T, ins ...*servertest.Instance) {
	t.Helper()
	for _, in := range ins {
		servertest.Eventually(t, "queues drained on "+in.URL, func() (bool, string) {
			var n int
			err := in.Store.DB().QueryRow(`SELECT COUNT(*) FROM river_job WHERE queue IN ('push', 'ingress', 'pull')
				AND state IN ('available', 'running', 'retryable', 'scheduled', 'pending')`).Scan(&n)
			if err != nil {
				return false, err.Error()
			}
			queued, err := in.Store.DeliveryBacklog(context.Background())
			if err != nil {
				return false, err.Error()
			}
			return n == 0 && queued == 0, fmt.Sprintf("%d jobs, %d deliveries", n, queued)
		})
	}
}

// fmt0 says what a value was, for failure messages.
func fmt0(v ...any) string { return fmt.Sprint(v...) }

func contains(v any, sub string) bool {
	s, ok := v.(string)
	return ok && strings.Contains(s, sub)
}
