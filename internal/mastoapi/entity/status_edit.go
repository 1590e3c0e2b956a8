package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// StatusEdit is Mastodon's StatusEdit entity: one version of a status.
type StatusEdit struct {
	Content          string          `json:"content"`
	SpoilerText      string          `json:"spoiler_text"`
	Sensitive        bool            `json:"sensitive"`
	CreatedAt        string          `json:"created_at"`
	Account          Account         `json:"account"`
	Poll             *StatusEditPoll `json:"poll,omitempty"`
	MediaAttachments []any           `json:"media_attachments"`
	Emojis           []Emoji         `json:"emojis"`
}

// StatusEditPoll is a version's poll: its options' titles.
type StatusEditPoll struct {
	Options []struct {
		Title string `json:"title"`
	} `json:"options"`
}

// StatusEdits renders a status's versions.
func (r Renderer) StatusEdits(list []*social.EditView) []StatusEdit {
	out := make([]StatusEdit, len(list))
	for i, e := range list {
		out[i] = StatusEdit{Content: e.Content, SpoilerText: e.SpoilerText, Sensitive: e.Sensitive, CreatedAt: timestamp(e.CreatedAt),
			Account: r.Account(e.Account), MediaAttachments: r.mediaList(e.Media), Emojis: noEmojis()}
		if e.PollOptions != nil {
			p := &StatusEditPoll{}
			for _, title := range e.PollOptions {
				p.Options = append(p.Options, struct {
					Title string `json:"title"`
				}{title})
			}
			out[i].Poll = p
		}
	}
	return out
}

// StatusSource is Mastodon's StatusSource entity: what an edit starts from.
type StatusSource struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// Source renders a status's source text.
func (r Renderer) Source(st *model.Status) StatusSource {
	return StatusSource{ID: id.Format(st.ID), Text: st.Text, SpoilerText: st.SpoilerText}
}

// ScheduledStatus is Mastodon's ScheduledStatus entity.
type ScheduledStatus struct {
	ID               string            `json:"id"`
	ScheduledAt      string            `json:"scheduled_at"`
	Params           ScheduledParams   `json:"params"`
	MediaAttachments []MediaAttachment `json:"media_attachments"`
}

// ScheduledParams is what a scheduled status will be posted with.
type ScheduledParams struct {
	Text           string            `json:"text"`
	Poll           *model.PollParams `json:"poll"`
	MediaIDs       []string          `json:"media_ids"`
	Sensitive      bool              `json:"sensitive"`
	SpoilerText    string            `json:"spoiler_text"`
	Visibility     string            `json:"visibility"`
	InReplyToID    *int64            `json:"in_reply_to_id"`
	Language       *string           `json:"language"`
	ApplicationID  *int64            `json:"application_id"`
	ScheduledAt    *string           `json:"scheduled_at"`
	Idempotency    *string           `json:"idempotency"`
	WithRateLimit  bool              `json:"with_rate_limit"`
	QuotedStatusID *string           `json:"quoted_status_id"`
	QuotePolicy    string            `json:"quote_approval_policy"`
}

// ScheduledStatus renders a scheduled status.
func (r Renderer) ScheduledStatus(s *model.ScheduledStatus) ScheduledStatus {
	p := s.Params
	out := ScheduledStatus{ID: id.Format(s.ID), ScheduledAt: timestamp(s.ScheduledAt), MediaAttachments: r.MediaAttachments(s.Media),
		Params: ScheduledParams{Text: p.Text, Poll: p.Poll, Sensitive: p.Sensitive, SpoilerText: p.SpoilerText,
			Visibility: string(p.Visibility), Language: optional(p.Language), ApplicationID: p.ApplicationID,
			Idempotency: optional(p.Idempotency)}}
	if p.InReplyToID != 0 {
		out.Params.InReplyToID = &p.InReplyToID
	}
	if p.QuotedStatusID != 0 {
		out.Params.QuotedStatusID = idPtr(&p.QuotedStatusID)
	}
	out.Params.QuotePolicy = social.QuotePolicyFor(p.Visibility, p.QuotePolicy)
	return out
}

// ScheduledStatuses renders a list.
func (r Renderer) ScheduledStatuses(list []*model.ScheduledStatus) []ScheduledStatus {
	out := make([]ScheduledStatus, len(list))
	for i, s := range list {
		out[i] = r.ScheduledStatus(s)
	}
	return out
}
