package store_test

import (
	"context"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestVisibilitySQLAgreesWithCanSee checks the SQL predicate used by list queries
// against model.Visible for every visibility and every kind of viewer.
func TestVisibilitySQLAgreesWithCanSee(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		author := mustAccount(t, s, "author", "")
		follower := mustAccount(t, s, "follower", "")
		mentioned := mustAccount(t, s, "mentioned", "")
		stranger := mustAccount(t, s, "stranger", "")
		blocked := mustAccount(t, s, "blocked", "") // mentioned, but blocked by the author
		if err := s.Tx(ctx, func(q store.Q) error {
			if err := q.InsertRelation(ctx, store.Blocks, author.ID, blocked.ID); err != nil {
				return err
			}
			return q.InsertFollow(ctx, store.Follows, &model.Follow{AccountID: follower.ID, TargetAccountID: author.ID})
		}); err != nil {
			t.Fatal(err)
		}
		viewers := map[string]*model.Account{"anonymous": nil, "author": author, "follower": follower, "mentioned": mentioned,
			"stranger": stranger, "blocked": blocked}
		for _, vis := range []model.Visibility{model.Public, model.Unlisted, model.Private, model.Direct} {
			st := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "v-" + string(vis), AccountID: author.ID,
				Visibility: vis, Local: true}, MentionIDs: []int64{mentioned.ID, blocked.ID}})
			for name, v := range viewers {
				var viewer int64
				if v != nil {
					viewer = v.ID
				}
				want := model.Visible(viewer, st, model.Audience{Follows: v == follower, Mentioned: v == mentioned || v == blocked,
					BlockedByAuthor: v == blocked})
				list, err := s.AccountStatuses(ctx, viewer, author.ID, store.AccountStatusFilter{}, store.Page{Limit: 40})
				if err != nil {
					t.Fatal(err)
				}
				got := false
				for _, x := range list {
					got = got || x.ID == st.ID
				}
				if got != want {
					t.Errorf("%s status seen by %s: SQL says %v, Visible says %v", vis, name, got, want)
				}
			}
		}
		checkBoostOfBlocker(t, s, author, blocked, stranger)
	})
}

// checkBoostOfBlocker: a boost shows its original, so a boost of a blocker's status is
// as invisible to the blocked viewer as the status itself (VisibleStatus checks both).
func checkBoostOfBlocker(t *testing.T, s *store.Store, author, blocked, booster *model.Account) {
	t.Helper()
	ctx := context.Background()
	orig := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "boosted", AccountID: author.ID, Visibility: model.Public, Local: true}})
	boost := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "boost", AccountID: booster.ID, ReblogOfID: &orig.ID,
		Visibility: model.Public, Local: true}})
	for _, v := range []*model.Account{blocked, author} {
		want := model.Visible(v.ID, boost, model.Audience{}) && model.Visible(v.ID, orig, model.Audience{BlockedByAuthor: v == blocked})
		list, err := s.AccountStatuses(ctx, v.ID, booster.ID, store.AccountStatusFilter{}, store.Page{Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(list) == 1 && list[0].ID == boost.ID; got != want {
			t.Errorf("boost of the author's status seen by %s: SQL says %v, Visible says %v", v.Username, got, want)
		}
	}
}
