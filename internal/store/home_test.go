package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestHomeTimelineRules pages through a home timeline whose statuses span a year (so the
// merge must widen its window several times) and checks it follows Mastodon's home rules.
func TestHomeTimelineRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		viewer, a, b, stranger := mustAccount(t, s, "viewer", ""), mustAccount(t, s, "a", ""), mustAccount(t, s, "b", ""), mustAccount(t, s, "stranger", "")
		err := s.Tx(ctx, func(q store.Q) error {
			if err := q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: viewer.ID, TargetAccountID: a.ID, ShowReblogs: false}); err != nil {
				return err
			}
			return q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: viewer.ID, TargetAccountID: b.ID, ShowReblogs: true})
		})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		post := func(author int64, age time.Duration, change func(*model.Status), mentions ...int64) *model.Status {
			n++
			st := &model.Status{URI: fmt.Sprintf("s%d", n), AccountID: author, Visibility: model.Public, Local: true,
				CreatedAt: time.Now().Add(-age).UTC()}
			if change != nil {
				change(st)
			}
			return mustStatus(t, s, store.NewStatus{Status: st, MentionIDs: mentions})
		}
		day := 24 * time.Hour
		keep := map[string]*model.Status{}
		drop := map[string]*model.Status{}
		keep["a year-old post"] = post(b.ID, 365*day, nil)
		keep["a reply to a followed account"] = post(b.ID, 40*day, func(st *model.Status) { st.InReplyToID, st.InReplyToAccountID = &keep["a year-old post"].ID, &a.ID })
		drop["a reply to a stranger"] = post(b.ID, 30*day, func(st *model.Status) {
			st.InReplyToID, st.InReplyToAccountID = &keep["a year-old post"].ID, &stranger.ID
		})
		keep["the viewer's own reply to a stranger"] = post(viewer.ID, 20*day, func(st *model.Status) { st.InReplyToAccountID = &stranger.ID })
		drop["a boost the follow hides"] = post(a.ID, 10*day, func(st *model.Status) { st.ReblogOfID = &keep["a year-old post"].ID })
		keep["a boost the follow shows"] = post(b.ID, 9*day, func(st *model.Status) { st.ReblogOfID = &keep["a year-old post"].ID })
		drop["a stranger's post"] = post(stranger.ID, 5*day, nil)
		keep["a private post"] = post(a.ID, 3*day, func(st *model.Status) { st.Visibility = model.Private })
		keep["a direct message to the viewer"] = post(a.ID, 2*day, func(st *model.Status) { st.Visibility = model.Direct }, viewer.ID)
		drop["a direct message to someone else"] = post(a.ID, day, func(st *model.Status) { st.Visibility = model.Direct }, stranger.ID)
		for i := 0; i < 12; i++ {
			keep[fmt.Sprintf("recent post %d", i)] = post(b.ID, time.Duration(i)*time.Minute, nil)
		}
		seen := pageThrough(t, s, viewer.ID, store.Page{Limit: 5})
		for name, st := range keep {
			if !slices.Contains(seen, st.ID) {
				t.Errorf("%s missing from home", name)
			}
		}
		for name, st := range drop {
			if slices.Contains(seen, st.ID) {
				t.Errorf("%s shown in home", name)
			}
		}
		if len(seen) != len(keep) || !slices.IsSortedFunc(seen, func(x, y int64) int { return int(y - x) }) {
			t.Errorf("home held %d statuses (%v); want the %d kept ones, newest first", len(seen), seen, len(keep))
		}
		newer := pageUp(t, s, viewer.ID, keep["a year-old post"].ID)
		if len(newer) != len(keep)-1 {
			t.Errorf("paging up with min_id from the oldest found %d statuses; want %d", len(newer), len(keep)-1)
		}
	})
}

// pageThrough follows max_id from the newest page to the end.
func pageThrough(t *testing.T, s *store.Store, viewer int64, p store.Page) []int64 {
	t.Helper()
	var seen []int64
	for i := 0; i < 50; i++ {
		list, err := s.HomeTimeline(context.Background(), viewer, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range list {
			seen = append(seen, st.ID)
		}
		if len(list) < p.Limit {
			return seen
		}
		p.MaxID = list[len(list)-1].ID
	}
	t.Fatal("home timeline did not end")
	return nil
}

// pageUp follows min_id from a status to the newest, as clients catch up.
func pageUp(t *testing.T, s *store.Store, viewer, from int64) []int64 {
	t.Helper()
	var seen []int64
	p := store.Page{MinID: from, Limit: 4}
	for i := 0; i < 50; i++ {
		list, err := s.HomeTimeline(context.Background(), viewer, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			return seen
		}
		for _, st := range list {
			seen = append(seen, st.ID)
		}
		p.MinID = list[0].ID // pages come newest first; the next starts above the newest
	}
	t.Fatal("paging up did not end")
	return nil
}
