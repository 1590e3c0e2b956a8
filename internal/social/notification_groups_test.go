package social_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestGroupKeySpan checks Mastodon's grouping window: a favourite joins the group of
// the status's recent favourites unless that group began twelve hours ago or more.
func TestGroupKeySpan(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(t, s)
		alice, bob, carol := account(t, s, "alice"), account(t, s, "bob"), account(t, s, "carol")
		now := time.Now()
		hour := now.Unix() / 3600
		cases := []struct {
			name       string
			priorAge   time.Duration // how long ago carol's favourite came
			priorHour  int64         // the first hour of its group
			wantJoined bool
		}{
			{"recent group", time.Hour, hour - 11, true},
			{"group began twelve hours ago", time.Hour, hour - 12, false},
			{"last favourite too old", 13 * time.Hour, hour - 13, false},
		}
		for _, c := range cases {
			st, err := svc.Post(ctx, alice, nil, social.PostParams{Text: c.name})
			if err != nil {
				t.Fatal(err)
			}
			prior := &model.Notification{ID: s.IDs().At(now.Add(-c.priorAge)), AccountID: alice.ID, FromAccountID: carol.ID,
				Type: model.NotifyFavourite, StatusID: &st.ID, GroupKey: fmt.Sprintf("favourite-%d-%d", st.ID, c.priorHour)}
			if err := s.Writer().InsertNotification(ctx, prior); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.Favourite(ctx, bob, st.ID); err != nil {
				t.Fatal(err)
			}
			list, err := s.Notifications(ctx, alice.ID, store.NotificationFilter{FromAccountID: bob.ID}, store.Page{Limit: 1})
			if err != nil || len(list) != 1 {
				t.Fatalf("%s: bob's favourite: %v, %v", c.name, list, err)
			}
			want := fmt.Sprintf("favourite-%d-%d", st.ID, hour)
			if c.wantJoined {
				want = prior.GroupKey
			}
			if list[0].GroupKey != want {
				t.Errorf("%s: group key = %s; want %s", c.name, list[0].GroupKey, want)
			}
			if _, err := svc.Unfavourite(ctx, bob, st.ID); err != nil {
				t.Fatal(err)
			}
		}
	})
}
