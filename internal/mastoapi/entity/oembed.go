package entity

import (
	"html"
	"strconv"

	"github.com/tuskhq/tusk/internal/social"
)

// OEmbed is the oEmbed "rich" response for a status.
type OEmbed struct {
	Type         string `json:"type"`
	Version      string `json:"version"`
	Title        string `json:"title"`
	AuthorName   string `json:"author_name"`
	AuthorURL    string `json:"author_url"`
	ProviderName string `json:"provider_name"`
	ProviderURL  string `json:"provider_url"`
	CacheAge     int    `json:"cache_age"`
	HTML         string `json:"html"`
	Width        int    `json:"width"`
	Height       *int   `json:"height"`
}

// oembedCacheAge is how long (seconds) consumers may keep an embed: a day, as Mastodon.
const oembedCacheAge = 86400

// OEmbed renders a status as a self-contained quotation of it, width wide: its text
// (behind its content warning, if it has one), its author and a link to the original.
func (r Renderer) OEmbed(v *social.StatusView, width int) OEmbed {
	acc := r.Account(v.Account)
	name := acc.DisplayName
	if name == "" {
		name = acc.Username
	}
	body := v.Content
	if v.SpoilerText != "" {
		body = "<details><summary>" + html.EscapeString(v.SpoilerText) + "</summary>" + v.Content + "</details>"
	}
	markup := `<blockquote class="mastodon-embed" data-embed-url="` + html.EscapeString(v.URL) + `" style="max-width: ` +
		strconv.Itoa(width) + `px; margin: 0 auto;">` + body + `<p>&mdash; <a href="` + html.EscapeString(acc.URL) + `">` +
		html.EscapeString(name) + ` (@` + html.EscapeString(acc.Acct) + `@` + html.EscapeString(r.Config.LocalDomain) +
		`)</a> <a href="` + html.EscapeString(v.URL) + `">` + timestamp(v.CreatedAt) + `</a></p></blockquote>`
	return OEmbed{Type: "rich", Version: "1.0", Title: "New status by " + acc.Username, AuthorName: name,
		AuthorURL: acc.URL, ProviderName: r.Config.LocalDomain, ProviderURL: r.Config.BaseURL() + "/",
		CacheAge: oembedCacheAge, HTML: markup, Width: width}
}
