package oauth

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// useInterval is how often a token's use is written down: often enough for the weekly
// sign-in counts, rarely enough that reading the API does not become a stream of writes.
const useInterval = time.Hour

// recordLogin counts a sign-in for the instance's weekly activity; app tokens have no user.
func recordLogin(ctx context.Context, q store.Q, userID *int64, at time.Time) error {
	if userID == nil {
		return nil
	}
	return q.RecordLogin(ctx, *userID, model.WeekOf(at))
}

// noteUse records that a user's token was used, at most once an hour per token (and
// whenever a new week starts). A failure is logged, never shown to the caller.
func (s *Service) noteUse(ctx context.Context, a *Auth) {
	now := time.Now().UTC()
	last := a.Token.LastUsedAt
	if a.User == nil || a.refusal != nil || (last != nil && now.Sub(*last) < useInterval && model.WeekOf(*last).Equal(model.WeekOf(now))) {
		return
	}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.TouchToken(ctx, a.Token.ID, now); err != nil {
			return err
		}
		return recordLogin(ctx, q, &a.User.ID, now)
	})
	if err != nil {
		s.log().Warn("oauth: note token use", "err", err)
	}
}
