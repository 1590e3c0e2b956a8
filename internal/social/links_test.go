package social_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// recorder is an Enqueuer that keeps what it was given.
type recorder struct{ jobs []river.JobArgs }

func (r *recorder) Enqueue(_ context.Context, _ store.Q, args river.JobArgs, _ *river.InsertOpts) error {
	r.jobs = append(r.jobs, args)
	return nil
}

func TestPostQueuesCardFetchForFirstOutsideLink(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		rec := &recorder{}
		svc.Jobs = rec
		ann := account(t, s, "ann")
		account(t, s, "bob")
		st, err := svc.Post(ctx, ann, nil, social.PostParams{Text: "@bob #tusks http://example.test/@ann/1 https://long.example/" +
			strings.Repeat("x", 2048) + " https://other.example/x and https://second.example/"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Post(ctx, ann, nil, social.PostParams{Text: "@bob #tusks nothing to fetch"}); err != nil {
			t.Fatal(err)
		}
		want := social.FetchCardArgs{StatusID: st.ID, URL: "https://other.example/x"}
		if len(rec.jobs) != 1 || rec.jobs[0] != want {
			t.Errorf("queued %v; want only %v", rec.jobs, want)
		}
	})
}

func TestRefreshTrendsRanksLinks(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		now := time.Now()
		var accounts []*model.Account
		for i := 0; i < 4; i++ {
			a := &model.Account{Username: fmt.Sprintf("a%d", i), Discoverable: i < 3} // a3 is not discoverable
			if err := s.Tx(ctx, func(q store.Q) error { return q.InsertAccount(ctx, a) }); err != nil {
				t.Fatal(err)
			}
			accounts = append(accounts, a)
		}
		var seq int64
		share := func(card string, who int, ago time.Duration, vis model.Visibility) {
			t.Helper()
			err := s.Tx(ctx, func(q store.Q) error {
				c, err := q.CardByURL(ctx, card)
				if err != nil {
					c = &model.PreviewCard{URL: card, Title: card, Type: model.CardLink, FetchedAt: now}
					if err := q.SaveCard(ctx, c); err != nil {
						return err
					}
				}
				// The id carries the time; set it, as the generator never goes back in time.
				seq++
				st := &model.Status{ID: id.Lower(now.Add(-ago)) + seq, AccountID: accounts[who].ID, Visibility: vis,
					CreatedAt: now.Add(-ago), Text: card}
				st.URI = fmt.Sprintf("https://example.test/statuses/%d", seq)
				if err := q.InsertStatus(ctx, store.NewStatus{Status: st}); err != nil {
					return err
				}
				return q.AttachCard(ctx, st.ID, c.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		share("https://stale.example/", 0, 72*time.Hour, model.Public) // outside the window
		share("https://stale.example/", 1, 72*time.Hour, model.Public)
		share("https://old.example/", 0, 40*time.Hour, model.Public) // two authors, long ago: decayed
		share("https://old.example/", 1, 40*time.Hour, model.Public)
		share("https://two.example/", 0, 2*time.Hour, model.Public)
		share("https://two.example/", 1, 2*time.Hour, model.Public)
		for _, ago := range []time.Duration{3 * time.Hour, 2 * time.Hour, time.Hour} { // repeating counts once
			share("https://three.example/", 2, ago, model.Public)
		}
		share("https://three.example/", 0, time.Hour, model.Public)
		share("https://three.example/", 1, time.Hour, model.Public)
		share("https://solo.example/", 0, time.Minute, model.Public) // one author is not a trend
		share("https://solo.example/", 3, time.Minute, model.Public) // nor with a hidden one
		share("https://quiet.example/", 0, time.Hour, model.Private)
		share("https://quiet.example/", 1, time.Hour, model.Unlisted)
		if err := svc.RefreshTrends(ctx, now); err != nil {
			t.Fatal(err)
		}
		links := trendingURLs(t, svc)
		want := []string{"https://three.example/", "https://two.example/", "https://old.example/"}
		if fmt.Sprint(links) != fmt.Sprint(want) {
			t.Errorf("trending = %v; want %v", links, want)
		}
		top, err := svc.TrendingLinks(ctx, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		uses, authors := int64(0), int64(0)
		for _, d := range top[0].History {
			uses, authors = uses+d.Uses, max(authors, d.Accounts)
		}
		if len(top[0].History) != 7 || uses != 5 || authors < 2 {
			t.Errorf("three.example history = %+v; want 7 days holding its 5 public uses", top[0].History)
		}

		// With review required only links an admin allowed trend, and a disallowed one never.
		svc.Config.Discovery.TrendsRequireReview = true
		if got := trendingURLs(t, svc); len(got) != 0 {
			t.Errorf("unreviewed links trend: %v", got)
		}
		for url, allowed := range map[string]bool{"https://two.example/": true, "https://three.example/": false} {
			if err := svc.ReviewTrend(ctx, model.TrendLink, url, allowed); err != nil {
				t.Fatal(err)
			}
		}
		if err := svc.ReviewTrend(ctx, model.TrendLink, "https://unknown.example/", true); err != social.ErrNotFound {
			t.Errorf("reviewing an unknown link = %v; want not found", err)
		}
		if got := trendingURLs(t, svc); fmt.Sprint(got) != "[https://two.example/]" {
			t.Errorf("reviewed trends = %v; want only the allowed link", got)
		}
	})
}

func trendingURLs(t *testing.T, svc *social.Service) []string {
	t.Helper()
	links, err := svc.TrendingLinks(context.Background(), 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range links {
		out = append(out, l.URL)
	}
	return out
}
