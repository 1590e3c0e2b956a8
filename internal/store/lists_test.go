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

// TestListTimelineSpansAYear pages a list timeline, both ways, over members' statuses
// spread across a year, so the read-time merge must widen its window several times.
func TestListTimelineSpansAYear(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		owner, member, outsider := mustAccount(t, s, "owner", ""), mustAccount(t, s, "member", ""), mustAccount(t, s, "outsider", "")
		l := &model.List{AccountID: owner.ID, Title: "L", RepliesPolicy: model.RepliesList}
		err := s.Tx(ctx, func(q store.Q) error {
			for _, target := range []int64{member.ID, outsider.ID} {
				if err := q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: owner.ID, TargetAccountID: target, ShowReblogs: true}); err != nil {
					return err
				}
			}
			f, err := q.FollowBetween(ctx, store.Follows, owner.ID, member.ID)
			if err != nil {
				return err
			}
			if err := q.InsertList(ctx, l); err != nil {
				return err
			}
			return q.InsertListAccount(ctx, l.ID, member.ID, &f.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for i, age := range []time.Duration{365 * 24 * time.Hour, 90 * 24 * time.Hour, 7 * 24 * time.Hour, 5 * time.Hour, 3 * time.Minute, time.Minute} {
			st := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: fmt.Sprintf("m%d", i), AccountID: member.ID,
				Visibility: model.Public, Local: true, CreatedAt: time.Now().Add(-age).UTC()}})
			mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: fmt.Sprintf("o%d", i), AccountID: outsider.ID,
				Visibility: model.Public, Local: true, CreatedAt: time.Now().Add(-age).UTC()}})
			want = append([]int64{st.ID}, want...)
		}
		var down []int64
		for p := (store.Page{Limit: 4}); ; {
			page, err := s.ListTimeline(ctx, l, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range page {
				down = append(down, st.ID)
			}
			if len(page) < p.Limit {
				break
			}
			p.MaxID = page[len(page)-1].ID
		}
		if !slices.Equal(down, want) {
			t.Errorf("paging down = %v; want %v", down, want)
		}
		up, err := s.ListTimeline(ctx, l, store.Page{MinID: want[len(want)-1], Limit: 2})
		if err != nil || !slices.Equal(listStatusIDs(up), []int64{want[len(want)-3], want[len(want)-2]}) {
			t.Errorf("min_id above the oldest = %v, %v; want the next two, newest first", listStatusIDs(up), err)
		}
	})
}

func listStatusIDs(list []*model.Status) []int64 {
	out := make([]int64, len(list))
	for i, st := range list {
		out[i] = st.ID
	}
	return out
}
