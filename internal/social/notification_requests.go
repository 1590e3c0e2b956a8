package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// NotificationRequestView is a pending request with its sender and latest status.
type NotificationRequestView struct {
	*model.NotificationRequest
	From       *model.Account
	LastStatus *StatusView
}

// NotificationRequests lists the viewer's pending requests, newest first.
func (s *Service) NotificationRequests(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*NotificationRequestView, error) {
	list, err := s.Store.NotificationRequests(ctx, viewer.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.requestViews(ctx, viewer, list)
}

// NotificationRequest loads one of the viewer's requests.
func (s *Service) NotificationRequest(ctx context.Context, viewer *model.Account, id int64) (*NotificationRequestView, error) {
	r, err := s.Store.NotificationRequestByID(ctx, viewer.ID, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	views, err := s.requestViews(ctx, viewer, []*model.NotificationRequest{r})
	if err != nil || len(views) == 0 {
		return nil, denied(err)
	}
	return views[0], nil
}

func (s *Service) requestViews(ctx context.Context, viewer *model.Account, list []*model.NotificationRequest) ([]*NotificationRequestView, error) {
	senders, statusIDs := make([]int64, len(list)), make([]*int64, len(list))
	for i, r := range list {
		senders[i], statusIDs[i] = r.FromAccountID, r.LastStatusID
	}
	accounts, statuses, err := s.sendersAndStatuses(ctx, viewer, senders, statusIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationRequestView, 0, len(list))
	for _, r := range list {
		v := &NotificationRequestView{NotificationRequest: r, From: accounts[r.FromAccountID]}
		if r.LastStatusID != nil {
			v.LastStatus = statuses[*r.LastStatusID]
		}
		if v.From != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// AcceptNotificationRequest lets the sender's notifications through from now on and
// moves the ones held back into the viewer's list.
func (s *Service) AcceptNotificationRequest(ctx context.Context, viewer *model.Account, id int64) error {
	return s.answerRequests(ctx, viewer, []int64{id}, true, true)
}

// DismissNotificationRequest discards the request and the notifications it held.
func (s *Service) DismissNotificationRequest(ctx context.Context, viewer *model.Account, id int64) error {
	return s.answerRequests(ctx, viewer, []int64{id}, false, true)
}

// AcceptNotificationRequests accepts several requests; ids of requests that are not the
// viewer's are ignored, as in Mastodon.
func (s *Service) AcceptNotificationRequests(ctx context.Context, viewer *model.Account, ids []int64) error {
	return s.answerRequests(ctx, viewer, ids, true, false)
}

// DismissNotificationRequests dismisses several requests, ignoring others' ids.
func (s *Service) DismissNotificationRequests(ctx context.Context, viewer *model.Account, ids []int64) error {
	return s.answerRequests(ctx, viewer, ids, false, false)
}

// maxAnsweredRequests bounds one bulk answer.
const maxAnsweredRequests = 100

func (s *Service) answerRequests(ctx context.Context, viewer *model.Account, ids []int64, accept, strict bool) error {
	if len(ids) > maxAnsweredRequests {
		return httpx.Unprocessable("Validation failed: at most %d requests at once", maxAnsweredRequests)
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		if accept {
			s.emit(q, Event{Name: EventNotificationsMerged}, UserChannel(viewer.ID))
		}
		for _, rid := range ids {
			r, err := q.NotificationRequestByID(ctx, viewer.ID, rid)
			if err != nil && (strict || !isNotFound(err)) {
				return orNotFound(err)
			}
			if err != nil {
				continue
			}
			if err := s.answerRequest(ctx, q, r, accept); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) answerRequest(ctx context.Context, q store.Q, r *model.NotificationRequest, accept bool) error {
	if err := q.DeleteNotificationRequest(ctx, r); err != nil {
		return err
	}
	if !accept {
		return q.DeleteFilteredNotifications(ctx, r.AccountID, r.FromAccountID)
	}
	if err := q.PermitNotifications(ctx, r.AccountID, r.FromAccountID); err != nil {
		return err
	}
	return q.UnfilterNotifications(ctx, r.AccountID, r.FromAccountID)
}

// NotificationRequestsMerged reports whether every accepted request's notifications
// have joined the viewer's list.
func (s *Service) NotificationRequestsMerged(ctx context.Context, viewer *model.Account) (bool, error) {
	pending, err := s.Store.UnmergedAccepted(ctx, viewer.ID)
	return !pending, err
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
