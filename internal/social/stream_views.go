package social

import (
	"context"
	"errors"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Stream kinds: which timeline's rule decides whether a status reaches a stream.
const (
	StreamHome    = "home"
	StreamList    = "list"
	StreamPublic  = "public"
	StreamHashtag = "hashtag"
)

// StreamTimeline is the timeline a live stream follows.
type StreamTimeline struct {
	Kind  string
	Scope store.Scope // public and hashtag: local, remote, only media
	Tag   string      // hashtag
	List  *model.List // list
}

// StreamList is one of the viewer's lists, for a list stream (404 for others' lists).
func (s *Service) StreamList(ctx context.Context, viewer *model.Account, listID int64) (*model.List, error) {
	return s.List(ctx, viewer, listID)
}

// StreamStatus is the status as viewer sees it in the stream's timeline, by exactly the
// rules of that timeline's REST page: the same query decides membership (visibility,
// blocks, mutes, domain blocks, home and list rules, feed settings), and the viewer's
// filters of the timeline's context mark it or, for hide filters, keep it out. ok is
// false when the viewer does not get it.
func (s *Service) StreamStatus(ctx context.Context, viewer *model.Account, t StreamTimeline, statusID int64) (_ *StatusView, ok bool, err error) {
	filterContext := model.FilterPublic
	switch t.Kind {
	case StreamHome:
		filterContext = model.FilterHome
		ok, err = s.Store.InHome(ctx, viewer.ID, statusID)
	case StreamList:
		filterContext = model.FilterHome
		ok, err = s.Store.InList(ctx, t.List, statusID)
	case StreamPublic:
		ok, err = s.inPublicStream(ctx, viewer, t.Scope, statusID)
	case StreamHashtag:
		ok, err = s.inHashtagStream(ctx, viewer, t, statusID)
	}
	if err != nil || !ok {
		return nil, false, ignoreRequiresUser(err)
	}
	st, err := s.Store.StatusByID(ctx, statusID)
	if err != nil {
		return nil, false, ignoreNotFound(err)
	}
	views, err := s.filteredViews(ctx, viewer, filterContext, []*model.Status{st})
	if err != nil || len(views) == 0 {
		return nil, false, err
	}
	return views[0], true, nil
}

func (s *Service) inPublicStream(ctx context.Context, viewer *model.Account, sc store.Scope, statusID int64) (bool, error) {
	sc, ok, err := s.feedScope(ctx, viewer, liveFeed, sc)
	if err != nil || !ok {
		return false, err
	}
	sc.Viewer = viewerID(viewer)
	return s.Store.InPublic(ctx, sc, statusID)
}

func (s *Service) inHashtagStream(ctx context.Context, viewer *model.Account, t StreamTimeline, statusID int64) (bool, error) {
	sc, ok, err := s.feedScope(ctx, viewer, topicFeed, t.Scope)
	if err != nil || !ok {
		return false, err
	}
	sc.Viewer = viewerID(viewer)
	return s.Store.InTag(ctx, store.TagFilter{Any: lowerAll([]string{t.Tag}), Scope: sc}, statusID)
}

func ignoreRequiresUser(err error) error {
	if errors.Is(err, errRequiresUser) {
		return nil
	}
	return err
}

// StreamNotification is a new notification as its recipient's notification list shows it.
func (s *Service) StreamNotification(ctx context.Context, viewer *model.Account, id int64) (*NotificationView, bool, error) {
	v, err := s.Notification(ctx, viewer, id)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	return v, err == nil, err
}

// StreamConversation is the viewer's conversation that statusID just joined.
func (s *Service) StreamConversation(ctx context.Context, viewer *model.Account, statusID int64) (*ConversationView, bool, error) {
	c, err := s.Store.ConversationWithStatus(ctx, viewer.ID, statusID)
	if err != nil {
		return nil, false, ignoreNotFound(err)
	}
	views, err := s.conversationViews(ctx, viewer, []*model.Conversation{c})
	if err != nil || len(views) == 0 {
		return nil, false, err
	}
	return views[0], true, nil
}

// StreamAnnouncement is an announcement on show, with the viewer's reads and reactions.
func (s *Service) StreamAnnouncement(ctx context.Context, viewer *model.Account, id int64) (*AnnouncementView, bool, error) {
	list, err := s.Announcements(ctx, viewer)
	if err != nil {
		return nil, false, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, true, nil
		}
	}
	return nil, false, nil
}

// EndedSessions returns those of tokenIDs whose streams must close: the token was
// revoked or expired, its app or user deleted, its user disabled or account suspended.
func (s *Service) EndedSessions(ctx context.Context, tokenIDs []int64) ([]int64, error) {
	return s.Store.EndedSessions(ctx, tokenIDs, time.Now())
}
