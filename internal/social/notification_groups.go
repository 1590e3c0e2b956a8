package social

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// GroupableTypes are the notification types Mastodon groups; grouped_types picks among them.
var GroupableTypes = []string{model.NotifyFavourite, model.NotifyReblog, model.NotifyFollow}

// NotificationGroupView is one group as a page shows it: its summary, the newest
// notification's status and its sample of senders.
type NotificationGroupView struct {
	model.NotificationGroup
	Status         *StatusView
	SampleAccounts []*model.Account
}

// GroupedPage is a page of notification groups and the notification ids it spans,
// newest and oldest, for the Link header.
type GroupedPage struct {
	Groups         []*NotificationGroupView
	Newest, Oldest int64
}

// GroupQuery is what a grouped list asks for.
type GroupQuery struct {
	store.NotificationFilter
	Grouped []string // the types to group; others come one notification per group
}

// effectiveKey is n's group as this query groups: its stored key when its type is
// grouped, its own "ungrouped-<id>" otherwise.
func (gq GroupQuery) effectiveKey(n *model.Notification) string {
	if slices.Contains(gq.Grouped, n.Type) && !strings.HasPrefix(n.GroupKey, "ungrouped-") && n.GroupKey != "" {
		return n.GroupKey
	}
	return fmt.Sprintf("ungrouped-%d", n.ID)
}

// NotificationGroups reads a page of the viewer's notifications as groups: the page
// holds p.Limit distinct groups, each shown by its newest notification in the window.
func (s *Service) NotificationGroups(ctx context.Context, viewer *model.Account, gq GroupQuery, p httpx.Page) (*GroupedPage, error) {
	heads, err := s.groupHeads(ctx, viewer.ID, gq, p)
	if err != nil || len(heads) == 0 {
		return &GroupedPage{}, err
	}
	lo, hi := pageRange(heads, p)
	groups, err := s.buildGroups(ctx, viewer, gq, heads, lo, hi)
	if err != nil {
		return nil, err
	}
	return &GroupedPage{Groups: groups, Newest: heads[0].ID, Oldest: heads[len(heads)-1].ID}, nil
}

// groupHeads walks the window in batches until it has met p.Limit distinct groups,
// keeping the first notification of each; the result is newest first.
func (s *Service) groupHeads(ctx context.Context, viewer int64, gq GroupQuery, p httpx.Page) ([]*model.Notification, error) {
	up := p.MinID > 0
	batch := storePage(p)
	batch.Limit = min(p.Limit*2, 200)
	seen := map[string]bool{}
	var heads []*model.Notification
	for len(heads) < p.Limit {
		list, err := s.Store.Notifications(ctx, viewer, gq.NotificationFilter, batch)
		if err != nil {
			return nil, err
		}
		if up {
			slices.Reverse(list) // oldest first, so the groups nearest min_id come first
		}
		for _, n := range list {
			if key := gq.effectiveKey(n); !seen[key] && len(heads) < p.Limit {
				seen[key] = true
				heads = append(heads, n)
			}
		}
		if len(list) < batch.Limit {
			break
		}
		if up {
			batch.MinID = list[len(list)-1].ID
		} else {
			batch.MaxID = list[len(list)-1].ID
		}
	}
	if up {
		slices.Reverse(heads)
	}
	return heads, nil
}

// pageRange is the span of notification ids a page of groups represents (0: unbounded):
// a full page spans its own heads; the last page reaches to the end of the window.
func pageRange(heads []*model.Notification, p httpx.Page) (lo, hi int64) {
	lo, hi = heads[len(heads)-1].ID, heads[0].ID
	if len(heads) == p.Limit {
		return lo, hi
	}
	if p.MinID > 0 {
		if p.MaxID > 0 {
			return lo, p.MaxID - 1
		}
		return lo, 0
	}
	if p.SinceID > 0 {
		return p.SinceID + 1, hi
	}
	return 0, hi
}

