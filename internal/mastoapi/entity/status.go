package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Status is Mastodon's Status entity.
type Status struct {
	ID                 string       `json:"id"`
	URI                string       `json:"uri"`
	URL                *string      `json:"url"`
	Account            Account      `json:"account"`
	InReplyToID        *string      `json:"in_reply_to_id"`
	InReplyToAccountID *string      `json:"in_reply_to_account_id"`
	Reblog             *Status      `json:"reblog"`
	Content            string       `json:"content"`
	Text               *string      `json:"text,omitempty"`
	CreatedAt          string       `json:"created_at"`
	EditedAt           *string      `json:"edited_at"`
	Emojis             []Emoji      `json:"emojis"`
	RepliesCount       int64        `json:"replies_count"`
	ReblogsCount       int64        `json:"reblogs_count"`
	FavouritesCount    int64        `json:"favourites_count"`
	QuotesCount        int64        `json:"quotes_count"`
	Reblogged          *bool        `json:"reblogged,omitempty"`
	Favourited         *bool        `json:"favourited,omitempty"`
	Bookmarked         *bool        `json:"bookmarked,omitempty"`
	Muted              *bool        `json:"muted,omitempty"`
	Pinned             *bool        `json:"pinned,omitempty"`
	Sensitive          bool         `json:"sensitive"`
	SpoilerText        string       `json:"spoiler_text"`
	Visibility         string       `json:"visibility"`
	MediaAttachments   []any        `json:"media_attachments"`
	Mentions           []Mention    `json:"mentions"`
	Tags               []StatusTag  `json:"tags"`
	Card               *PreviewCard `json:"card"`
	Poll               *Poll        `json:"poll"`
	Application        *Application `json:"application,omitempty"`
	Language           *string      `json:"language"`
	Quote              any          `json:"quote"` // *Quote, or *ShallowQuote inside a quote
	QuoteApproval      *QuotePolicy `json:"quote_approval"`

	// Filtered is, for a signed-in viewer, their filters that match in the listing's context
	// ([] when none does); anonymous viewers get no such key.
	Filtered *[]FilterResult `json:"filtered,omitempty"`
}

// Mention is a status's mention of an account.
type Mention struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	URL      string `json:"url"`
	Acct     string `json:"acct"`
}

// StatusTag is a status's hashtag.
type StatusTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Application names the app a status was posted with.
type Application struct {
	Name    string  `json:"name"`
	Website *string `json:"website"`
}

// Status renders a hydrated status; signedIn adds the viewer-specific fields.
func (r Renderer) Status(v *social.StatusView, signedIn bool) Status {
	st := v.Status
	out := Status{
		ID: id.Format(st.ID), URI: st.URI, Account: r.Account(v.Account),
		InReplyToID: idPtr(st.InReplyToID), InReplyToAccountID: idPtr(st.InReplyToAccountID),
		Content: st.Content, CreatedAt: timestamp(st.CreatedAt), EditedAt: timestampPtr(st.EditedAt),
		Emojis: r.emojisIn(st.Local, st.SpoilerText, st.Content), RepliesCount: st.RepliesCount, ReblogsCount: st.ReblogsCount, FavouritesCount: st.FavouritesCount,
		Sensitive: st.Sensitive, SpoilerText: st.SpoilerText, Visibility: string(st.Visibility),
		MediaAttachments: r.mediaList(v.Media), Mentions: r.mentions(v.Mentions), Tags: r.tags(v.Tags), Language: st.Language,
	}
	out.Card = r.Card(v.Card)
	if st.URL != "" {
		out.URL = &st.URL
	}
	if v.Reblog != nil {
		reblog := r.Status(v.Reblog, signedIn)
		out.Reblog = &reblog
		out.Content, out.Mentions, out.Tags = "", []Mention{}, []StatusTag{}
		out.MediaAttachments = []any{}
	}
	r.quoteFields(&out, v, signedIn)
	if v.Poll != nil {
		poll := r.Poll(v.Poll, signedIn)
		out.Poll = &poll
	}
	if v.App != nil && v.Reblog == nil {
		out.Application = &Application{Name: v.App.Name, Website: optional(v.App.Website)}
	}
	if signedIn {
		r.viewerFields(&out, v)
	}
	return out
}

func (r Renderer) viewerFields(out *Status, v *social.StatusView) {
	f, rb, b, m, p := v.Favourited, v.Reblogged, v.Bookmarked, v.Muted, v.Pinned
	out.Favourited, out.Reblogged, out.Bookmarked, out.Muted, out.Pinned = &f, &rb, &b, &m, &p
	filtered := r.FilterResults(v.Filtered)
	out.Filtered = &filtered
}

// Statuses renders a list.
func (r Renderer) Statuses(list []*social.StatusView, signedIn bool) []Status {
	out := make([]Status, len(list))
	for i, v := range list {
		out[i] = r.Status(v, signedIn)
	}
	return out
}

// Source renders a status with its source text (the response to DELETE, for redrafting).
func (r Renderer) WithSource(v *social.StatusView, signedIn bool) Status {
	out := r.Status(v, signedIn)
	text := v.Text
	out.Text = &text
	return out
}

func (r Renderer) mentions(list []*model.Account) []Mention {
	out := make([]Mention, len(list))
	for i, a := range list {
		acc := r.Account(a)
		out[i] = Mention{ID: acc.ID, Username: a.Username, URL: acc.URL, Acct: a.Acct()}
	}
	return out
}

func (r Renderer) tags(names []string) []StatusTag {
	out := make([]StatusTag, len(names))
	for i, n := range names {
		out[i] = StatusTag{Name: n, URL: r.Config.BaseURL() + "/tags/" + n}
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
