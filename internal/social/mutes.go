package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// MuteConversation stops the actor's notifications from the thread of a status they may see.
func (s *Service) MuteConversation(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.setConversationMute(ctx, actor, statusID, true)
}

// UnmuteConversation undoes MuteConversation.
func (s *Service) UnmuteConversation(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.setConversationMute(ctx, actor, statusID, false)
}

func (s *Service) setConversationMute(ctx context.Context, actor *model.Account, statusID int64, mute bool) (*model.Status, error) {
	st, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		if st, err = s.VisibleStatus(ctx, actor, *st.ReblogOfID); err != nil {
			return nil, err
		}
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		root, err := q.ThreadRoot(ctx, st.ID)
		if err != nil {
			return orNotFound(err)
		}
		if mute {
			return q.MuteConversation(ctx, actor.ID, root)
		}
		return q.UnmuteConversation(ctx, actor.ID, root)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// conversationMuted reports whether the recipient muted the thread of a status.
func (s *Service) conversationMuted(ctx context.Context, q store.Q, recipient, statusID int64) (bool, error) {
	muted, err := q.MutedConversations(ctx, recipient, []int64{statusID})
	return muted[statusID], err
}
