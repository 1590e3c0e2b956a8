package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
)

// statusExtras is what a status view shows of polls and conversation mutes.
type statusExtras struct {
	polls map[int64]*PollView // by status id
	muted map[int64]bool
}

func (s *Service) loadStatusExtras(ctx context.Context, viewer int64, ids []int64) (statusExtras, error) {
	var x statusExtras
	polls, err := s.Store.PollsByStatusIDs(ctx, ids)
	if err != nil {
		return x, err
	}
	if x.polls, err = s.pollViews(ctx, s.Store.Q, viewer, polls); err != nil {
		return x, err
	}
	x.muted, err = s.Store.MutedConversations(ctx, viewer, ids)
	return x, err
}

func (x statusExtras) apply(v *StatusView) {
	v.Poll = x.polls[v.ID]
	v.Muted = x.muted[v.ID]
}

// maxStatusesByID caps GET /api/v1/statuses?id[]=, as Mastodon does.
const maxStatusesByID = 20

// StatusesByIDs returns the statuses of ids that the viewer may see, in the order asked.
func (s *Service) StatusesByIDs(ctx context.Context, viewer *model.Account, ids []int64) ([]*StatusView, error) {
	if len(ids) > maxStatusesByID {
		return nil, httpx.Unprocessable("Validation failed: at most %d ids may be asked for at once", maxStatusesByID)
	}
	byID, err := s.Store.StatusesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var list []*model.Status
	seen := map[int64]bool{}
	for _, id := range ids {
		if st := byID[id]; st != nil && !seen[id] {
			seen[id] = true
			list = append(list, st)
		}
	}
	if list, err = s.filterVisible(ctx, viewerID(viewer), list); err != nil {
		return nil, err
	}
	return s.Views(ctx, viewer, list)
}
