package social

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// activeSuggestionWindow is how recently an account must have posted to be suggested as
// one of the instance's most followed.
const activeSuggestionWindow = 30 * 24 * time.Hour

// Suggestions proposes accounts for viewer to follow: first those followed by accounts
// viewer follows (most shared first), then the most followed local accounts that posted
// lately. Accounts viewer follows, requested, or dismissed are left out.
func (s *Service) Suggestions(ctx context.Context, viewer *model.Account, limit int) ([]model.Suggestion, error) {
	fof, err := s.Store.FriendsOfFriends(ctx, viewer.ID, limit)
	if err != nil {
		return nil, err
	}
	popular, err := s.Store.MostFollowedActive(ctx, viewer.ID, time.Now().Add(-activeSuggestionWindow), limit)
	if err != nil {
		return nil, err
	}
	out := make([]model.Suggestion, 0, limit)
	index := map[int64]int{}
	add := func(accs []*model.Account, source string) {
		for _, a := range accs {
			if i, ok := index[a.ID]; ok {
				out[i].Sources = append(out[i].Sources, source)
				continue
			}
			if len(out) < limit {
				index[a.ID] = len(out)
				out = append(out, model.Suggestion{Account: a, Sources: []string{source}})
			}
		}
	}
	add(fof, model.SourceFriendsOfFriends)
	add(popular, model.SourceMostFollowed)
	return out, nil
}

// DismissSuggestion stops suggesting an existing account to viewer.
func (s *Service) DismissSuggestion(ctx context.Context, viewer *model.Account, accountID int64) error {
	if _, err := s.Store.AccountByID(ctx, accountID); err != nil {
		return orNotFound(err)
	}
	return s.Store.Writer().DismissSuggestion(ctx, viewer.ID, accountID)
}

// Directory lists the accounts that opted into the profile directory.
func (s *Service) Directory(ctx context.Context, order store.DirectoryOrder, localOnly bool, limit, offset int) ([]*model.Account, error) {
	return s.Store.Directory(ctx, order, localOnly, limit, offset)
}
