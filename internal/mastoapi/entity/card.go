package entity

import (
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
)

// PreviewCard is Mastodon's PreviewCard entity: what a linked page says about itself.
type PreviewCard struct {
	URL              string       `json:"url"`
	Title            string       `json:"title"`
	Description      string       `json:"description"`
	Type             string       `json:"type"`
	Authors          []CardAuthor `json:"authors"`
	AuthorName       string       `json:"author_name"`
	AuthorURL        string       `json:"author_url"`
	ProviderName     string       `json:"provider_name"`
	ProviderURL      string       `json:"provider_url"`
	HTML             string       `json:"html"`
	Width            int          `json:"width"`
	Height           int          `json:"height"`
	Image            *string      `json:"image"`
	ImageDescription string       `json:"image_description"`
	EmbedURL         string       `json:"embed_url"`
	Blurhash         *string      `json:"blurhash"`
	PublishedAt      *string      `json:"published_at"`
	Language         *string      `json:"language"`
}

// CardAuthor is one author of a linked page; Account stays null until fediverse
// creator attribution lands.
type CardAuthor struct {
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Account *Account `json:"account"`
}

// TrendsLink is Mastodon's TrendsLink: a card with its use over the last week.
type TrendsLink struct {
	PreviewCard
	History []TagHistory `json:"history"`
}

// Card renders a preview card; nil stays nil (the status has none, or not yet).
func (r Renderer) Card(c *model.PreviewCard) *PreviewCard {
	if c == nil {
		return nil
	}
	out := &PreviewCard{URL: c.URL, Title: c.Title, Description: c.Description, Type: c.Type, Authors: []CardAuthor{},
		AuthorName: c.AuthorName, AuthorURL: c.AuthorURL, ProviderName: c.ProviderName, ProviderURL: c.ProviderURL,
		Width: c.Width, Height: c.Height, Image: optional(c.ImageURL), ImageDescription: c.ImageDescription,
		PublishedAt: timestampPtr(c.PublishedAt), Language: optional(c.Language)}
	if c.AuthorName != "" || c.AuthorURL != "" {
		out.Authors = append(out.Authors, CardAuthor{Name: c.AuthorName, URL: c.AuthorURL})
	}
	return out
}

// TrendsLinks renders trending links.
func (r Renderer) TrendsLinks(list []*model.TrendingLink) []TrendsLink {
	out := make([]TrendsLink, len(list))
	for i, l := range list {
		out[i] = TrendsLink{PreviewCard: *r.Card(l.PreviewCard), History: make([]TagHistory, len(l.History))}
		for j, d := range l.History {
			out[i].History[j] = TagHistory{Day: fmt.Sprint(d.Day.Unix()), Uses: fmt.Sprint(d.Uses), Accounts: fmt.Sprint(d.Accounts)}
		}
	}
	return out
}
