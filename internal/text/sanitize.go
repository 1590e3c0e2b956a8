package text

import (
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// linkSchemes are the URL schemes Mastodon keeps in links from remote servers.
var linkSchemes = []string{"http", "https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "xmpp", "magnet", "gemini"}

// allowedClasses are the class names kept on a and span elements: those
// Mastodon itself uses for mentions, hashtags and shortened links.
var allowedClasses = []string{"h-card", "invisible", "ellipsis", "mention", "hashtag", "u-url"}

var remotePolicy = newRemotePolicy()

// newRemotePolicy builds the allow-list. Class names are filtered one by one
// afterwards, which bluemonday cannot do, so here any token list passes.
func newRemotePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes(linkSchemes...)
	p.RequireParseableURLs(true)
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^[\w\s-]*$`)).OnElements("a", "span")
	p.AllowAttrs("translate").Matching(regexp.MustCompile(`^(?i:yes|no)$`)).OnElements("a", "span")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^-?[0-9]+$`)).OnElements("ol")
	p.AllowAttrs("reversed").Matching(regexp.MustCompile(`^(?i:reversed)?$`)).OnElements("ol")
	p.AllowAttrs("value").Matching(regexp.MustCompile(`^-?[0-9]+$`)).OnElements("li")
	return p
}

// Sanitize cleans HTML from remote servers (or any untrusted HTML) to
// Mastodon's allow-list. Disallowed elements are dropped but their text kept,
// except script, style and embedded content, which go entirely. Links get
// rel="nofollow noopener" and target="_blank", unknown classes are stripped
// and unclosed tags are closed.
func Sanitize(s string) string {
	clean := remotePolicy.Sanitize(s)
	context := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(clean), context)
	if err != nil {
		return html.EscapeString(clean) // not expected: the input was already sanitized
	}
	var b strings.Builder
	for _, n := range nodes {
		fixAttributes(n)
		if err := html.Render(&b, n); err != nil {
			return ""
		}
	}
	return b.String()
}

// fixAttributes filters class names and sets the link attributes on n and its
// descendants.
func fixAttributes(n *html.Node) {
	for d := range n.Descendants() {
		fixElement(d)
	}
	fixElement(n)
}

func fixElement(n *html.Node) {
	if n.Type != html.ElementNode || (n.DataAtom != atom.A && n.DataAtom != atom.Span) {
		return
	}
	n.Attr = filterClasses(n.Attr)
	if n.DataAtom == atom.A && hasAttr(n, "href") {
		n.Attr = append(n.Attr,
			html.Attribute{Key: "rel", Val: "nofollow noopener"},
			html.Attribute{Key: "target", Val: "_blank"})
	}
}

// filterClasses keeps only the allowed class names, dropping the class
// attribute when none remain.
func filterClasses(attrs []html.Attribute) []html.Attribute {
	out := attrs[:0]
	for _, a := range attrs {
		if a.Key == "class" {
			a.Val = strings.Join(slices.DeleteFunc(strings.Fields(a.Val), func(c string) bool {
				return !slices.Contains(allowedClasses, c)
			}), " ")
			if a.Val == "" {
				continue
			}
		}
		out = append(out, a)
	}
	return out
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}
