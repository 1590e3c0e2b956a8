package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestPruneTokensDeletesOnlyExpiredOnes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := newService(s)
		_, u, err := svc.Create(ctx, CreateParams{Username: "alice", Email: "alice@example.org", Password: "long enough password", Confirmed: true, Approved: true})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		for hash, expires := range map[string]time.Time{"old": now.Add(-time.Hour), "live": now.Add(time.Hour)} {
			tok := &store.UserToken{UserID: u.ID, Kind: "password_reset", Hash: hash, Email: u.Email, ExpiresAt: expires}
			if err := s.Writer().InsertUserToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		w := &pruneTokensWorker{s: svc}
		if err := w.Work(ctx, &river.Job[PruneTokensArgs]{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LiveUserToken(ctx, "password_reset", "live", now); err != nil {
			t.Errorf("live token deleted: %v", err)
		}
		n, err := s.Writer().DeleteStaleUserTokens(ctx, now)
		if err != nil || n != 0 {
			t.Errorf("after the job, %d expired tokens remained (%v); want 0", n, err)
		}
	})
}
