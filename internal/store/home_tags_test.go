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

// TestHomeTimelineFollowedTags pages through a home timeline mixing a followed account's
// statuses with followed-tag statuses a year apart, so the merge widens its window.
func TestHomeTimelineFollowedTags(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		viewer, friend, stranger := mustAccount(t, s, "viewer", ""), mustAccount(t, s, "friend", ""), mustAccount(t, s, "stranger", "")
		var tagID int64
		err := s.Tx(ctx, func(q store.Q) error {
			tag, err := q.EnsureTag(ctx, "cats")
			if err != nil {
				return err
			}
			tagID = tag.ID
			if err := q.FollowTag(ctx, viewer.ID, tag.ID); err != nil {
				return err
			}
			return q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: viewer.ID, TargetAccountID: friend.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		post := func(author int64, age time.Duration, vis model.Visibility, tags ...string) int64 {
			n++
			return mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: fmt.Sprintf("h%d", n), AccountID: author,
				Visibility: vis, Local: true, CreatedAt: time.Now().Add(-age).UTC()}, Tags: tags}).ID
		}
		day := 24 * time.Hour
		// Oldest first: backdated ids stay increasing only in the order they are made.
		old := post(stranger.ID, 300*day, model.Public, "cats")
		friendOld := post(friend.ID, 2*day, model.Public)
		both := post(friend.ID, time.Hour, model.Public, "cats") // reaches home two ways: listed once
		post(stranger.ID, 3*time.Minute, model.Public, "dogs")
		post(stranger.ID, 2*time.Minute, model.Unlisted, "cats")
		fresh := post(stranger.ID, time.Minute, model.Public, "cats")
		want := []int64{fresh, both, friendOld, old}

		var got []int64
		for p := (store.Page{Limit: 2}); ; {
			page, err := s.HomeTimeline(ctx, viewer.ID, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, st := range page {
				got = append(got, st.ID)
			}
			p.MaxID = page[len(page)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("home = %v; want %v", got, want)
		}
		oldest, err := s.HomeTimeline(ctx, viewer.ID, store.Page{MinID: 1, Limit: 1})
		if err != nil || len(oldest) != 1 || oldest[0].ID != want[3] {
			t.Errorf("min_id page = %v, %v; want the year-old tagged status", oldest, err)
		}
		if err := s.Writer().UnfollowTag(ctx, viewer.ID, tagID); err != nil {
			t.Fatal(err)
		}
		after, err := s.HomeTimeline(ctx, viewer.ID, store.Page{Limit: 10})
		if err != nil || len(after) != 2 {
			t.Errorf("home after unfollowing the tag = %d statuses, %v; want the friend's 2", len(after), err)
		}
	})
}
