package store_test

import (
	"context"
	"testing"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestCounterBumpsInOneTransaction: statuses and follows stored in one transaction,
// whose counters are written as it commits, get the counters they get one by one:
// direct messages and private replies uncounted, a follow undone within it netting out.
func TestCounterBumpsInOneTransaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob, carol := mustAccount(t, s, "alice", ""), mustAccount(t, s, "bob", ""), mustAccount(t, s, "carol", "")
		root := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "root", AccountID: alice.ID, Visibility: model.Public}})
		err := s.Tx(ctx, func(q store.Q) error {
			for i, st := range []*model.Status{
				{AccountID: bob.ID, Visibility: model.Public, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Unlisted, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Private, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Direct},
				{AccountID: bob.ID, Visibility: model.Public, ReblogOfID: &root.ID},
				{AccountID: alice.ID, Visibility: model.Public},
			} {
				st.URI = "s" + string(rune('a'+i))
				if err := q.InsertStatus(ctx, store.NewStatus{Status: st}); err != nil {
					return err
				}
			}
			for _, f := range []*model.Follow{{AccountID: bob.ID, TargetAccountID: alice.ID}, {AccountID: carol.ID, TargetAccountID: alice.ID},
				{AccountID: carol.ID, TargetAccountID: bob.ID}} {
				if err := q.InsertFollow(ctx, store.Follows, f); err != nil {
					return err
				}
			}
			return q.DeleteFollow(ctx, store.Follows, carol.ID, bob.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.StatusByID(ctx, root.ID)
		if got.RepliesCount != 2 || got.ReblogsCount != 1 {
			t.Errorf("root: %d replies, %d boosts; want 2 (public and unlisted) and 1", got.RepliesCount, got.ReblogsCount)
		}
		a, _ := s.AccountByID(ctx, alice.ID)
		b, _ := s.AccountByID(ctx, bob.ID)
		c, _ := s.AccountByID(ctx, carol.ID)
		if a.StatusesCount != 2 || b.StatusesCount != 4 {
			t.Errorf("statuses_count alice=%d bob=%d; want 2 and 4 (the direct message uncounted)", a.StatusesCount, b.StatusesCount)
		}
		if a.FollowersCount != 2 || b.FollowersCount != 0 || b.FollowingCount != 1 || c.FollowingCount != 1 {
			t.Errorf("alice followers %d, bob followers %d following %d, carol following %d; want 2, 0, 1, 1",
				a.FollowersCount, b.FollowersCount, b.FollowingCount, c.FollowingCount)
		}
	})
}
