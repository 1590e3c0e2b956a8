package admin

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// discoveryCLI runs a trends or announcements command line and returns its output.
func discoveryCLI(t *testing.T, svc *social.Service, group func(context.Context, DiscoveryDeps, []string) error) func(line string) (string, error) {
	return func(line string) (string, error) {
		out := &bytes.Buffer{}
		err := group(context.Background(), DiscoveryDeps{Social: svc, Out: out}, splitQuoted(line))
		return out.String(), err
	}
}

// splitQuoted splits on spaces, keeping 'quoted text' together.
func splitQuoted(line string) []string {
	var out []string
	for i, part := range strings.Split(line, "'") {
		if i%2 == 1 {
			out = append(out, part)
			continue
		}
		out = append(out, strings.Fields(part)...)
	}
	return out
}

func newDiscoveryService(st *store.Store) *social.Service {
	cfg := config.Config{LocalDomain: "example.test", WebDomain: "example.test"}
	cfg.Discovery.TrendsRequireReview = true
	return &social.Service{Store: st, Config: cfg}
}

func TestTrendsCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newDiscoveryService(st)
		run := discoveryCLI(t, svc, Trends)
		for i, name := range []string{"ann", "ben"} {
			a := &model.Account{Username: name, Discoverable: true}
			err := st.Tx(ctx, func(q store.Q) error {
				if err := q.InsertAccount(ctx, a); err != nil {
					return err
				}
				return q.InsertStatus(ctx, store.NewStatus{Status: &model.Status{URI: fmt.Sprint("s", i), AccountID: a.ID,
					Visibility: model.Public, Local: true}, Tags: []string{"cats"}})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.RefreshTrends(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		out, err := run("list tags")
		if err != nil || !strings.Contains(out, "cats") || !strings.Contains(out, "pending") {
			t.Fatalf("list = %q, %v; want cats pending review", out, err)
		}
		if tags, _ := svc.TrendingTags(ctx, nil, 10, 0); len(tags) != 0 {
			t.Errorf("trending before review = %d tags; want none", len(tags))
		}
		if out, err := run("allow tag cats"); err != nil || out != "OK\n" {
			t.Fatalf("allow = %q, %v", out, err)
		}
		if out, _ := run("list"); !strings.Contains(out, "allowed") {
			t.Errorf("list after allow = %q", out)
		}
		if tags, _ := svc.TrendingTags(ctx, nil, 10, 0); len(tags) != 1 || tags[0].Name != "cats" {
			t.Errorf("trending after allow = %v; want cats", tags)
		}
		if _, err := run("disallow tag cats"); err != nil {
			t.Fatal(err)
		}
		if out, _ := run("list tags"); !strings.Contains(out, "disallowed") {
			t.Errorf("list after disallow = %q", out)
		}
		for _, bad := range []string{"allow", "allow tag", "allow link x", "allow status 42", "frobnicate"} {
			if _, err := run(bad); err == nil {
				t.Errorf("%q succeeded; want an error", bad)
			}
		}
	})
}

func TestAnnouncementCommands(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		svc := newDiscoveryService(st)
		run := discoveryCLI(t, svc, Announcements)
		out, err := run("create 'Maintenance tonight' --starts-at 2026-01-01 --ends-at 2026-01-02 --all-day")
		if err != nil || !strings.HasPrefix(out, "OK: announcement ") {
			t.Fatalf("create = %q, %v", out, err)
		}
		announcementID := strings.TrimSpace(strings.TrimPrefix(out, "OK: announcement "))
		if out, _ := run("list"); !strings.Contains(out, "Maintenance tonight") || !strings.Contains(out, "2026-01-01 00:00:00") {
			t.Errorf("list = %q", out)
		}
		for _, bad := range []string{"create", "create ' '", "create x --all-day", "create x --starts-at tomorrow",
			"create x --starts-at 2026-01-02 --ends-at 2026-01-01", "create " + strings.Repeat("x", 5001), "delete 999", "delete abc"} {
			if _, err := run(bad); err == nil {
				t.Errorf("%q succeeded; want an error", bad)
			}
		}
		if out, err := run("delete " + announcementID); err != nil || out != "OK\n" {
			t.Fatalf("delete = %q, %v", out, err)
		}
		if out, _ := run("list"); strings.Contains(out, "Maintenance") {
			t.Errorf("list after delete = %q", out)
		}
	})
}
