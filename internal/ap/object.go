package ap

import (
	"encoding/json"
	"html"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/text"
)

// Object is a remote post: a Note, Question or ChatMessage, or another kind
// (Article, Page, Video, Audio, Image, Event) converted to a title and a
// link as Mastodon does (Converted is then true). A Tombstone decodes too,
// with only ID and Type set.
type Object struct {
	ID           string
	Type         string
	AttributedTo string // the author's IRI; "" when the document names none
	InReplyTo    string
	Context      string // context, else the OStatus conversation
	Content      string // sanitized HTML
	Language     string // BCP 47 tag from contentMap (or Lemmy's language); "" when unknown
	Name         string // title of converted types; the answer of a poll vote
	Summary      string // content warning, as plain text
	Sensitive    bool
	Published    time.Time
	Updated      time.Time
	URL          string // the HTML page of the object
	To           []string
	Cc           []string
	Tags         Tags
	Attachments  []Attachment
	Poll         *Poll  // set for a Question
	QuoteURL     string // the IRI of the quoted object, if any
	Replies      string // IRI of the replies collection
	Converted    bool   // Content was built from Name, Summary and URL
}

// rawObject is the shape the JSON is read into before normalizing.
type rawObject struct {
	ID           flexString            `json:"id"`
	Type         flexTypes             `json:"type"`
	AttributedTo flexList              `json:"attributedTo"`
	InReplyTo    flexList              `json:"inReplyTo"`
	Context      flexList              `json:"context"`
	Conversation flexString            `json:"conversation"`
	Content      flexString            `json:"content"`
	ContentMap   map[string]flexString `json:"contentMap"`
	Language     json.RawMessage       `json:"language"`
	Name         flexString            `json:"name"`
	NameMap      map[string]flexString `json:"nameMap"`
	Summary      flexString            `json:"summary"`
	Sensitive    flexBool              `json:"sensitive"`
	Published    flexTime              `json:"published"`
	Updated      flexTime              `json:"updated"`
	URL          flexList              `json:"url"`
	To           flexList              `json:"to"`
	Cc           flexList              `json:"cc"`
	Tag          flexList              `json:"tag"`
	Attachment   flexList              `json:"attachment"`
	OneOf        flexList              `json:"oneOf"`
	AnyOf        flexList              `json:"anyOf"`
	EndTime      flexTime              `json:"endTime"`
	Closed       json.RawMessage       `json:"closed"`
	VotersCount  flexInt               `json:"votersCount"`
	Quote        flexList              `json:"quote"`
	MisskeyQuote flexString            `json:"_misskey_quote"`
	QuoteURL     flexString            `json:"quoteUrl"`
	QuoteURI     flexString            `json:"quoteUri"`
	Replies      flexList              `json:"replies"`
}

// DecodeObject decodes a remote object document. It fails with ErrInvalid
// when the document is not a JSON object, has no valid id, or names an
// author or reply target that is not a valid IRI; invalid optional links
// are dropped instead.
func DecodeObject(data []byte) (*Object, error) {
	var r rawObject
	if err := unmarshal(data, &r); err != nil {
		return nil, err
	}
	return r.normalize()
}

func (r *rawObject) normalize() (*Object, error) {
	o := &Object{ID: string(r.ID), Type: r.Type.first()}
	if !ValidIRI(o.ID) {
		return nil, invalid("id", "%q is not an absolute http(s) URL", o.ID)
	}
	if o.Type == "" {
		return nil, invalid("type", "missing")
	}
	if o.Type == "Tombstone" {
		return o, nil
	}
	if err := r.readLinks(o); err != nil {
		return nil, err
	}
	o.Published, o.Updated = time.Time(r.Published), time.Time(r.Updated)
	o.Sensitive = bool(r.Sensitive)
	o.Summary = truncate(strings.TrimSpace(text.PlainText(string(r.Summary))), MaxDescriptionLength)
	o.Name = pickMap(string(r.Name), r.NameMap)
	o.Tags = readTags(r.Tag)
	o.Attachments = readAttachments(r.Attachment)
	o.QuoteURL = r.quote(o.ID)
	o.Poll = r.poll()
	r.readContent(o)
	return o, nil
}

