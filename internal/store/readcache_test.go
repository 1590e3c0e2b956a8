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
			storetest.MarkHostUnavailable(t, s, host)
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
