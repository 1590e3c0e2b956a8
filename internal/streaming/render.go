package streaming

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"

	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// renderer turns a bus event into the payload one viewer gets on one stream, through the
// domain's rules and the REST API's entities, so a stream shows what the REST API would.
type renderer struct {
	social *social.Service
	entity entity.Renderer
	log    *slog.Logger
}

// event is ev's payload for viewer on stream s; ok is false when the viewer does not get it.
func (r *renderer) event(ctx context.Context, viewer *model.Account, s stream, ev social.Event) (payload string, ok bool) {
	var v any
	var err error
	switch ev.Name {
	case social.EventUpdate, social.EventStatusUpdate:
		v, ok, err = r.status(ctx, viewer, s, ev.StatusID)
	case social.EventDelete:
		return strconv.FormatInt(ev.StatusID, 10), true
	case social.EventNotification:
		v, ok, err = r.notification(ctx, viewer, ev.NotificationID)
	case social.EventConversation:
		v, ok, err = r.conversation(ctx, viewer, ev.StatusID)
	case social.EventAnnouncement:
		v, ok, err = r.announcement(ctx, viewer, ev.AnnouncementID)
	case social.EventAnnouncementReaction:
		v, ok = reaction{Name: ev.Reaction, Count: ev.Count, AnnouncementID: strconv.FormatInt(ev.AnnouncementID, 10)}, true
	case social.EventAnnouncementDelete:
		return strconv.FormatInt(ev.AnnouncementID, 10), true
	case social.EventFiltersChanged:
		return "", true
	case social.EventNotificationsMerged:
		return "1", true
	}
	if err != nil {
		r.log.Warn("streaming: render", "event", ev.Name, "viewer", viewer.ID, "err", err)
		return "", false
	}
	if !ok {
		return "", false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

// reaction is the payload of announcement.reaction.
type reaction struct {
	Name           string `json:"name"`
	Count          int    `json:"count"`
	AnnouncementID string `json:"announcement_id"`
}

func (r *renderer) status(ctx context.Context, viewer *model.Account, s stream, id int64) (any, bool, error) {
	t, ok := s.timeline()
	if !ok {
		return nil, false, nil
	}
	v, ok, err := r.social.StreamStatus(ctx, viewer, t, id)
	if err != nil || !ok {
		return nil, false, err
	}
	return r.entity.Status(v, true), true, nil
}

func (r *renderer) notification(ctx context.Context, viewer *model.Account, id int64) (any, bool, error) {
	v, ok, err := r.social.StreamNotification(ctx, viewer, id)
	if err != nil || !ok {
		return nil, false, err
	}
	return r.entity.Notification(v), true, nil
}

func (r *renderer) conversation(ctx context.Context, viewer *model.Account, statusID int64) (any, bool, error) {
	v, ok, err := r.social.StreamConversation(ctx, viewer, statusID)
	if err != nil || !ok {
		return nil, false, err
	}
	return r.entity.Conversation(v), true, nil
}

func (r *renderer) announcement(ctx context.Context, viewer *model.Account, id int64) (any, bool, error) {
	v, ok, err := r.social.StreamAnnouncement(ctx, viewer, id)
	if err != nil || !ok {
		return nil, false, err
	}
	return r.entity.Announcements([]*social.AnnouncementView{v})[0], true, nil
}