// readLinks fills the IRIs of o: those naming another actor or object are
// required to be valid when present, the rest are dropped when invalid.
func (r *rawObject) readLinks(o *Object) error {
	o.AttributedTo = pickAuthor(r.AttributedTo)
	if o.AttributedTo != "" && !ValidIRI(o.AttributedTo) {
		return invalid("attributedTo", "%q is not an absolute http(s) URL", o.AttributedTo)
	}
	if ids := r.InReplyTo.ids(); len(ids) > 0 {
		o.InReplyTo = ids[0]
		if !ValidIRI(o.InReplyTo) {
			return invalid("inReplyTo", "%q is not an absolute http(s) URL", o.InReplyTo)
		}
	}
	if ids := r.Context.ids(); len(ids) > 0 {
		o.Context = ids[0]
	}
	if o.Context == "" && len(r.Conversation) <= MaxIRILength {
		o.Context = string(r.Conversation) // often a tag: URI, which is fine as an opaque key
	}
	if len(o.Context) > MaxIRILength {
		o.Context = ""
	}
	o.URL = pickURL(r.URL)
	o.To = validIRIsOrPublic(r.To.ids())
	o.Cc = validIRIsOrPublic(r.Cc.ids())
	if ids := r.Replies.ids(); len(ids) > 0 {
		o.Replies = iriOrEmpty(ids[0])
	}
	return nil
}

// pickAuthor chooses the author among attributedTo entries: PeerTube lists
// the channel (Group) beside the account (Person), and the person wrote it.
func pickAuthor(list flexList) string {
	first := ""
	for _, raw := range list {
		id := idOf(raw)
		if id == "" {
			continue
		}
		if first == "" {
			first = id
		}
		var t struct {
			Type flexTypes `json:"type"`
		}
		if isObject(raw) && json.Unmarshal(raw, &t) == nil && t.Type.has("Person") {
			return id
		}
	}
	return first
}

// readContent sets Content and Language, converting types Mastodon does not
// render itself into a title and a link.
func (r *rawObject) readContent(o *Object) {
	content, lang := pickContent(string(r.Content), r.ContentMap)
	if lang == "" {
		lang = lemmyLanguage(r.Language)
	}
	o.Language = lang
	if convertedTypes[o.Type] {
		o.Content, o.Converted = convertedContent(o), true
		return
	}
	o.Content = text.Sanitize(content)
}

// pickContent returns the content to show and its language. content wins
// when present; contentMap gives its language (the entry equal to content,
// else the only or first entry), or the content itself when content is
// empty.
func pickContent(content string, byLang map[string]flexString) (string, string) {
	if len(byLang) == 0 {
		return content, ""
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs) // a stable choice when several languages compete
	for _, l := range langs {
		if content != "" && string(byLang[l]) == content {
			return content, cleanLanguage(l)
		}
	}
	if content != "" {
		return content, cleanLanguage(langs[0])
	}
	return string(byLang[langs[0]]), cleanLanguage(langs[0])
}

// pickMap returns s, or the first entry of the language map when s is empty.
func pickMap(s string, byLang map[string]flexString) string {
	s, _ = pickContent(s, byLang)
	return s
}

// cleanLanguage keeps a language tag only when it looks like one (letters,
// digits and hyphens, at most 35 characters: the longest BCP 47 tag
// registered is well below).
func cleanLanguage(l string) string {
	if l == "" || len(l) > 35 || l == "und" {
		return ""
	}
	for _, c := range l {
		if !(c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return ""
		}
	}
	return l
}

// lemmyLanguage reads Lemmy's {"identifier": "fr", "name": "Français"}.
func lemmyLanguage(raw json.RawMessage) string {
	if !isObject(raw) {
		return ""
	}
	var v struct {
		Identifier flexString `json:"identifier"`
	}
	json.Unmarshal(raw, &v) //nolint:errcheck // invalid reads as ""
	return cleanLanguage(string(v.Identifier))
}

// convertedContent renders a converted object as Mastodon does: its title
// (or summary), then a link to the original.
func convertedContent(o *Object) string {
	var b strings.Builder
	title := strings.TrimSpace(o.Name)
	if title == "" {
		title = o.Summary
	}
	if title != "" {
		b.WriteString("<p>" + html.EscapeString(truncate(title, MaxDisplayNameLength)) + "</p>")
	}
	link := o.URL
	if link == "" {
		link = o.ID
	}
	b.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + "</a></p>")
	return text.Sanitize(b.String())
}

// quote returns the quoted object's IRI from whichever property the sender
// uses (FEP-044f quote, Misskey, Fedibird, Akkoma), else from a FEP-e232
// object link tag. An object quoting itself quotes nothing.
func (r *rawObject) quote(self string) string {
	candidates := []string{"", string(r.MisskeyQuote), string(r.QuoteURL), string(r.QuoteURI), quoteLinkTag(r.Tag)}
	if ids := r.Quote.ids(); len(ids) > 0 {
		candidates[0] = ids[0]
	}
	for _, c := range candidates {
		if c != "" && c != self && ValidIRI(c) {
			return c
		}
	}
	return ""
}

// truncate cuts s to at most n characters, never inside a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}

// runeLen counts characters, cheaply for the ASCII case.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
