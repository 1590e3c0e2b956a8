package entity

import (
	"fmt"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// MediaAttachment is Mastodon's MediaAttachment entity.
type MediaAttachment struct {
	ID               string         `json:"id"`
	Type             string         `json:"type"`
	URL              *string        `json:"url"`
	PreviewURL       *string        `json:"preview_url"`
	RemoteURL        *string        `json:"remote_url"`
	PreviewRemoteURL *string        `json:"preview_remote_url"`
	TextURL          *string        `json:"text_url"`
	Meta             map[string]any `json:"meta"`
	Description      *string        `json:"description"`
	Blurhash         *string        `json:"blurhash"`
}

// MediaAttachment renders an attachment; while it is processed it has no URL yet.
func (r Renderer) MediaAttachment(m *model.MediaAttachment) MediaAttachment {
	out := MediaAttachment{ID: id.Format(m.ID), Type: m.Type, Meta: mediaMeta(m),
		RemoteURL: optional(m.RemoteURL), Description: optional(m.Description), Blurhash: optional(m.Blurhash)}
	if m.FileKey != "" {
		out.URL = optional(r.mediaURL(m.FileKey))
	}
	switch {
	case m.ThumbnailKey != "":
		out.PreviewURL = optional(r.mediaURL(m.ThumbnailKey))
	case m.PreviewKey != "":
		out.PreviewURL = optional(r.mediaURL(m.PreviewKey))
	}
	return out
}

// MediaAttachments renders a status's attachments ([] for none).
func (r Renderer) MediaAttachments(list []*model.MediaAttachment) []MediaAttachment {
	out := make([]MediaAttachment, len(list))
	for i, m := range list {
		out[i] = r.MediaAttachment(m)
	}
	return out
}

// mediaURL is the public URL of a stored object; "" without media storage.
func (r Renderer) mediaURL(key string) string {
	if key == "" || r.Media == nil {
		return ""
	}
	return r.Media.URL(key)
}

// mediaMeta builds Mastodon's meta: sizes with "WxH" and aspect, video and audio
// lengths, and the focal point.
func mediaMeta(m *model.MediaAttachment) map[string]any {
	meta := map[string]any{}
	if o := m.Meta.Original; o != nil {
		meta["original"] = sizeMeta(o)
		if o.Duration > 0 {
			meta["length"] = clock(o.Duration)
			meta["duration"] = o.Duration
		}
		if o.FrameRate != "" {
			meta["fps"] = frameRate(o.FrameRate)
		}
	}
	if s := m.Meta.Small; s != nil {
		meta["small"] = sizeMeta(s)
	}
	if f := m.Meta.Focus; f != nil {
		meta["focus"] = map[string]float64{"x": f.X, "y": f.Y}
	}
	return meta
}

func sizeMeta(s *model.MediaSize) map[string]any {
	out := map[string]any{}
	if s.Width > 0 && s.Height > 0 {
		out["width"], out["height"] = s.Width, s.Height
		out["size"] = fmt.Sprintf("%dx%d", s.Width, s.Height)
		out["aspect"] = float64(s.Width) / float64(s.Height)
	}
	if s.FrameRate != "" {
		out["frame_rate"] = s.FrameRate
	}
	if s.Duration > 0 {
		out["duration"] = s.Duration
	}
	if s.Bitrate > 0 {
		out["bitrate"] = s.Bitrate
	}
	return out
}

// clock renders seconds as Mastodon's "H:MM:SS.ss".
func clock(seconds float64) string {
	h := int(seconds) / 3600
	m := int(seconds) / 60 % 60
	s := seconds - float64(h*3600+m*60)
	return fmt.Sprintf("%d:%02d:%05.2f", h, m, s)
}

// frameRate turns ffprobe's "30000/1001" into whole frames per second.
func frameRate(rate string) int {
	var n, d int
	if _, err := fmt.Sscanf(rate, "%d/%d", &n, &d); err != nil || d == 0 {
		return 0
	}
	return (n + d/2) / d
}

// mediaList renders attachments for the entities that hold them as []any.
func (r Renderer) mediaList(list []*model.MediaAttachment) []any {
	out := make([]any, len(list))
	for i, m := range list {
		out[i] = r.MediaAttachment(m)
	}
	return out
}
