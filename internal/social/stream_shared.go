package social

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// SharedStatus is one status of a public or hashtag stream, decided for many viewers at
// once: the view most of them share, rendered without any one viewer's flags (favourited,
// reblogged, bookmarked…), as Mastodon's own public stream payloads are; the viewers
// whose warn filters match get their own copy marked with them; the others get nothing.
type SharedStatus struct {
	View     *StatusView           // what every viewer in Shared sees
	Shared   []int64               // the viewers who get View
	Filtered map[int64]*StatusView // the viewers who get a copy with their filter matches
}

// SharedStreamable reports whether a stream of timeline t may be rendered for its viewers
// together: the public and hashtag streams, whose rule depends on the viewer only
// through screens, filters and feed settings. Home and list streams stay per viewer.
func SharedStreamable(t StreamTimeline) bool {
	return t.Kind == StreamPublic || t.Kind == StreamHashtag
}

// StreamStatusShared decides statusID for viewers of a public or hashtag stream by the
// same rules as StreamStatus, with a few queries whatever their number: the timeline's
// query for an anonymous viewer under each feed scope the viewers have, one hydration,
// the screens of all viewers in batches, and all their filters in batches. ok is false
// when the status cannot be shared (it quotes another status, whose rendering depends on
// each viewer's relations to the quoted author): its caller then asks per viewer.
func (s *Service) StreamStatusShared(ctx context.Context, t StreamTimeline, statusID int64, viewers []*model.Account) (_ *SharedStatus, ok bool, err error) {
	members, err := s.sharedMembers(ctx, t, statusID, viewers)
	if err != nil || len(members) == 0 {
		return &SharedStatus{}, true, err
	}
	st, err := s.Store.StatusByID(ctx, statusID)
	if err != nil {
		return &SharedStatus{}, true, ignoreNotFound(err)
	}
	views, err := s.Views(ctx, nil, []*model.Status{st})
	if err != nil || len(views) == 0 {
		return &SharedStatus{}, true, err
	}
	if views[0].Quote != nil {
		return nil, false, nil
	}
	now := time.Now()
	screened, err := s.Store.ScreenedViewers(ctx, st.AccountID, members, now)
	if err != nil {
		return nil, false, err
	}
	var unscreened []int64
	for _, id := range members {
		if !screened[id] {
			unscreened = append(unscreened, id)
		}
	}
	return s.shareFiltered(ctx, views[0], unscreened, now)
}

// sharedMembers keeps the viewers whose timeline, before their screens and filters, holds
// the status: feed settings give each viewer a scope (members and staff may differ), and
// the timeline's query is asked once per distinct scope, for an anonymous viewer.
func (s *Service) sharedMembers(ctx context.Context, t StreamTimeline, statusID int64, viewers []*model.Account) ([]int64, error) {
	topic := t.Kind == StreamHashtag
	inScope := map[store.Scope]bool{}
	var out []int64
	for _, v := range viewers {
		sc, ok, err := s.feedScope(ctx, v, topic, t.Scope)
		if err != nil || !ok {
			if err = ignoreRequiresUser(err); err != nil {
				return nil, err
			}
			continue
		}
		sc.Viewer = 0
		in, known := inScope[sc]
		if !known {
			if in, err = s.inTimelineAnonymously(ctx, t, sc, statusID); err != nil {
				return nil, err
			}
			inScope[sc] = in
		}
		if in {
			out = append(out, v.ID)
		}
	}
	return out, nil
}

func (s *Service) inTimelineAnonymously(ctx context.Context, t StreamTimeline, sc store.Scope, statusID int64) (bool, error) {
	if t.Kind == StreamHashtag {
		return s.Store.InTag(ctx, store.TagFilter{Any: lowerAll([]string{t.Tag}), Scope: sc}, statusID)
	}
	return s.Store.InPublic(ctx, sc, statusID)
}

// shareFiltered applies each viewer's filters of the public context to v: a hide match
// leaves the viewer out, a warn (or blur) match gives them their own marked copy.
func (s *Service) shareFiltered(ctx context.Context, v *StatusView, viewers []int64, now time.Time) (*SharedStatus, bool, error) {
	filters, err := s.Store.ActiveFiltersOf(ctx, viewers, now)
	if err != nil {
		return nil, false, err
	}
	out := &SharedStatus{View: v, Filtered: map[int64]*StatusView{}}
	for _, id := range viewers {
		var inContext []*model.Filter
		for _, f := range filters[id] {
			if f.AppliesIn(model.FilterPublic) {
				inContext = append(inContext, f)
			}
		}
		matches := matchFilters(inContext, id, v.Status)
		switch {
		case len(matches) == 0:
			out.Shared = append(out.Shared, id)
		case !hides(matches):
			own := *v
			own.Filtered = matches
			out.Filtered[id] = &own
		}
	}
	return out, true, nil
}
