package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestScreenedViewersAgreesWithTimelines checks the set-based screen that live streams use
// against the public and hashtag timelines' own per-viewer queries: for every kind of
// relation, and for every viewer and author pair, a viewer is screened from a status
// exactly when the timeline, asked for that viewer, leaves the status out.
func TestScreenedViewersAgreesWithTimelines(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cases := screenCases(ctx)
		var viewers []int64
		authors, statuses := map[int64]int64{}, map[int64]int64{} // by case's viewer
		for _, c := range cases {
			v := mustAccount(t, s, "v"+c.name, "")
			a := mustAccount(t, s, c.name, c.domain)
			if err := s.Tx(ctx, func(q store.Q) error { return c.setup(q, v.ID, a.ID) }); err != nil {
				t.Fatalf("set up %s: %v", c.name, err)
			}
			st := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "s-" + c.name, AccountID: a.ID,
				Visibility: model.Public, Local: c.domain == ""}, Tags: []string{"batch"}})
			viewers = append(viewers, v.ID)
			authors[v.ID], statuses[v.ID] = a.ID, st.ID
		}
		for i, c := range cases {
			author, status := authors[viewers[i]], statuses[viewers[i]]
			screened, err := s.ScreenedViewers(ctx, author, viewers, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if screened[viewers[i]] != c.want.HidesStatuses() {
				t.Errorf("%s: ScreenedViewers screens its own viewer = %v; model.Screen says %v", c.name, screened[viewers[i]], c.want.HidesStatuses())
			}
			for _, v := range viewers {
				inPublic, err := s.InPublic(ctx, store.Scope{Viewer: v}, status)
				if err != nil {
					t.Fatal(err)
				}
				inTag, err := s.InTag(ctx, store.TagFilter{Any: []string{"batch"}, Scope: store.Scope{Viewer: v}}, status)
				if err != nil {
					t.Fatal(err)
				}
				if screened[v] == inPublic || screened[v] == inTag {
					t.Errorf("%s's status, viewer %d: screened = %v, in public timeline = %v, in tag timeline = %v",
						c.name, v, screened[v], inPublic, inTag)
				}
			}
		}
	})
}

// TestScreenedViewersOfMany checks the screen among many viewers with no relation.
func TestScreenedViewersOfMany(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		author := mustAccount(t, s, "author", "")
		blocker := mustAccount(t, s, "blocker", "")
		if err := s.Tx(ctx, func(q store.Q) error { return q.InsertRelation(ctx, store.Blocks, blocker.ID, author.ID) }); err != nil {
			t.Fatal(err)
		}
		viewers := make([]int64, 0, 12001)
		for i := range 12000 {
			viewers = append(viewers, int64(1_000_000+i)) // ids of no account: never screened
		}
		viewers = append(viewers, blocker.ID)
		screened, err := s.ScreenedViewers(ctx, author.ID, viewers, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(screened) != 1 || !screened[blocker.ID] {
			t.Errorf("ScreenedViewers = %v; want only the blocker %d", screened, blocker.ID)
		}
	})
}

// TestActiveFiltersOf checks that the batch load returns each owner's unexpired filters.
func TestActiveFiltersOf(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := mustAccount(t, s, "a", "")
		b := mustAccount(t, s, "b", "")
		past := time.Now().Add(-time.Hour)
		err := s.Tx(ctx, func(q store.Q) error {
			for _, f := range []*model.Filter{
				{AccountID: a.ID, Title: "live", Context: []model.FilterContext{model.FilterPublic}, Action: model.FilterWarn},
				{AccountID: b.ID, Title: "expired", Context: []model.FilterContext{model.FilterPublic}, Action: model.FilterHide, ExpiresAt: &past},
			} {
				if err := q.InsertFilter(ctx, f); err != nil {
					return err
				}
				if err := q.InsertFilterKeyword(ctx, &model.FilterKeyword{FilterID: f.ID, Keyword: "word"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		owners := []int64{b.ID}
		for i := range 6000 {
			owners = append(owners, int64(1_000_000+i)) // beyond one batch, a's filters come in the second
		}
		got, err := s.ActiveFiltersOf(ctx, append(owners, a.ID), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(got[a.ID]) != 1 || got[a.ID][0].Title != "live" || len(got[a.ID][0].Keywords) != 1 || len(got[b.ID]) != 0 {
			t.Errorf("ActiveFiltersOf = %v; want a's live filter with its keyword and nothing for b", got)
		}
	})
}
