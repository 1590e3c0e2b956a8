package social

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/text"
)

// maxAnnouncementText bounds an announcement's text.
const maxAnnouncementText = 5000

// AnnouncementView is an announcement as one member sees it.
type AnnouncementView struct {
	*model.Announcement
	Content   string   // the text as HTML
	Tags      []string // hashtags in the text
	Read      bool
	Reactions []model.Reaction
}

// NewAnnouncement is what an admin writes.
type NewAnnouncement struct {
	Text             string
	StartsAt, EndsAt *time.Time
	AllDay           bool
}

// CreateAnnouncement publishes an announcement to every member.
func (s *Service) CreateAnnouncement(ctx context.Context, n NewAnnouncement) (*model.Announcement, error) {
	n.Text = strings.TrimSpace(n.Text)
	switch {
	case n.Text == "":
		return nil, errors.New("the text is empty")
	case utf8.RuneCountInString(n.Text) > maxAnnouncementText:
		return nil, errors.New("the text is longer than 5000 characters")
	case n.StartsAt != nil && n.EndsAt != nil && !n.EndsAt.After(*n.StartsAt):
		return nil, errors.New("it must end after it starts")
	case n.AllDay && (n.StartsAt == nil || n.EndsAt == nil):
		return nil, errors.New("an all-day announcement needs a start and an end")
	}
	a := &model.Announcement{Text: n.Text, StartsAt: utcPtr(n.StartsAt), EndsAt: utcPtr(n.EndsAt), AllDay: n.AllDay}
	if err := s.Store.Writer().InsertAnnouncement(ctx, a); err != nil {
		return nil, err
	}
	s.streamAnnouncement(a)
	return a, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// AllAnnouncements lists every announcement, for admins.
func (s *Service) AllAnnouncements(ctx context.Context) ([]*model.Announcement, error) {
	return s.Store.AllAnnouncements(ctx)
}

// DeleteAnnouncement removes an announcement.
func (s *Service) DeleteAnnouncement(ctx context.Context, id int64) error {
	if err := s.Store.Writer().DeleteAnnouncement(ctx, id); err != nil {
		return orNotFound(err)
	}
	s.emit(s.Store.Q, Event{Name: EventAnnouncementDelete, AnnouncementID: id}, AnnouncementsChannel)
	return nil
}

// Announcements lists the active announcements with viewer's reads and reactions.
func (s *Service) Announcements(ctx context.Context, viewer *model.Account) ([]*AnnouncementView, error) {
	list, err := s.Store.ActiveAnnouncements(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	read, err := s.Store.ReadAnnouncements(ctx, viewer.ID, ids)
	if err != nil {
		return nil, err
	}
	reactions, err := s.Store.AnnouncementReactions(ctx, viewer.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*AnnouncementView, len(list))
	for i, a := range list {
		_, tags, _ := text.Parse(a.Text)
		out[i] = &AnnouncementView{Announcement: a, Read: read[a.ID], Reactions: reactions[a.ID], Tags: tags,
			Content: text.Format(a.Text, text.Options{TagURL: func(tag string) string { return s.Config.BaseURL() + "/tags/" + tag }})}
	}
	return out, nil
}

// activeAnnouncement loads an announcement members can see now; others are a 404.
func (s *Service) activeAnnouncement(ctx context.Context, id int64) (*model.Announcement, error) {
	a, err := s.Store.AnnouncementByID(ctx, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	now := time.Now()
	if (a.StartsAt != nil && a.StartsAt.After(now)) || (a.EndsAt != nil && !a.EndsAt.After(now)) {
		return nil, ErrNotFound
	}
	return a, nil
}

// DismissAnnouncement marks an announcement read for viewer.
func (s *Service) DismissAnnouncement(ctx context.Context, viewer *model.Account, id int64) error {
	if _, err := s.activeAnnouncement(ctx, id); err != nil {
		return err
	}
	return s.Store.Writer().MarkAnnouncementRead(ctx, id, viewer.ID)
}

// ReactToAnnouncement adds (add=true) or removes viewer's emoji reaction.
func (s *Service) ReactToAnnouncement(ctx context.Context, viewer *model.Account, id int64, name string, add bool) error {
	if _, err := s.activeAnnouncement(ctx, id); err != nil {
		return err
	}
	if !add {
		return s.streamReaction(ctx, id, name, s.Store.Writer().RemoveAnnouncementReaction(ctx, id, viewer.ID, name))
	}
	if !IsUnicodeEmoji(name) {
		// Custom emoji are reactions too once the instance has them; until then every
		// shortcode is unknown.
		return httpx.Unprocessable("Validation failed: Name is not a recognized emoji")
	}
	return s.streamReaction(ctx, id, name, s.Store.Writer().AddAnnouncementReaction(ctx, id, viewer.ID, name))
}
