// Package entity renders tusk's domain values as Mastodon's JSON entities, field for
// field (names, types and nulls as Mastodon 4.x serves them).
package entity

import (
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/id"
)

// Renderer knows the instance's URLs, which every entity needs.
type Renderer struct {
	Config config.Config
	Emojis EmojiSource // custom emoji for :shortcodes:; nil renders none
	Media  *blob.Media // where media objects are served; nil renders no local media URLs
}

// timestamp renders a time as Mastodon does: UTC with milliseconds.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func timestampPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timestamp(*t)
	return &s
}

func idPtr(v *int64) *string {
	if v == nil {
		return nil
	}
	s := id.Format(*v)
	return &s
}

// Emoji is Mastodon's CustomEmoji entity.
type Emoji struct {
	Shortcode       string `json:"shortcode"`
	URL             string `json:"url"`
	StaticURL       string `json:"static_url"`
	VisibleInPicker bool   `json:"visible_in_picker"`
	Category        string `json:"category,omitempty"`
}

func noEmojis() []Emoji { return []Emoji{} }
