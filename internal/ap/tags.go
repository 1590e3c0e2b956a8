package ap

import (
	"encoding/json"
	"strings"
	"time"
)

// Tags are the tags of an object or actor, by kind.
type Tags struct {
	Mentions []Mention
	Hashtags []Hashtag
	Emoji    []Emoji
}

// Mention names an actor mentioned in the content.
type Mention struct {
	Href string // the actor's IRI
	Name string // as written, e.g. "@alice@example.com"
}

// Hashtag is a hashtag used in the content.
type Hashtag struct {
	Name string // without the leading '#'
	Href string // "" when absent or invalid
}

// Emoji is a custom emoji used in the content or profile.
type Emoji struct {
	Shortcode string // without the surrounding colons
	IconURL   string
	ID        string // "" for anonymous emoji (Akkoma sends null ids)
	Updated   time.Time
}

// rawTag is any tag; which fields matter depends on its type.
type rawTag struct {
	ID        flexString `json:"id"`
	Type      flexTypes  `json:"type"`
	Href      flexString `json:"href"`
	Name      flexString `json:"name"`
	Rel       flexList   `json:"rel"`
	MediaType flexString `json:"mediaType"`
	Icon      flexList   `json:"icon"`
	Updated   flexTime   `json:"updated"`
}

// readTags keeps the mentions, hashtags and emoji of list that are usable,
// at most MaxTags of them in all.
func readTags(list flexList) Tags {
	var t Tags
	for i, raw := range list {
		if i == MaxTags {
			break
		}
		var r rawTag
		if !isObject(raw) || json.Unmarshal(raw, &r) != nil {
			continue
		}
		switch {
		case r.Type.has("Mention"):
			if ValidIRI(string(r.Href)) {
				t.Mentions = append(t.Mentions, Mention{Href: string(r.Href), Name: truncate(string(r.Name), MaxUsernameLength)})
			}
		case r.Type.has("Hashtag"):
			if name := strings.TrimPrefix(strings.TrimSpace(string(r.Name)), "#"); name != "" && len(name) <= MaxUsernameLength {
				t.Hashtags = append(t.Hashtags, Hashtag{Name: name, Href: iriOrEmpty(string(r.Href))})
			}
		case r.Type.has("Emoji"):
			if e, ok := r.emoji(); ok {
				t.Emoji = append(t.Emoji, e)
			}
		}
	}
	return t
}

// emoji reads a custom emoji, which needs a well-formed shortcode and an
// image URL.
func (r *rawTag) emoji() (Emoji, bool) {
	code := strings.Trim(string(r.Name), ":")
	if !validShortcode(code) {
		return Emoji{}, false
	}
	icon := pickImage(r.Icon)
	if icon.URL == "" {
		return Emoji{}, false
	}
	return Emoji{Shortcode: code, IconURL: icon.URL, ID: iriOrEmpty(string(r.ID)), Updated: time.Time(r.Updated)}, true
}

// validShortcode accepts what Mastodon accepts for custom emoji: at least
// two letters, digits or underscores, and no longer than the documented
// limit.
func validShortcode(s string) bool {
	if len(s) < 2 || len(s) > MaxEmojiShortcodeLength {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// quoteMediaTypes are the media types a FEP-e232 object link carries.
var quoteMediaTypes = []string{
	`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
	"application/activity+json",
}

// quoteLinkTag returns the href of the first FEP-e232 object link tag (a
// Link with an ActivityStreams media type, or Misskey's quote rel).
func quoteLinkTag(list flexList) string {
	for _, raw := range list {
		var r rawTag
		if !isObject(raw) || json.Unmarshal(raw, &r) != nil || !r.Type.has("Link") {
			continue
		}
		mt := strings.TrimSpace(string(r.MediaType))
		isQuote := false
		for _, q := range quoteMediaTypes {
			isQuote = isQuote || strings.EqualFold(mt, q)
		}
		for _, rel := range r.Rel.ids() {
			isQuote = isQuote || rel == "https://misskey-hub.net/ns#_misskey_quote"
		}
		if isQuote && ValidIRI(string(r.Href)) {
			return string(r.Href)
		}
	}
	return ""
}
