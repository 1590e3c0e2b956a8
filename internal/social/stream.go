package social

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Event names, as Mastodon's streaming API sends them; EventSessionEnded is tusk's own
// and never leaves the server: it closes the streams of a token that may no longer read.
const (
	EventUpdate               = "update"
	EventDelete               = "delete"
	EventStatusUpdate         = "status.update"
	EventNotification         = "notification"
	EventConversation         = "conversation"
	EventFiltersChanged       = "filters_changed"
	EventAnnouncement         = "announcement"
	EventAnnouncementReaction = "announcement.reaction"
	EventAnnouncementDelete   = "announcement.delete"
	EventNotificationsMerged  = "notifications_merged"
	EventSessionEnded         = "session.ended"
)

// Event is what the domain publishes on the bus for live streams: the ids an event names
// and nothing rendered, because what a subscriber sees depends on who they are.
type Event struct {
	Name           string `json:"event"`
	StatusID       int64  `json:"status_id,string,omitempty"`
	NotificationID int64  `json:"notification_id,string,omitempty"`
	AnnouncementID int64  `json:"announcement_id,string,omitempty"`
	Reaction       string `json:"reaction,omitempty"` // announcement.reaction: the emoji
	Count          int    `json:"count,omitempty"`    // announcement.reaction: how many now
}

// Bus channels. A user's stream listens on UserChannel (home updates, notifications,
// filter changes) and AnnouncementsChannel; the others carry one timeline each.
const (
	PublicChannel        = "timeline:public"
	PublicLocalChannel   = "timeline:public:local"
	PublicRemoteChannel  = "timeline:public:remote"
	AnnouncementsChannel = "timeline:announcements"
)

// UserChannel carries accountID's home updates, notifications and filter changes.
func UserChannel(accountID int64) string { return fmt.Sprintf("timeline:%d", accountID) }

// DirectChannel carries accountID's conversation updates.
func DirectChannel(accountID int64) string { return fmt.Sprintf("timeline:direct:%d", accountID) }

// ListChannel carries the statuses that may enter a list.
func ListChannel(listID int64) string { return fmt.Sprintf("timeline:list:%d", listID) }

// HashtagChannel carries public statuses with the tag (lowercase); local ones only when local.
func HashtagChannel(tag string, local bool) string {
	if local {
		return "timeline:hashtag:" + strings.ToLower(tag) + ":local"
	}
	return "timeline:hashtag:" + strings.ToLower(tag)
}

// TokenChannel says when a token's sessions end.
func TokenChannel(tokenID int64) string { return fmt.Sprintf("session:token:%d", tokenID) }

// AccountSessionsChannel says when every session of an account ends.
func AccountSessionsChannel(accountID int64) string {
	return fmt.Sprintf("session:account:%d", accountID)
}

// listenerCounter is the optional side of a bus that knows its local subscribers; the
// in-process bus does, so that no recipient work is done for nobody.
type listenerCounter interface{ Subscribers(channel string) int }

// emit sends ev on channels once q's transaction commits. A failed publish loses a
// live event, never data: clients catch up through the REST timelines.
func (s *Service) emit(q store.Q, ev Event, channels ...string) {
	if s.Bus == nil || len(channels) == 0 {
		return
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return
	}
	q.AfterCommit(func() {
		for _, ch := range channels {
			if err := s.Bus.Publish(context.Background(), ch, payload); err != nil {
				s.Log.Warn("streaming: publish", "channel", ch, "event", ev.Name, "err", err)
			}
		}
	})
}

// listened keeps the channels someone listens to, when the bus can tell.
func (s *Service) listened(channels []string) []string {
	lc, ok := s.Bus.(listenerCounter)
	if !ok {
		return channels
	}
	out := channels[:0]
	for _, ch := range channels {
		if lc.Subscribers(ch) > 0 {
			out = append(out, ch)
		}
	}
	return out
}

// streamStatus publishes an update, status.update or delete of st on every channel whose
// timeline may show it; each subscriber then applies its timeline's own rule.
func (s *Service) streamStatus(ctx context.Context, q store.Q, st *model.Status, name string) error {
	return s.streamTagged(ctx, q, st, name, func() ([]string, error) {
		tags, err := q.TagNames(ctx, []int64{st.ID})
		return tags[st.ID], err
	})
}

