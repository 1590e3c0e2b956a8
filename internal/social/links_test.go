package social_test

import (
	"context"
	"fmt"
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
		st, err := svc.Post(ctx, ann, nil, social.PostParams{Text: "@bob #tusks http://example.test/@ann/1 https://other.example/x and https://second.example/"})
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

func TestRefreshLinkTrends(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		now := time.Now()
		accounts := []*model.Account{account(t, s, "a0"), account(t, s, "a1"), account(t, s, "a2")}
		var nextCard int64
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
				nextCard++
				st := &model.Status{ID: id.Lower(now.Add(-ago)) + nextCard, AccountID: accounts[who].ID, Visibility: vis,
					CreatedAt: now.Add(-ago), Text: card}
				st.URI = fmt.Sprintf("https://example.test/%s/%d/%s", card, who, ago)
				if err := q.InsertStatus(ctx, store.NewStatus{Status: st}); err != nil {
					return err
				}
				return q.AttachCard(ctx, st.ID, c.ID)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		day := 24 * time.Hour
		share("https://stale.example/", 0, 8*day, model.Public) // outside the week
		share("https://old.example/", 0, 6*day, model.Public)   // two accounts, six days ago: decayed
		share("https://old.example/", 1, 6*day, model.Public)
		share("https://same.example/", 2, 3*time.Hour, model.Public) // one account three times counts once
		share("https://same.example/", 2, 2*time.Hour, model.Public)
		share("https://two.example/", 0, 2*time.Hour, model.Public) // two accounts today
		share("https://two.example/", 1, 2*time.Hour, model.Public)
		share("https://hour.example/", 0, time.Hour, model.Public)
		share("https://quiet.example/", 0, time.Hour, model.Private) // not public
		share("https://quiet.example/", 1, time.Hour, model.Unlisted)
		share("https://same.example/", 2, time.Minute, model.Public)
		n, err := svc.RefreshLinkTrends(ctx, now)
		links, err2 := svc.TrendingLinks(ctx, 0, 10)
		if err != nil || err2 != nil || n != 4 || len(links) != 4 {
			for _, l := range links {
				t.Logf("trending %s", l.URL)
			}
			t.Fatalf("RefreshLinkTrends = %d, %v, %v; want 4", n, err, err2)
		}
		var got []string
		for _, l := range links {
			got = append(got, l.URL)
		}
		want := []string{"https://two.example/", "https://same.example/", "https://hour.example/", "https://old.example/"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("trending = %v; want %v", got, want)
		}
		if h := links[1].History; len(h) != 7 || h[0].Uses != 3 || h[0].Accounts != 1 {
			t.Errorf("same.example history = %+v; want 3 uses by 1 account today", h)
		}
		if h := links[3].History; h[6].Uses != 2 || h[6].Accounts != 2 || h[0].Uses != 0 {
			t.Errorf("old.example history = %+v; want 2 uses by 2 accounts six days ago", h)
		}
	})
}
