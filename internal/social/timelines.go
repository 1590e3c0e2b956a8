package social

import (
	"context"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

func storePage(p httpx.Page) store.Page {
	return store.Page{MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit}
}

// Home is the viewer's home timeline.
func (s *Service) Home(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*StatusView, error) {
	list, err := s.Store.HomeTimeline(ctx, viewer.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.filteredViews(ctx, viewer, model.FilterHome, list)
}

// Public is the public (federated or local) timeline.
func (s *Service) Public(ctx context.Context, viewer *model.Account, sc store.Scope, p httpx.Page) ([]*StatusView, error) {
	sc.Viewer = viewerID(viewer)
	list, err := s.Store.PublicTimeline(ctx, sc, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.filteredViews(ctx, viewer, model.FilterPublic, list)
}

// Tag is a hashtag timeline.
func (s *Service) Tag(ctx context.Context, viewer *model.Account, f store.TagFilter, p httpx.Page) ([]*StatusView, error) {
	f.Any = lowerAll(f.Any)
	f.Viewer = viewerID(viewer)
	list, err := s.Store.TagTimeline(ctx, f, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.filteredViews(ctx, viewer, model.FilterPublic, list)
}

func lowerAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = strings.ToLower(strings.TrimPrefix(s, "#"))
	}
	return out
}

// AccountStatuses lists an account's statuses as viewer may see them.
func (s *Service) AccountStatuses(ctx context.Context, viewer *model.Account, accountID int64, f store.AccountStatusFilter, p httpx.Page) ([]*StatusView, error) {
	list, err := s.Store.AccountStatuses(ctx, viewerID(viewer), accountID, f, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.filteredViews(ctx, viewer, model.FilterAccount, list)
}

// Marked lists the viewer's favourites or bookmarks with their pagination cursors,
// dropping statuses that stopped being visible.
func (s *Service) Marked(ctx context.Context, viewer *model.Account, table string, p httpx.Page) ([]*StatusView, []int64, error) {
	list, cursors, err := s.Store.MarkedStatuses(ctx, table, viewer.ID, storePage(p))
	if err != nil {
		return nil, nil, err
	}
	visible, err := s.filterVisible(ctx, viewer.ID, append([]*model.Status(nil), list...))
	if err != nil {
		return nil, nil, err
	}
	views, err := s.Views(ctx, viewer, visible)
	return views, cursors, err
}

// maxAncestors and maxDescendants bound a thread's context as Mastodon does.
const (
	maxAncestors   = 40
	maxDescendants = 4096
)

// Context returns the visible ancestors (oldest first) and descendants (depth-first,
// in reply order) of a status the viewer may see.
func (s *Service) Context(ctx context.Context, viewer *model.Account, statusID int64) (ancestors, descendants []*StatusView, err error) {
	st, err := s.VisibleStatus(ctx, viewer, statusID)
	if err != nil {
		return nil, nil, err
	}
	up, err := s.ancestors(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	down, err := s.descendants(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	if up, err = s.filterVisible(ctx, viewerID(viewer), up); err != nil {
		return nil, nil, err
	}
	if down, err = s.filterVisible(ctx, viewerID(viewer), down); err != nil {
		return nil, nil, err
	}
	if up, err = s.dropScreened(ctx, viewerID(viewer), up); err != nil {
		return nil, nil, err
	}
	if down, err = s.dropScreened(ctx, viewerID(viewer), down); err != nil {
		return nil, nil, err
	}
	if ancestors, err = s.filteredViews(ctx, viewer, model.FilterThread, up); err != nil {
		return nil, nil, err
	}
	descendants, err = s.filteredViews(ctx, viewer, model.FilterThread, down)
	return ancestors, descendants, err
}

func (s *Service) ancestors(ctx context.Context, st *model.Status) ([]*model.Status, error) {
	var chain []*model.Status
	for cur := st; cur.InReplyToID != nil && len(chain) < maxAncestors; {
		parent, err := s.Store.StatusByID(ctx, *cur.InReplyToID)
		if err != nil {
			break // a deleted parent ends the visible thread
		}
		chain = append([]*model.Status{parent}, chain...)
		cur = parent
	}
	return chain, nil
}

// descendants walks replies level by level, then orders them depth-first.
func (s *Service) descendants(ctx context.Context, root *model.Status) ([]*model.Status, error) {
	children := map[int64][]*model.Status{}
	frontier, total := []int64{root.ID}, 0
	for len(frontier) > 0 && total < maxDescendants {
		replies, err := s.Store.Replies(ctx, frontier)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0]
		for _, r := range replies {
			children[*r.InReplyToID] = append(children[*r.InReplyToID], r)
			frontier = append(frontier, r.ID)
		}
		total += len(replies)
	}
	var out []*model.Status
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			out = append(out, c)
			walk(c.ID)
		}
	}
	walk(root.ID)
	return out, nil
}
