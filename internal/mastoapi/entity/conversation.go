package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Conversation is Mastodon's Conversation entity.
type Conversation struct {
	ID         string    `json:"id"`
	Unread     bool      `json:"unread"`
	Accounts   []Account `json:"accounts"`
	LastStatus *Status   `json:"last_status"`
}

// Conversation renders a conversation.
func (r Renderer) Conversation(v *social.ConversationView) Conversation {
	out := Conversation{ID: id.Format(v.ID), Unread: v.Unread, Accounts: r.Accounts(v.Accounts)}
	if v.LastStatus != nil {
		st := r.Status(v.LastStatus, true)
		out.LastStatus = &st
	}
	return out
}

// Conversations renders a list.
func (r Renderer) Conversations(list []*social.ConversationView) []Conversation {
	out := make([]Conversation, len(list))
	for i, v := range list {
		out[i] = r.Conversation(v)
	}
	return out
}

// Marker is Mastodon's Marker entity.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int64  `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

// Markers renders markers keyed by timeline.
func (r Renderer) Markers(markers map[string]*model.Marker) map[string]Marker {
	out := make(map[string]Marker, len(markers))
	for name, m := range markers {
		out[name] = Marker{LastReadID: id.Format(m.LastReadID), Version: m.Version, UpdatedAt: timestamp(m.UpdatedAt)}
	}
	return out
}

// Preferences renders a member's preferences under Mastodon's colon-separated keys.
func (r Renderer) Preferences(p *social.Preferences) map[string]any {
	var language *string
	if p.User.DefaultLanguage != "" {
		language = &p.User.DefaultLanguage
	}
	return map[string]any{
		"posting:default:visibility": string(p.User.DefaultVisibility),
		"posting:default:sensitive":  p.User.DefaultSensitive,
		"posting:default:language":   language,
		"reading:expand:media":       p.Reading.ExpandMedia,
		"reading:expand:spoilers":    p.Reading.ExpandSpoilers,
		"reading:autoplay:gifs":      p.Reading.AutoplayGifs,
	}
}
