package store_test

import (
	"context"

	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// screenCase is one account standing in some relation to the viewer, set up by setup.
type screenCase struct {
	name   string
	domain string
	setup  func(q store.Q, viewer, author int64) error
	want   model.Screen
}

func screenCases(ctx context.Context) []screenCase {
	hour := time.Hour
	mute := func(hide bool, expires *time.Duration) func(q store.Q, v, a int64) error {
		return func(q store.Q, v, a int64) error {
			m := &model.Mute{AccountID: v, TargetAccountID: a, HideNotifications: hide}
			if expires != nil {
				m.ExpiresAt = new(time.Now().Add(*expires))
			}
			return q.UpsertMute(ctx, m)
		}
	}
	domainBlock := func(follow bool) func(q store.Q, v, a int64) error {
		return func(q store.Q, v, a int64) error {
			if follow {
				if err := q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: v, TargetAccountID: a}); err != nil {
					return err
				}
			}
			return q.InsertDomainBlock(ctx, v, "blocked.example")
		}
	}
	return []screenCase{
		{name: "plain", setup: func(store.Q, int64, int64) error { return nil }},
		{name: "blocked", setup: func(q store.Q, v, a int64) error { return q.InsertRelation(ctx, store.Blocks, v, a) },
			want: model.Screen{Blocking: true}},
		{name: "blocker", setup: func(q store.Q, v, a int64) error { return q.InsertRelation(ctx, store.Blocks, a, v) },
			want: model.Screen{BlockedBy: true}},
		{name: "muted", setup: mute(true, nil), want: model.Screen{Muting: true, MutingNotifications: true}},
		{name: "mutedquietly", setup: mute(false, nil), want: model.Screen{Muting: true}},
		{name: "mutedforanhour", setup: mute(true, &hour), want: model.Screen{Muting: true, MutingNotifications: true}},
		{name: "muteexpired", setup: mute(true, new(-time.Minute))},
		{name: "ondomain", domain: "blocked.example", setup: domainBlock(false), want: model.Screen{DomainBlocking: true}},
		{name: "followedondomain", domain: "blocked.example", setup: domainBlock(true)},
	}
}

// TestScreenSQLAgreesWithScreen checks the SQL screens (timelines, boosts, notifications)
// against model.Screen and the Go loader store.Screens, for every kind of relation.
func TestScreenSQLAgreesWithScreen(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		viewer := mustAccount(t, s, "viewer", "")
		booster := mustAccount(t, s, "booster", "")
		follow(t, s, viewer.ID, booster.ID)
		originals, boosts, authors := map[string]int64{}, map[string]int64{}, map[string]int64{}
		cases := screenCases(ctx)
		for _, c := range cases {
			a := mustAccount(t, s, c.name, c.domain)
			authors[c.name] = a.ID
			if err := s.Tx(ctx, func(q store.Q) error { return c.setup(q, viewer.ID, a.ID) }); err != nil {
				t.Fatalf("set up %s: %v", c.name, err)
			}
			st := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "o-" + c.name, AccountID: a.ID, Visibility: model.Public, Local: true}})
			boost := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "b-" + c.name, AccountID: booster.ID,
				ReblogOfID: &st.ID, Visibility: model.Public, Local: true}})
			originals[c.name], boosts[c.name] = st.ID, boost.ID
			mustNotify(t, s, viewer.ID, a.ID)
		}
		public := statusIDs(t)(s.PublicTimeline(ctx, store.Scope{Viewer: viewer.ID}, store.Page{Limit: 100}))
		home := statusIDs(t)(s.HomeTimeline(ctx, viewer.ID, store.Page{Limit: 100}))
		notified := senders(t)(s.Notifications(ctx, viewer.ID, store.NotificationFilter{}, store.Page{Limit: 100}))
		screens, err := s.Screens(ctx, viewer.ID, slices.Collect(mapValues(authors)), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			if diff := cmp.Diff(c.want, screens[authors[c.name]]); diff != "" {
				t.Errorf("Screens(%s) differs (-want +got):\n%s", c.name, diff)
			}
			shown := !c.want.HidesStatuses()
			check(t, c.name+" original in public timeline", public[originals[c.name]], shown)
			check(t, c.name+" boost in home timeline", home[boosts[c.name]], shown)
			check(t, c.name+" notification", notified[authors[c.name]], !c.want.HidesNotifications())
			screened, err := s.NotificationScreened(ctx, viewer.ID, authors[c.name])
			if err != nil {
				t.Fatal(err)
			}
			check(t, c.name+" new notification", !screened, !c.want.HidesNotifications())
		}
	})
}

func check(t *testing.T, what string, got, want bool) {
	t.Helper()
	if got != want {
		t.Errorf("%s: SQL shows it = %v; model.Screen says %v", what, got, want)
	}
}

func follow(t *testing.T, s *store.Store, from, to int64) {
	t.Helper()
	if err := s.Tx(context.Background(), func(q store.Q) error {
		return q.InsertFollow(context.Background(), store.Follows, &model.Follow{AccountID: from, TargetAccountID: to, ShowReblogs: true})
	}); err != nil {
		t.Fatal(err)
	}
}

func mustNotify(t *testing.T, s *store.Store, to, from int64) {
	t.Helper()
	if err := s.Tx(context.Background(), func(q store.Q) error {
		return q.InsertNotification(context.Background(), &model.Notification{AccountID: to, FromAccountID: from, Type: model.NotifyFollow})
	}); err != nil {
		t.Fatal(err)
	}
}

func statusIDs(t *testing.T) func([]*model.Status, error) map[int64]bool {
	return func(list []*model.Status, err error) map[int64]bool {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, st := range list {
			out[st.ID] = true
		}
		return out
	}
}

func senders(t *testing.T) func([]*model.Notification, error) map[int64]bool {
	return func(list []*model.Notification, err error) map[int64]bool {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]bool{}
		for _, n := range list {
			out[n.FromAccountID] = true
		}
		return out
	}
}

func mapValues(m map[string]int64) func(yield func(int64) bool) {
	return func(yield func(int64) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}