// streamNewStatus is streamStatus for a status just stored with tags (lower-case, each
// once, as text.Parse and federation's readTags make them): no need to read them back.
func (s *Service) streamNewStatus(ctx context.Context, q store.Q, st *model.Status, tags []string) error {
	return s.streamTagged(ctx, q, st, EventUpdate, func() ([]string, error) { return tags, nil })
}

func (s *Service) streamTagged(ctx context.Context, q store.Q, st *model.Status, name string, tags func() ([]string, error)) error {
	if s.Bus == nil {
		return nil
	}
	channels, err := s.statusChannels(ctx, q, st, tags)
	if err != nil {
		return err
	}
	s.emit(q, Event{Name: name, StatusID: st.ID}, s.listened(channels)...)
	return nil
}

// statusChannels lists the channels whose timelines may show st; tags gives its
// hashtags' names, each once.
func (s *Service) statusChannels(ctx context.Context, q store.Q, st *model.Status, tags func() ([]string, error)) ([]string, error) {
	var channels []string
	if st.Visibility == model.Public && st.ReblogOfID == nil {
		channels = append(channels, PublicChannel, PublicRemoteChannel)
		if st.Local {
			channels[1] = PublicLocalChannel
		}
		names, err := tags()
		if err != nil {
			return nil, err
		}
		for _, tag := range names {
			channels = append(channels, HashtagChannel(tag, false))
			if st.Local {
				channels = append(channels, HashtagChannel(tag, true))
			}
		}
	}
	homes, err := q.HomeCandidates(ctx, st)
	if err != nil {
		return nil, err
	}
	for _, a := range homes {
		channels = append(channels, UserChannel(a))
	}
	lists, err := q.ListsWithMember(ctx, st.AccountID)
	for _, l := range lists {
		channels = append(channels, ListChannel(l))
	}
	return channels, err
}

// streamNotification tells the recipient's user stream about a new notification; those
// the recipient's policy holds back wait in notification requests instead.
func (s *Service) streamNotification(q store.Q, n *model.Notification) {
	if !n.Filtered {
		s.emit(q, Event{Name: EventNotification, NotificationID: n.ID}, UserChannel(n.AccountID))
	}
}

// streamConversation tells each owner's direct stream that st joined their conversation.
func (s *Service) streamConversation(q store.Q, st *model.Status, owners []int64) {
	for _, owner := range owners {
		s.emit(q, Event{Name: EventConversation, StatusID: st.ID}, DirectChannel(owner))
	}
}

// filtersChanged tells accountID's user streams that its filters changed, when err is nil.
func (s *Service) filtersChanged(accountID int64, err error) error {
	if err == nil {
		s.emit(s.Store.Q, Event{Name: EventFiltersChanged}, UserChannel(accountID))
	}
	return err
}

// EndSessions closes, at once, the open streams of a token (tokenID > 0) or of every
// token of an account (accountID > 0). Callers run it once the change is committed.
func (s *Service) EndSessions(tokenID, accountID int64) {
	var channels []string
	if tokenID > 0 {
		channels = append(channels, TokenChannel(tokenID))
	}
	if accountID > 0 {
		channels = append(channels, AccountSessionsChannel(accountID))
	}
	s.emit(s.Store.Q, Event{Name: EventSessionEnded}, channels...)
}

// streamAnnouncement tells every user stream of a new announcement that is already on
// show; one that starts later is listed by the REST API once it starts.
func (s *Service) streamAnnouncement(a *model.Announcement) {
	if _, err := s.activeAnnouncement(context.Background(), a.ID); err == nil {
		s.emit(s.Store.Q, Event{Name: EventAnnouncement, AnnouncementID: a.ID}, AnnouncementsChannel)
	}
}

// streamReaction tells every user stream an announcement's count of one reaction, once
// the change (err == nil) is made.
func (s *Service) streamReaction(ctx context.Context, announcementID int64, name string, err error) error {
	if err != nil || s.Bus == nil {
		return err
	}
	reactions, err := s.Store.AnnouncementReactions(ctx, 0, []int64{announcementID})
	if err != nil {
		return err
	}
	ev := Event{Name: EventAnnouncementReaction, AnnouncementID: announcementID, Reaction: name}
	for _, r := range reactions[announcementID] {
		if r.Name == name {
			ev.Count = int(r.Count)
		}
	}
	s.emit(s.Store.Q, ev, AnnouncementsChannel)
	return nil
}
