package model

import "time"

// Card types, as Mastodon names them.
const (
	CardLink  = "link"
	CardPhoto = "photo"
	CardVideo = "video"
)

// TrendLink is the trends kind of links: its target is a preview card.
const TrendLink = "link"

// PreviewCard is what a linked page says about itself (OpenGraph, Twitter cards,
// <title>), fetched once per URL and shared by every status that links it.
type PreviewCard struct {
	ID                        int64
	URL                       string
	Title, Description        string
	Type                      string
	AuthorName, AuthorURL     string
	ProviderName, ProviderURL string
	ImageURL                  string // the remote image, as the page names it
	ImageDescription          string
	Width, Height             int
	Language                  string
	PublishedAt               *time.Time
	FetchedAt                 time.Time
}

// TrendingLink is a card with its use over the last days, newest day first.
type TrendingLink struct {
	*PreviewCard
	History []TagDay
}
