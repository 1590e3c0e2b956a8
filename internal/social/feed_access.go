package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Feeds whose access the admins set: live ones (the public timelines) and topic ones
// (hashtag and link timelines).
const (
	liveFeed  = false
	topicFeed = true
)

// feedModes returns the access settings for local and remote posts in a kind of feed.
func (s *Service) feedModes(topic bool) (local, remote string) {
	c := s.Config.Instance
	if topic {
		return c.LocalTopicFeeds, c.RemoteTopicFeeds
	}
	return c.LocalLiveFeeds, c.RemoteLiveFeeds
}

// feedScope applies the admins' feed settings to a requested scope. A feed the request
// asks for that is not public needs a signed-in member (422 for visitors, as Mastodon
// answers); posts the viewer may not read are left out of the scope, and when none are
// left, ok is false and the feed is empty.
func (s *Service) feedScope(ctx context.Context, viewer *model.Account, topic bool, sc store.Scope) (_ store.Scope, ok bool, err error) {
	localMode, remoteMode := s.feedModes(topic)
	wantLocal, wantRemote := sc.Local && !sc.Remote, sc.Remote && !sc.Local
	needsUser := (wantLocal && localMode != config.FeedPublic) || (wantRemote && remoteMode != config.FeedPublic) ||
		(!wantLocal && !wantRemote && (localMode != config.FeedPublic || remoteMode != config.FeedPublic))
	if needsUser && viewer == nil {
		return sc, false, errRequiresUser
	}
	localOK, err := s.mayRead(ctx, viewer, localMode)
	if err != nil {
		return sc, false, err
	}
	remoteOK, err := s.mayRead(ctx, viewer, remoteMode)
	if err != nil {
		return sc, false, err
	}
	localOnly, remoteOnly := wantLocal || !remoteOK, wantRemote || !localOK
	if localOnly && remoteOnly {
		return sc, false, nil
	}
	sc.Local, sc.Remote = localOnly, remoteOnly
	return sc, true, nil
}

// mayRead reports whether viewer may read posts under a feed setting: disabled feeds
// stay readable by the staff, as Mastodon keeps them for those who may view feeds.
func (s *Service) mayRead(ctx context.Context, viewer *model.Account, mode string) (bool, error) {
	switch {
	case mode == config.FeedPublic:
		return true, nil
	case viewer == nil:
		return false, nil
	case mode == config.FeedAuthenticated:
		return true, nil
	}
	u, err := s.Store.UserByAccountID(ctx, viewer.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && u.IsStaff(), err
}

// TopicFeedScope applies the hashtag and link feed settings; the link timeline uses it.
func (s *Service) TopicFeedScope(ctx context.Context, viewer *model.Account, sc store.Scope) (store.Scope, bool, error) {
	return s.feedScope(ctx, viewer, topicFeed, sc)
}
