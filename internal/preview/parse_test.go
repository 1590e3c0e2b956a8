package preview

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tuskhq/tusk/internal/model"
)

func TestParse(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://news.example/articles/1")
	published := time.Date(2026, 11, 2, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name, html string
		want       model.PreviewCard
	}{
		{"opengraph", `<!doctype html><html lang="en-GB"><head><title>Ignored &amp; plain</title>
			<meta property="og:title" content="Tusks &amp; trunks">
			<meta property="og:description" content="  All about   elephants. ">
			<meta property="og:site_name" content="News">
			<meta property="og:image" content="/img/e.jpg"><meta property="og:image:width" content="1200">
			<meta property="og:image:height" content="630"><meta property="og:image:alt" content="An elephant">
			<meta property="article:published_time" content="2026-11-02T11:30:00+01:00">
			<meta property="article:author" content="https://news.example/staff/ann"><meta name="author" content="Ann">
			</head><body><meta property="og:title" content="after the head"></body></html>`,
			model.PreviewCard{Type: "link", Title: "Tusks & trunks", Description: "All about elephants.", ProviderName: "News",
				ImageURL: "https://news.example/img/e.jpg", Width: 1200, Height: 630, ImageDescription: "An elephant",
				AuthorName: "Ann", AuthorURL: "https://news.example/staff/ann", Language: "en", PublishedAt: &published}},
		{"twitter card", `<head><meta name="twitter:title" content="Tweeted"><meta name="twitter:description" content="D">
			<meta name="twitter:image" content="https://cdn.example/x.png"><meta property="og:locale" content="fr_FR">`,
			model.PreviewCard{Type: "link", Title: "Tweeted", Description: "D", ImageURL: "https://cdn.example/x.png", Language: "fr"}},
		{"title and description only", `<html><head><title>
			Plain &lt;page&gt; </title><meta name="description" content="Desc"></head>`,
			model.PreviewCard{Type: "link", Title: "Plain <page>", Description: "Desc"}},
		{"hostile values", `<head><meta property="og:title" content="` + strings.Repeat("x", 400) + `">
			<meta property="og:image" content="javascript:alert(1)"><meta property="og:image:width" content="-5">
			<meta property="article:published_time" content="yesterday"><html lang="not a language">`,
			model.PreviewCard{Type: "link", Title: strings.Repeat("x", 255)}},
		{"nothing", `<p>no head at all`, model.PreviewCard{Type: "link"}},
	}
	for _, tt := range tests {
		got := Parse(strings.NewReader(tt.html), base)
		if diff := cmp.Diff(&tt.want, got); diff != "" {
			t.Errorf("%s: Parse (-want +got):\n%s", tt.name, diff)
		}
	}
}
