package preview

import (
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/tuskhq/tusk/internal/model"
)

// Limits on what a page may put in a card, as Mastodon's column sizes bound them.
const (
	maxTitle       = 255
	maxDescription = 1000
	maxName        = 255
	maxURL         = 2048
)

// page is what the tokenizer collected: meta tags by property or name (first wins),
// the <title> text and the <html lang>.
type page struct {
	meta  map[string]string
	title string
	lang  string
}

// Parse reads a page's metadata into a card; base resolves relative URLs. URL and
// FetchedAt are the caller's.
func Parse(r io.Reader, base *url.URL) *model.PreviewCard {
	p := scan(r)
	c := &model.PreviewCard{Type: model.CardLink}
	c.Title = clip(p.first("og:title", "twitter:title", "<title>"), maxTitle)
	c.Description = clip(p.first("og:description", "twitter:description", "description"), maxDescription)
	c.ProviderName = clip(p.first("og:site_name", "application-name"), maxName)
	c.ImageURL = absolute(base, p.first("og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"))
	c.ImageDescription = clip(p.first("og:image:alt", "twitter:image:alt"), maxDescription)
	if c.ImageURL != "" {
		c.Width, c.Height = dimension(p.meta["og:image:width"]), dimension(p.meta["og:image:height"])
	}
	c.AuthorName, c.AuthorURL = author(p, base)
	c.Language = language(p.first("<lang>", "og:locale"))
	if t, err := time.Parse(time.RFC3339, p.first("article:published_time", "og:published_time", "datePublished")); err == nil {
		t = t.UTC()
		c.PublishedAt = &t
	}
	return c
}

// scan tokenizes up to </head> (or the first <body> content), which is where metadata lives.
func scan(r io.Reader) page {
	p := page{meta: map[string]string{}}
	z := html.NewTokenizer(r)
	inTitle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return p
		case html.TextToken:
			if inTitle && p.title == "" {
				p.title = string(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = false
			case atom.Head:
				return p
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Html:
				p.lang = attrs(z, hasAttr)["lang"]
			case atom.Title:
				inTitle = tt == html.StartTagToken
			case atom.Meta:
				p.addMeta(attrs(z, hasAttr))
			case atom.Body:
				return p
			}
		}
	}
}

func attrs(z *html.Tokenizer, more bool) map[string]string {
	out := map[string]string{}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		out[strings.ToLower(string(k))] = string(v)
	}
	return out
}

// addMeta records <meta property=… content=…> (OpenGraph) and <meta name=…> (Twitter,
// description, author), keeping the first of each key.
func (p *page) addMeta(a map[string]string) {
	content, ok := a["content"]
	if !ok {
		return
	}
	for _, key := range []string{a["property"], a["name"], a["itemprop"]} {
		key = strings.ToLower(strings.TrimSpace(key))
		if _, seen := p.meta[key]; key != "" && !seen {
			p.meta[key] = strings.TrimSpace(content)
		}
	}
}

// first returns the first non-empty value among keys; "<title>" and "<lang>" name the
// page's title and language.
func (p page) first(keys ...string) string {
	for _, k := range keys {
		v := p.meta[k]
		switch k {
		case "<title>":
			v = p.title
		case "<lang>":
			v = p.lang
		}
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// author reads a name and a profile link: article:author is often a URL, sometimes a name.
func author(p page, base *url.URL) (name, link string) {
	name = p.first("author", "twitter:creator", "article:author")
	if u := absolute(base, p.meta["article:author"]); u != "" && strings.HasPrefix(p.meta["article:author"], "http") {
		link = u
		if name == p.meta["article:author"] {
			name = p.first("author", "twitter:creator")
		}
	}
	return clip(name, maxName), link
}

// absolute resolves ref against base, keeping only http(s) URLs of sane length.
func absolute(base *url.URL, ref string) string {
	if ref == "" || len(ref) > maxURL || strings.ContainsAny(ref, "\r\n") {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func dimension(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 100000 {
		return 0
	}
	return n
}

// language turns "en-GB" or OpenGraph's "en_GB" into the ISO 639 code Mastodon shows.
func language(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, "-_"); i >= 0 {
		v = v[:i]
	}
	if len(v) < 2 || len(v) > 3 || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz") != "" {
		return ""
	}
	return v
}
