package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestCachedReadsSeeChangesAtOnce: the reads every inbound delivery makes are cached,
// and a change made through the same Store is seen by the very next read.
func TestCachedReadsSeeChangesAtOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tx := func(fn func(q store.Q) error) {
			t.Helper()
			if err := s.Tx(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("domain policy", func(t *testing.T) {
			if p, err := s.DomainPolicyFor(ctx, "sub.far.example"); err != nil || p.Severity != "" {
				t.Fatalf("before a block: %+v, %v; want no policy", p, err)
			}
			tx(func(q store.Q) error {
				return q.ServerInsertDomainBlock(ctx, &model.DomainBlock{Domain: "far.example", Severity: "suspend"})
			})
			if p, _ := s.DomainPolicyFor(ctx, "sub.far.example"); !p.Suspended() {
				t.Errorf("after blocking far.example: %+v; want suspended", p)
			}
			tx(func(q store.Q) error { return q.SetDomainRejectMedia(ctx, "far.example", true) })
			if p, _ := s.DomainPolicyFor(ctx, "sub.far.example"); !p.RejectMedia {
				t.Errorf("after rejecting media: %+v; want reject_media", p)
			}
			tx(func(q store.Q) error { return q.ServerDeleteDomainBlock(ctx, "far.example") })
			if p, _ := s.DomainPolicyFor(ctx, "sub.far.example"); p.Severity != "" {
				t.Errorf("after lifting the block: %+v; want no policy", p)
			}
		})
		t.Run("delivery host down", func(t *testing.T) {
			const host = "down.example"
			tx(func(q store.Q) error { return q.EnsureDeliveryHosts(ctx, []string{host}) })
			if down, err := s.DeliveryHostDown(ctx, host); err != nil || down {
				t.Fatalf("new host: down = %v, %v; want up", down, err)
			}
			tx(func(q store.Q) error {
				h, err := q.DeliveryHostForUpdate(ctx, host)
				if err != nil {
					return err
				}
				h.Unavailable, h.Breaker, h.RetryAt = true, store.BreakerOpen, time.Now().Add(time.Hour)
				return q.SaveDeliveryHost(ctx, h)
			})
			if down, _ := s.DeliveryHostDown(ctx, host); !down {
				t.Error("a host marked unavailable still reads as up")
			}
		})
		t.Run("signer", func(t *testing.T) {
			a := &model.Account{Username: "signer", Domain: "remote.example", URI: "https://remote.example/users/signer"}
			tx(func(q store.Q) error { return q.InsertAccount(ctx, a) })
			if sg, err := s.SignerByURI(ctx, a.URI); err != nil || sg.AccountID != a.ID || sg.Suspended {
				t.Fatalf("SignerByURI = %+v, %v; want account %d, not suspended", sg, err, a.ID)
			}
			now := time.Now()
			tx(func(q store.Q) error { return q.SetAccountSuspended(ctx, a.ID, &now) })
			if sg, _ := s.SignerByURI(ctx, a.URI); !sg.Suspended {
				t.Error("a suspended signer still reads as active")
			}
		})
	})
}

// TestCounterBumpsInOneTransaction: statuses stored with their counts gathered get the
// same counters as statuses stored one by one, direct messages and private replies
// included.
func TestCounterBumpsInOneTransaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		alice, bob := mustAccount(t, s, "alice", ""), mustAccount(t, s, "bob", "")
		root := mustStatus(t, s, store.NewStatus{Status: &model.Status{URI: "root", AccountID: alice.ID, Visibility: model.Public}})
		err := s.Tx(ctx, func(q store.Q) error {
			var bumps store.CounterBumps
			for i, st := range []*model.Status{
				{AccountID: bob.ID, Visibility: model.Public, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Unlisted, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Private, InReplyToID: &root.ID, InReplyToAccountID: &alice.ID},
				{AccountID: bob.ID, Visibility: model.Direct},
				{AccountID: bob.ID, Visibility: model.Public, ReblogOfID: &root.ID},
				{AccountID: alice.ID, Visibility: model.Public},
			} {
				st.URI = "s" + string(rune('a'+i))
				if err := q.InsertStatus(ctx, store.NewStatus{Status: st, Counts: &bumps}); err != nil {
					return err
				}
			}
			return q.ApplyCounterBumps(ctx, &bumps)
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
		if a.StatusesCount != 2 || b.StatusesCount != 4 {
			t.Errorf("statuses_count alice=%d bob=%d; want 2 and 4 (the direct message uncounted)", a.StatusesCount, b.StatusesCount)
		}
	})
}
