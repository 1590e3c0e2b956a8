package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// NotificationView is a notification with its sender and status hydrated.
type NotificationView struct {
	*model.Notification
	From   *model.Account
	Status *StatusView
}

// Notifications lists the viewer's notifications, dropping any whose status the viewer
// can no longer see.
func (s *Service) Notifications(ctx context.Context, viewer *model.Account, f store.NotificationFilter, p httpx.Page) ([]*NotificationView, error) {
	list, err := s.Store.Notifications(ctx, viewer.ID, f, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.notificationViews(ctx, viewer, list)
}

// Notification loads one of the viewer's notifications.
func (s *Service) Notification(ctx context.Context, viewer *model.Account, id int64) (*NotificationView, error) {
	n, err := s.Store.NotificationByID(ctx, viewer.ID, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	views, err := s.notificationViews(ctx, viewer, []*model.Notification{n})
	if err != nil || len(views) == 0 {
		return nil, denied(err)
	}
	return views[0], nil
}

func (s *Service) notificationViews(ctx context.Context, viewer *model.Account, list []*model.Notification) ([]*NotificationView, error) {
	senders, statusIDs := make([]int64, len(list)), make([]*int64, len(list))
	for i, n := range list {
		senders[i], statusIDs[i] = n.FromAccountID, n.StatusID
	}
	accounts, statuses, err := s.sendersAndStatuses(ctx, viewer, senders, statusIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationView, 0, len(list))
	for _, n := range list {
		v := &NotificationView{Notification: n, From: accounts[n.FromAccountID]}
		if n.StatusID != nil {
			if v.Status = statuses[*n.StatusID]; v.Status == nil {
				continue
			}
		}
		if v.From != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// sendersAndStatuses loads, for items that each name a sender and perhaps a status (a
// notification, a notification request), the senders' accounts and the statuses as viewer
// sees them in the notifications context.
func (s *Service) sendersAndStatuses(ctx context.Context, viewer *model.Account, senders []int64, statusIDs []*int64) (map[int64]*model.Account, map[int64]*StatusView, error) {
	var ids []int64
	for _, sid := range statusIDs {
		if sid != nil {
			ids = append(ids, *sid)
		}
	}
	accounts, err := s.Store.AccountsByIDs(ctx, senders)
	if err != nil {
		return nil, nil, err
	}
	statuses, err := s.statusViewsByID(ctx, viewer, ids)
	return accounts, statuses, err
}

func (s *Service) statusViewsByID(ctx context.Context, viewer *model.Account, ids []int64) (map[int64]*StatusView, error) {
	byID, err := s.Store.StatusesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	list := make([]*model.Status, 0, len(byID))
	for _, st := range byID {
		list = append(list, st)
	}
	if list, err = s.filterVisible(ctx, viewer.ID, list); err != nil {
		return nil, err
	}
	views, err := s.filteredViews(ctx, viewer, model.FilterNotifications, list)
	out := make(map[int64]*StatusView, len(views))
	for _, v := range views {
		out[v.ID] = v
	}
	return out, err
}
