package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

func isLocal(ctx context.Context, q store.Q, accountID int64) bool {
	a, err := q.AccountByID(ctx, accountID)
	return err == nil && a.IsLocal()
}

// notifyPost tells mentioned local accounts, and followers who asked to be notified of
// the author's posts.
func (s *Service) notifyPost(ctx context.Context, q store.Q, st *model.Status, mentions []*model.Account) error {
	for _, a := range mentions {
		if a.IsLocal() && a.ID != st.AccountID {
			if err := s.notify(ctx, q, a.ID, st.AccountID, model.NotifyMention, &st.ID); err != nil {
				return err
			}
		}
	}
	if st.Visibility == model.Direct || (st.InReplyToAccountID != nil && *st.InReplyToAccountID != st.AccountID) {
		return nil
	}
	watchers, err := q.NotifyingFollowerIDs(ctx, st.AccountID)
	if err != nil {
		return err
	}
	for _, w := range watchers {
		if err := s.notify(ctx, q, w, st.AccountID, model.NotifyStatus, &st.ID); err != nil {
			return err
		}
	}
	return nil
}

// notify records a notification for a local recipient.
func (s *Service) notify(ctx context.Context, q store.Q, to, from int64, typ string, statusID *int64) error {
	if to == from || !isLocal(ctx, q, to) {
		return nil
	}
	if screened, err := s.notificationScreened(ctx, q, to, from); err != nil || screened {
		return err
	}
	if statusID != nil {
		if muted, err := s.conversationMuted(ctx, q, to, *statusID); err != nil || muted {
			return err // the recipient muted this conversation
		}
	}
	n := &model.Notification{AccountID: to, FromAccountID: from, Type: typ, StatusID: statusID}
	if keep, err := s.screenNotification(ctx, q, n); err != nil || !keep {
		return err
	}
	if err := q.InsertNotification(ctx, n); err != nil {
		return err
	}
	s.streamNotification(q, n)
	return s.queuePush(ctx, q, n)
}