// buildGroups summarises each head's group and hydrates statuses and senders,
// dropping groups whose status the viewer can no longer see.
func (s *Service) buildGroups(ctx context.Context, viewer *model.Account, gq GroupQuery, heads []*model.Notification, lo, hi int64) ([]*NotificationGroupView, error) {
	var keys []string
	for _, n := range heads {
		if k := gq.effectiveKey(n); !strings.HasPrefix(k, "ungrouped-") {
			keys = append(keys, k)
		}
	}
	stats, err := s.Store.NotificationGroupStats(ctx, viewer.ID, keys, lo, hi)
	if err != nil {
		return nil, err
	}
	out := make([]*NotificationGroupView, 0, len(heads))
	for _, n := range heads {
		g := stats[gq.effectiveKey(n)]
		if g == nil {
			g = singleGroup(n)
		}
		g.Type, g.StatusID = n.Type, n.StatusID
		out = append(out, &NotificationGroupView{NotificationGroup: *g})
	}
	return s.hydrateGroups(ctx, viewer, out)
}

// singleGroup is the group of one ungrouped notification.
func singleGroup(n *model.Notification) *model.NotificationGroup {
	return &model.NotificationGroup{Key: fmt.Sprintf("ungrouped-%d", n.ID), Count: 1, MostRecentID: n.ID,
		SampleAccountIDs: []int64{n.FromAccountID}, PageMinID: n.ID, PageMaxID: n.ID, LatestPageAt: n.CreatedAt}
}

func (s *Service) hydrateGroups(ctx context.Context, viewer *model.Account, groups []*NotificationGroupView) ([]*NotificationGroupView, error) {
	var accountIDs, statusIDs []int64
	for _, g := range groups {
		accountIDs = append(accountIDs, g.SampleAccountIDs...)
		if g.StatusID != nil {
			statusIDs = append(statusIDs, *g.StatusID)
		}
	}
	accounts, err := s.Store.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	statuses, err := s.statusViewsByID(ctx, viewer, statusIDs)
	if err != nil {
		return nil, err
	}
	out := groups[:0]
	for _, g := range groups {
		if g.StatusID != nil {
			if g.Status = statuses[*g.StatusID]; g.Status == nil {
				continue
			}
		}
		for _, aid := range g.SampleAccountIDs {
			if a := accounts[aid]; a != nil {
				g.SampleAccounts = append(g.SampleAccounts, a)
			}
		}
		if len(g.SampleAccounts) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// NotificationGroup loads one of the viewer's groups by key, summarised whole.
func (s *Service) NotificationGroup(ctx context.Context, viewer *model.Account, key string) (*NotificationGroupView, error) {
	newest, err := s.Store.NotificationsInGroup(ctx, viewer.ID, key, store.Page{Limit: 1})
	if err != nil || len(newest) == 0 {
		return nil, denied(err)
	}
	gq := GroupQuery{Grouped: GroupableTypes}
	if strings.HasPrefix(key, "ungrouped-") {
		gq.Grouped = nil
	}
	groups, err := s.buildGroups(ctx, viewer, gq, newest, 0, 0)
	if err != nil || len(groups) == 0 {
		return nil, denied(err)
	}
	g := groups[0]
	g.PageMinID, g.PageMaxID, g.LatestPageAt = 0, 0, time.Time{} // not a page: no page fields
	return g, nil
}

// DismissNotificationGroup deletes every notification of one of the viewer's groups.
func (s *Service) DismissNotificationGroup(ctx context.Context, viewer *model.Account, key string) error {
	return orNotFound(s.Store.Writer().DismissNotificationGroup(ctx, viewer.ID, key))
}

// NotificationGroupAccounts lists the senders of a group's notifications, newest
// first, with the notification ids as cursors.
func (s *Service) NotificationGroupAccounts(ctx context.Context, viewer *model.Account, key string, p httpx.Page) ([]*model.Account, []int64, error) {
	list, err := s.Store.NotificationsInGroup(ctx, viewer.ID, key, storePage(p))
	if err != nil {
		return nil, nil, err
	}
	if len(list) == 0 && p.MaxID == 0 && p.MinID == 0 && p.SinceID == 0 {
		return nil, nil, ErrNotFound
	}
	var senders, cursors []int64
	for _, n := range list {
		senders = append(senders, n.FromAccountID)
		cursors = append(cursors, n.ID)
	}
	accounts, err := s.Store.AccountsByIDs(ctx, senders)
	if err != nil {
		return nil, nil, err
	}
	var out []*model.Account
	seen := map[int64]bool{}
	for _, aid := range senders {
		if a := accounts[aid]; a != nil && !seen[aid] {
			seen[aid] = true
			out = append(out, a)
		}
	}
	return out, cursors, nil
}
