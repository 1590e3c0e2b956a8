package text

import (
	"strings"

	"golang.org/x/net/html"
)

// PlainText turns status HTML back into plain text (for search indexing and
// for notification or e-mail text): <br> becomes a newline, paragraphs and
// other blocks are separated by a blank line, list items by a newline, tags
// are stripped and entities unescaped. Script and style contents are dropped.
func PlainText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var w plainWriter
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			w.text(string(z.Text()))
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			w.tag(string(name), true)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.tag(string(name), false)
		}
	}
}

// plainWriter collects text, holding back line breaks until more text
// follows so that none are left dangling at either end.
type plainWriter struct {
	b       strings.Builder
	pending string // line breaks to write before the next text
	skip    bool   // inside script or style
}

func (w *plainWriter) tag(name string, start bool) {
	switch name {
	case "script", "style":
		w.skip = start
	case "br":
		if start {
			w.pending += "\n"
		}
	case "li":
		w.breakAtLeast("\n")
	case "p", "div", "blockquote", "pre", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6":
		w.breakAtLeast("\n\n")
	}
}

func (w *plainWriter) breakAtLeast(br string) {
	if len(w.pending) < len(br) {
		w.pending = br
	}
}

// text writes t after any pending breaks. White space next to a break, as in
// "<p>a</p>\n<p>b</p>", is layout and is dropped.
func (w *plainWriter) text(t string) {
	blank := strings.TrimSpace(t) == ""
	switch {
	case w.skip, t == "":
		return
	case blank && (w.b.Len() == 0 || w.pending != ""):
		return
	case w.b.Len() > 0:
		w.b.WriteString(w.pending)
	}
	w.pending = ""
	w.b.WriteString(t)
}
