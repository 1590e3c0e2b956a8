package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestPreviewCardsShareByURL(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		w := s.Writer()
		a := mustAccount(t, s, "ann", "")
		st1 := mustStatus(t, s, store.NewStatus{Status: &model.Status{AccountID: a.ID, URI: "u1", Visibility: model.Public}})
		st2 := mustStatus(t, s, store.NewStatus{Status: &model.Status{AccountID: a.ID, URI: "u2", Visibility: model.Public}})
		published := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		first := &model.PreviewCard{URL: "https://x.example/", Title: "One", Type: model.CardLink, Width: 10,
			PublishedAt: &published, FetchedAt: time.Now().UTC().Truncate(time.Second)}
		if err := w.SaveCard(ctx, first); err != nil {
			t.Fatal(err)
		}
		again := &model.PreviewCard{URL: "https://x.example/", Title: "Two", Type: model.CardLink, FetchedAt: time.Now().UTC()}
		if err := w.SaveCard(ctx, again); err != nil || again.ID != first.ID {
			t.Fatalf("second SaveCard = id %d, %v; want the first card's id %d", again.ID, err, first.ID)
		}
		other := &model.PreviewCard{URL: "https://y.example/", Title: "Y", Type: model.CardLink, FetchedAt: time.Now().UTC()}
		if err := w.SaveCard(ctx, other); err != nil {
			t.Fatal(err)
		}
		for _, link := range [][2]int64{{st1.ID, first.ID}, {st2.ID, other.ID}, {st2.ID, first.ID}} {
			if err := w.AttachCard(ctx, link[0], link[1]); err != nil {
				t.Fatal(err)
			}
		}
		cards, err := s.CardsOf(ctx, []int64{st1.ID, st2.ID, 12345})
		if err != nil || len(cards) != 2 || cards[st1.ID].Title != "Two" || cards[st2.ID].ID != first.ID || cards[st1.ID].PublishedAt != nil {
			t.Errorf("CardsOf = %v, %v; want both statuses on the updated first card", cards, err)
		}
		if _, err := s.CardByURL(ctx, "https://nowhere.example/"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CardByURL(unknown) = %v; want ErrNotFound", err)
		}
		if err := s.Tx(ctx, func(q store.Q) error { return q.DeleteStatus(ctx, st1) }); err != nil {
			t.Fatal(err)
		}
		if c, err := s.CardByURL(ctx, "https://x.example/"); err != nil || c.ID != first.ID {
			t.Errorf("after deleting one status the shared card = %v, %v; want it kept", c, err)
		}
	})
}
