package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestTrendsCommandsForLinks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newDiscoveryService(st)
		run := discoveryCLI(t, svc, Trends)
		const link = "https://news.example/story"
		card := &model.PreviewCard{URL: link, Title: "Story", Type: model.CardLink, FetchedAt: time.Now()}
		if err := st.Writer().SaveCard(ctx, card); err != nil {
			t.Fatal(err)
		}
		for i, name := range []string{"ann", "ben"} {
			a := &model.Account{Username: name, Discoverable: true}
			err := st.Tx(ctx, func(q store.Q) error {
				if err := q.InsertAccount(ctx, a); err != nil {
					return err
				}
				s := &model.Status{URI: fmt.Sprint("s", i), AccountID: a.ID, Visibility: model.Public, Local: true}
				if err := q.InsertStatus(ctx, store.NewStatus{Status: s}); err != nil {
					return err
				}
				return q.AttachCard(ctx, s.ID, card.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.RefreshTrends(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		if out, err := run("list links"); err != nil || !strings.Contains(out, link) || !strings.Contains(out, "pending") {
			t.Fatalf("list links = %q, %v; want the link pending review", out, err)
		}
		if links, _ := svc.TrendingLinks(ctx, 10, 0); len(links) != 0 {
			t.Errorf("trending before review = %d links; want none", len(links))
		}
		if out, err := run("allow link " + link); err != nil || out != "OK\n" {
			t.Fatalf("allow link = %q, %v", out, err)
		}
		if links, _ := svc.TrendingLinks(ctx, 10, 0); len(links) != 1 || links[0].URL != link {
			t.Errorf("trending after allow = %v; want the link", links)
		}
		if _, err := run("allow link https://never.example/"); err == nil || !strings.Contains(err.Error(), "no such") {
			t.Errorf("allowing an unknown link = %v; want no such link", err)
		}
	})
}
