package text

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Options for Format.
type Options struct {
	// ResolveMention returns the account for a mention, ok=false when unknown
	// (then the text stays plain, not linked). Nil leaves all mentions plain.
	ResolveMention func(m Mention) (ResolvedMention, bool)
	// TagURL returns the URL of a hashtag page, e.g.
	// https://example.com/tags/foo, given the lower-cased tag name. Nil leaves
	// all hashtags plain.
	TagURL func(tag string) string
}

// urlDisplayLength is how many characters of a URL (after its scheme) are
// shown before the rest is hidden behind an ellipsis.
const urlDisplayLength = 30

var (
	paragraphBreak = regexp.MustCompile(`\n{2,}`)
	escaper        = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	newlines       = strings.NewReplacer("\r\n", "\n", "\r", "\n")
)

func escape(s string) string { return escaper.Replace(s) }

// Format renders plain text to HTML: paragraphs (<p>) split on blank lines,
// <br /> for single newlines, HTML-escaped text, linkified http(s) URLs,
// mentions and hashtags, all as Mastodon renders them. Leading and trailing
// white space is dropped, and blank text renders as "".
func Format(s string, o Options) string {
	s = strings.TrimSpace(newlines.Replace(s))
	if s == "" {
		return ""
	}
	f := newFormatter(s, o)
	var b strings.Builder
	for _, para := range paragraphBreak.Split(s, -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br />")
			}
			f.writeLine(&b, line)
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// formatter renders the lines of one status.
type formatter struct {
	tagURL func(string) string
	// accounts maps Mention.key to the resolved account; unknown ones are absent.
	accounts map[string]ResolvedMention
	// usernames counts the distinct accounts mentioned per lower-cased username.
	usernames map[string]int
}

// newFormatter resolves every mention in s up front, so each is looked up
// once and clashing usernames are known before rendering.
func newFormatter(s string, o Options) *formatter {
	f := &formatter{tagURL: o.TagURL, accounts: make(map[string]ResolvedMention), usernames: make(map[string]int)}
	if o.ResolveMention == nil {
		return f
	}
	mentions, _, _ := Parse(s)
	seen := make(map[string]bool)
	for _, m := range mentions {
		acc, ok := o.ResolveMention(m)
		if !ok {
			continue
		}
		f.accounts[m.key()] = acc
		if acct := strings.ToLower(acc.Acct); !seen[acct] {
			seen[acct] = true
			f.usernames[strings.ToLower(acc.Username)]++
		}
	}
	return f
}

// writeLine writes one line of text with its entities linked. Entities never
// span lines, so lines can be handled on their own.
func (f *formatter) writeLine(b *strings.Builder, line string) {
	pos := 0
	for _, e := range extract(line) {
		b.WriteString(escape(line[pos:e.start]))
		b.WriteString(f.render(e))
		pos = e.end
	}
	b.WriteString(escape(line[pos:]))
}

// render returns the HTML for one entity, or its escaped text when it is not
// to be linked.
func (f *formatter) render(e entity) string {
	switch e.kind {
	case kindURL:
		return linkURL(e.text)
	case kindMention:
		if acc, ok := f.accounts[e.mention.key()]; ok {
			if acc.Username == "" {
				acc.Username = e.mention.Username
			}
			return linkMention(acc, f.usernames[strings.ToLower(acc.Username)] > 1)
		}
	case kindTag:
		if f.tagURL != nil {
			return linkTag(f.tagURL(e.tagName()), strings.TrimPrefix(e.text, "#"))
		}
	}
	return escape(e.text)
}

// linkURL renders a URL link. The scheme (and a "www.") is hidden, and only
// the first urlDisplayLength characters of the rest are shown.
func linkURL(u string) string {
	prefix := len(urlScheme(u))
	if len(u) > prefix+4 && strings.EqualFold(u[prefix:prefix+4], "www.") {
		prefix += 4
	}
	shown, hidden, class := u[prefix:], "", ""
	if utf8.RuneCountInString(shown) > urlDisplayLength {
		cut := runeOffset(shown, urlDisplayLength)
		shown, hidden, class = shown[:cut], shown[cut:], "ellipsis"
	}
	return fmt.Sprintf(`<a href="%s" target="_blank" rel="nofollow noopener" translate="no">`+
		`<span class="invisible">%s</span><span class="%s">%s</span><span class="invisible">%s</span></a>`,
		escape(u), escape(u[:prefix]), class, escape(shown), escape(hidden))
}

// runeOffset returns the byte offset of the n-th rune of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// linkMention renders a mention of a resolved account. Like Mastodon, it shows
// the full acct only when two mentioned accounts share a username.
func linkMention(acc ResolvedMention, ambiguous bool) string {
	name := acc.Username
	if ambiguous && acc.Acct != "" {
		name = acc.Acct
	}
	return fmt.Sprintf(`<span class="h-card" translate="no"><a href="%s" class="u-url mention">@<span>%s</span></a></span>`,
		escape(acc.URL), escape(name))
}

// linkTag renders a hashtag link; the link text keeps the author's spelling.
func linkTag(href, name string) string {
	return fmt.Sprintf(`<a href="%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, escape(href), escape(name))
}
