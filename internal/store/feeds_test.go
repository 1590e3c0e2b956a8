package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestHomeBeyondTheFeedCap pages past a full feed into the read-time merge and checks
// it picks statuses by the same rules fan-out applies.
func TestHomeBeyondTheFeedCap(t *testing.T) {
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
		post := func(uri string, author int64, change func(*model.Status)) *model.Status {
			st := &model.Status{URI: uri, AccountID: author, Visibility: model.Public, Local: true}
			if change != nil {
				change(st)
			}
			return mustStatus(t, s, store.NewStatus{Status: st})
		}
		keepNormal := post("old-normal", b.ID, nil)
		dropReply := post("old-reply-stranger", b.ID, func(st *model.Status) { st.InReplyToID, st.InReplyToAccountID = &keepNormal.ID, &stranger.ID })
		keepReply := post("old-reply-a", b.ID, func(st *model.Status) { st.InReplyToID, st.InReplyToAccountID = &keepNormal.ID, &a.ID })
		dropBoost := post("old-boost", a.ID, func(st *model.Status) { st.ReblogOfID = &keepNormal.ID })
		dropStranger := post("old-stranger", stranger.ID, nil)
		err = s.Tx(ctx, func(q store.Q) error {
			for i := 0; i < store.HomeFeedCap; i++ {
				st := &model.Status{URI: fmt.Sprintf("new-%d", i), AccountID: b.ID, Visibility: model.Public, Local: true}
				if err := q.InsertStatus(ctx, store.NewStatus{Status: st}); err != nil {
					return err
				}
				if err := q.AddToHomeFeeds(ctx, st.ID, []int64{viewer.ID}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var seen []int64
		page := store.Page{Limit: 40}
		for i := 0; i < 30; i++ {
			list, err := s.HomeTimeline(ctx, viewer.ID, page)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) == 0 {
				break
			}
			for _, st := range list {
				seen = append(seen, st.ID)
			}
			page.MaxID = list[len(list)-1].ID
		}
		if len(seen) != store.HomeFeedCap+2 {
			t.Errorf("home held %d statuses; want %d (the feed and two older ones)", len(seen), store.HomeFeedCap+2)
		}
		for name, st := range map[string]*model.Status{"normal post": keepNormal, "reply to a followed account": keepReply} {
			if !slices.Contains(seen, st.ID) {
				t.Errorf("%s missing beyond the feed", name)
			}
		}
		for name, st := range map[string]*model.Status{"reply to a stranger": dropReply, "hidden boost": dropBoost, "stranger's post": dropStranger} {
			if slices.Contains(seen, st.ID) {
				t.Errorf("%s shown beyond the feed", name)
			}
		}
	})
}
