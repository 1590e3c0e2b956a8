package social

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

func TestExpireMutesDeletesOnlyExpiredOnes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var ids []int64
		for _, name := range []string{"viewer", "gone", "later", "forever"} {
			a := &model.Account{Username: name}
			if err := s.Writer().InsertAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		viewer := ids[0]
		expiries := map[int64]*time.Time{ids[1]: new(time.Now().Add(-time.Minute)), ids[2]: new(time.Now().Add(time.Hour)), ids[3]: nil}
		for target, exp := range expiries {
			if err := s.Writer().UpsertMute(ctx, &model.Mute{AccountID: viewer, TargetAccountID: target, ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
		}
		w := &expireMutesWorker{s: &Service{Store: s}}
		if err := w.Work(ctx, &river.Job[ExpireMutesArgs]{}); err != nil {
			t.Fatal(err)
		}
		// Read every row, expired or not, by asking as of long ago.
		left, err := s.MuteSet(ctx, viewer, ids[1:], time.Unix(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		if left[ids[1]] != nil || left[ids[2]] == nil || left[ids[3]] == nil {
			t.Errorf("mutes left after the job = %v; want the hour-long and the endless ones only", left)
		}
	})
}
