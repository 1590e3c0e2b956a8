package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// StatusView is a status with everything its Mastodon entity shows, seen by one viewer.
type StatusView struct {
	*model.Status
	Account                                   *model.Account
	Reblog                                    *StatusView
	Mentions                                  []*model.Account
	Tags                                      []string
	App                                       *model.App
	Card                                      *model.PreviewCard
	Favourited, Reblogged, Bookmarked, Pinned bool
	Filtered                                  []model.FilterMatch // the viewer's filters that match, in the listing's context
	Poll                                      *PollView
	Muted                                     bool // the viewer muted the status's conversation
	Quote                                     *QuoteView
	QuotePolicy, QuoteApproval                string // who may quote it; whether the viewer may
	QuotesCount                               int64
	Media                                     []*model.MediaAttachment
}

// Views hydrates statuses for viewer with a fixed number of queries, whatever their count.
func (s *Service) Views(ctx context.Context, viewer *model.Account, list []*model.Status) ([]*StatusView, error) {
	all, err := s.withOriginals(ctx, list)
	if err != nil {
		return nil, err
	}
	h, err := s.hydrate(ctx, viewerID(viewer), all)
	if err != nil {
		return nil, err
	}
	out := make([]*StatusView, 0, len(list))
	for _, st := range list {
		v := h.view(st)
		if st.ReblogOfID != nil {
			orig, ok := all[*st.ReblogOfID]
			if !ok {
				continue // the original vanished between queries
			}
			v.Reblog = h.view(orig)
		}
		out = append(out, v)
	}
	return out, nil
}

// View hydrates one status.
func (s *Service) View(ctx context.Context, viewer *model.Account, st *model.Status) (*StatusView, error) {
	views, err := s.Views(ctx, viewer, []*model.Status{st})
	if err != nil {
		return nil, err
	}
	if len(views) == 0 {
		return nil, ErrNotFound
	}
	return views[0], nil
}

// withOriginals returns the statuses and the originals of any boosts among them, by id.
func (s *Service) withOriginals(ctx context.Context, list []*model.Status) (map[int64]*model.Status, error) {
	all := make(map[int64]*model.Status, len(list))
	var missing []int64
	for _, st := range list {
		all[st.ID] = st
	}
	for _, st := range list {
		if st.ReblogOfID != nil && all[*st.ReblogOfID] == nil {
			missing = append(missing, *st.ReblogOfID)
		}
	}
	originals, err := s.Store.StatusesByIDs(ctx, missing)
	for id, st := range originals {
		all[id] = st
	}
	return all, err
}

type hydration struct {
	accounts map[int64]*model.Account
	mentions map[int64][]int64
	tags     map[int64][]string
	apps     map[int64]*model.App
	cards    map[int64]*model.PreviewCard
	media    map[int64][]*model.MediaAttachment
	flags    store.ViewerFlags
	extras   statusExtras
}

func (s *Service) hydrate(ctx context.Context, viewer int64, all map[int64]*model.Status) (*hydration, error) {
	ids := make([]int64, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	h := &hydration{apps: map[int64]*model.App{}}
	var err error
	if h.mentions, err = s.Store.MentionedIDs(ctx, ids); err != nil {
		return nil, err
	}
	if h.tags, err = s.Store.TagNames(ctx, ids); err != nil {
		return nil, err
	}
	if h.flags, err = s.Store.ViewerFlagsFor(ctx, viewer, ids); err != nil {
		return nil, err
	}
	if h.cards, err = s.Store.CardsOf(ctx, ids); err != nil {
		return nil, err
	}
	if h.media, err = s.Store.MediaOf(ctx, ids); err != nil {
		return nil, err
	}
	if h.accounts, err = s.Store.AccountsByIDs(ctx, involvedAccounts(all, h.mentions)); err != nil {
		return nil, err
	}
	if h.extras, err = s.loadStatusExtras(ctx, viewer, all); err != nil {
		return nil, err
	}
	return h, s.loadApps(ctx, all, h.apps)
}

func involvedAccounts(all map[int64]*model.Status, mentions map[int64][]int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, st := range all {
		add(st.AccountID)
		for _, m := range mentions[st.ID] {
			add(m)
		}
	}
	return out
}

func (s *Service) loadApps(ctx context.Context, all map[int64]*model.Status, apps map[int64]*model.App) error {
	for _, st := range all {
		if st.ApplicationID == nil || apps[*st.ApplicationID] != nil {
			continue
		}
		app, err := s.Store.AppByID(ctx, *st.ApplicationID)
		if err != nil {
			continue // a deleted app leaves the status without one
		}
		apps[app.ID] = app
	}
	return nil
}

func (h *hydration) view(st *model.Status) *StatusView {
	v := &StatusView{Status: st, Account: h.accounts[st.AccountID], Tags: h.tags[st.ID],
		Favourited: h.flags.Favourited[st.ID], Reblogged: h.flags.Reblogged[st.ID],
		Bookmarked: h.flags.Bookmarked[st.ID], Pinned: h.flags.Pinned[st.ID]}
	for _, m := range h.mentions[st.ID] {
		if a := h.accounts[m]; a != nil {
			v.Mentions = append(v.Mentions, a)
		}
	}
	if st.ApplicationID != nil {
		v.App = h.apps[*st.ApplicationID]
	}
	h.extras.apply(v)
	v.Card = h.cards[st.ID]
	v.Media = h.media[st.ID]
	return v
}
