package entity

import (
	"fmt"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// TagView renders a hashtag with its history and the viewer's follow and feature flags.
func (r Renderer) TagView(v *social.TagView) Tag {
	out := r.Tag(v.Tag, v.History)
	out.Following, out.Featuring = v.Following, v.Featuring
	return out
}

// TagViews renders a list.
func (r Renderer) TagViews(list []*social.TagView) []Tag {
	out := make([]Tag, len(list))
	for i, v := range list {
		out[i] = r.TagView(v)
	}
	return out
}

// FeaturedTag is Mastodon's FeaturedTag entity.
type FeaturedTag struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	StatusesCount string  `json:"statuses_count"`
	LastStatusAt  *string `json:"last_status_at"`
}

// FeaturedTags renders owner's featured tags; each links to owner's statuses with the tag.
func (r Renderer) FeaturedTags(owner *model.Account, list []*model.FeaturedTag) []FeaturedTag {
	profile := r.Account(owner).URL
	out := make([]FeaturedTag, len(list))
	for i, f := range list {
		out[i] = FeaturedTag{ID: id.Format(f.ID), Name: f.Tag.Name, URL: profile + "/tagged/" + f.Tag.Name,
			StatusesCount: fmt.Sprint(f.StatusesCount), LastStatusAt: dateOnly(f.LastStatusAt)}
	}
	return out
}

// Suggestion is Mastodon's Suggestion entity (v2), with the older single source beside
// the list of sources.
type Suggestion struct {
	Source  string   `json:"source"`
	Sources []string `json:"sources"`
	Account Account  `json:"account"`
}

// legacySource maps a source to the deprecated single value Mastodon still sends.
var legacySource = map[string]string{
	model.SourceFriendsOfFriends: "past_interactions",
	model.SourceMostFollowed:     "global",
}

// Suggestions renders follow suggestions.
func (r Renderer) Suggestions(list []model.Suggestion) []Suggestion {
	out := make([]Suggestion, len(list))
	for i, s := range list {
		out[i] = Suggestion{Source: legacySource[s.Sources[0]], Sources: s.Sources, Account: r.Account(s.Account)}
	}
	return out
}

// Announcement is Mastodon's Announcement entity.
type Announcement struct {
	ID          string      `json:"id"`
	Content     string      `json:"content"`
	StartsAt    *string     `json:"starts_at"`
	EndsAt      *string     `json:"ends_at"`
	AllDay      bool        `json:"all_day"`
	PublishedAt string      `json:"published_at"`
	UpdatedAt   string      `json:"updated_at"`
	Read        bool        `json:"read"`
	Mentions    []any       `json:"mentions"`
	Statuses    []any       `json:"statuses"`
	Tags        []StatusTag `json:"tags"`
	Emojis      []Emoji     `json:"emojis"`
	Reactions   []Reaction  `json:"reactions"`
}

// Reaction is Mastodon's Reaction entity for a unicode emoji.
type Reaction struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
	Me    bool   `json:"me"`
}

// Announcements renders announcements as their reader sees them.
func (r Renderer) Announcements(list []*social.AnnouncementView) []Announcement {
	out := make([]Announcement, len(list))
	for i, a := range list {
		out[i] = Announcement{ID: id.Format(a.ID), Content: a.Content, StartsAt: timestampPtr(a.StartsAt), EndsAt: timestampPtr(a.EndsAt),
			AllDay: a.AllDay, PublishedAt: timestamp(a.PublishedAt), UpdatedAt: timestamp(a.UpdatedAt), Read: a.Read,
			Mentions: []any{}, Statuses: []any{}, Tags: r.tags(a.Tags), Emojis: noEmojis(), Reactions: []Reaction{}}
		for _, re := range a.Reactions {
			out[i].Reactions = append(out[i].Reactions, Reaction{Name: re.Name, Count: re.Count, Me: re.Me})
		}
	}
	return out
}
