package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// MarkerTimelines are the timelines Mastodon keeps reading positions for.
var MarkerTimelines = []string{"home", "notifications"}

// Markers returns the viewer's saved positions in the named timelines; unknown names
// are ignored.
func (s *Service) Markers(ctx context.Context, viewer *model.Account, timelines []string) (map[string]*model.Marker, error) {
	return s.Store.Markers(ctx, viewer.ID, timelines)
}

// SaveMarkers moves the viewer's positions (timeline → last read id) and returns the
// markers it saved.
func (s *Service) SaveMarkers(ctx context.Context, viewer *model.Account, positions map[string]int64) (map[string]*model.Marker, error) {
	var names []string
	err := s.Store.Tx(ctx, func(q store.Q) error {
		for timeline, lastRead := range positions {
			if err := q.SaveMarker(ctx, viewer.ID, timeline, lastRead); err != nil {
				return err
			}
			names = append(names, timeline)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Store.Markers(ctx, viewer.ID, names)
}

// Default and greatest caps of an unread count, as Mastodon.
const (
	UnreadCountDefault = 100
	UnreadCountMax     = 1000
)

// UnreadNotifications counts the viewer's notifications newer than the notifications
// marker (all of them without one), up to limit.
func (s *Service) UnreadNotifications(ctx context.Context, viewer *model.Account, f store.NotificationFilter, limit int) (int, error) {
	after, err := s.notificationsMarker(ctx, viewer)
	if err != nil {
		return 0, err
	}
	return s.Store.CountNotifications(ctx, viewer.ID, f, after, limit)
}

// UnreadNotificationGroups counts the groups among the unread notifications, up to limit.
func (s *Service) UnreadNotificationGroups(ctx context.Context, viewer *model.Account, gq GroupQuery, limit int) (int, error) {
	after, err := s.notificationsMarker(ctx, viewer)
	if err != nil {
		return 0, err
	}
	return s.Store.CountNotificationGroups(ctx, viewer.ID, gq.NotificationFilter, gq.Grouped, after, limit)
}

func (s *Service) notificationsMarker(ctx context.Context, viewer *model.Account) (int64, error) {
	markers, err := s.Store.Markers(ctx, viewer.ID, []string{"notifications"})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	if m := markers["notifications"]; m != nil {
		return m.LastReadID, nil
	}
	return 0, nil
}

// Preferences are a member's posting defaults and reading settings.
type Preferences struct {
	User    *model.User
	Reading *model.ReadingPreferences
}

// Preferences loads the signed-in member's preferences.
func (s *Service) Preferences(ctx context.Context, user *model.User) (*Preferences, error) {
	reading, err := s.Store.ReadingPreferences(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	return &Preferences{User: user, Reading: reading}, nil
}
