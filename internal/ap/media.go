package ap

import (
	"encoding/json"
	"strings"
)

// Attachment is a media file attached to an object, or an actor's avatar or
// header (Icon, Image).
type Attachment struct {
	Type       string // Document, Image, Video or Audio
	URL        string
	MediaType  string
	Name       string // description (alt text)
	Blurhash   string
	FocalPoint *[2]float64 // x, y in [-1, 1]; nil when absent or out of range
	Width      int
	Height     int
}

// mediaTypes are the attachment types kept on objects.
var mediaTypes = map[string]bool{"Document": true, "Image": true, "Video": true, "Audio": true}

// rawMedia is an attachment, icon or image as sent.
type rawMedia struct {
	Type       flexTypes       `json:"type"`
	URL        flexList        `json:"url"`
	Href       flexString      `json:"href"`
	MediaType  flexString      `json:"mediaType"`
	Name       flexString      `json:"name"`
	Summary    flexString      `json:"summary"`
	Blurhash   flexString      `json:"blurhash"`
	FocalPoint json.RawMessage `json:"focalPoint"`
	Width      flexInt         `json:"width"`
	Height     flexInt         `json:"height"`
}

// readAttachments keeps the media attachments of list that have a valid
// URL, at most MaxAttachments of them. Links and profile fields are not
// media and are skipped.
func readAttachments(list flexList) []Attachment {
	var out []Attachment
	for _, raw := range list {
		if len(out) == MaxAttachments {
			break
		}
		var r rawMedia
		if !isObject(raw) || json.Unmarshal(raw, &r) != nil || !mediaTypes[r.Type.first()] {
			continue
		}
		if a := r.attachment(); a.URL != "" {
			out = append(out, a)
		}
	}
	return out
}

func (r *rawMedia) attachment() Attachment {
	a := Attachment{
		Type:       r.Type.first(),
		URL:        pickMediaURL(r.URL),
		MediaType:  cleanMediaType(string(r.MediaType)),
		Name:       truncate(strings.TrimSpace(firstNonEmpty(string(r.Name), string(r.Summary))), MaxDescriptionLength),
		Blurhash:   cleanBlurhash(string(r.Blurhash)),
		FocalPoint: focalPoint(r.FocalPoint),
	}
	if a.URL == "" {
		a.URL = iriOrEmpty(string(r.Href))
	}
	if r.Width > 0 && r.Height > 0 && r.Width < 1<<20 && r.Height < 1<<20 {
		a.Width, a.Height = int(r.Width), int(r.Height)
	}
	return a
}

// pickImage reads an icon or image property: a URL string, an Image, or an
// array of either (the first usable one wins).
func pickImage(list flexList) Attachment {
	for _, raw := range list {
		if !isObject(raw) {
			if u := iriOrEmpty(idOf(raw)); u != "" {
				return Attachment{Type: "Image", URL: u}
			}
			continue
		}
		var r rawMedia
		if json.Unmarshal(raw, &r) != nil {
			continue
		}
		a := r.attachment()
		if a.Type == "" {
			a.Type = "Image"
		}
		if a.URL != "" {
			return a
		}
	}
	return Attachment{}
}

// pickURL reads an object's or actor's url property, preferring a link to an
// HTML page when several are given.
func pickURL(list flexList) string {
	return pickLink(list, func(mt string) bool { return strings.HasPrefix(mt, "text/html") })
}

// pickMediaURL reads a media attachment's url, preferring a link that is not
// an HTML page.
func pickMediaURL(list flexList) string {
	return pickLink(list, func(mt string) bool { return mt != "" && !strings.HasPrefix(mt, "text/html") })
}

// pickLink returns the first valid URL among list whose media type
// satisfies preferred, else the first valid URL.
func pickLink(list flexList, preferred func(mediaType string) bool) string {
	first := ""
	for _, raw := range list {
		var link struct {
			Href      flexString `json:"href"`
			MediaType flexString `json:"mediaType"`
		}
		u := ""
		if isObject(raw) {
			if json.Unmarshal(raw, &link) != nil {
				continue
			}
			u = string(link.Href)
		} else {
			u = idOf(raw)
		}
		if !ValidIRI(u) {
			continue
		}
		if preferred(strings.ToLower(string(link.MediaType))) {
			return u
		}
		if first == "" {
			first = u
		}
	}
	return first
}

// cleanMediaType keeps a media type only when it is short and has no
// characters that could break a header it is later copied into.
func cleanMediaType(s string) string {
	if len(s) > 255 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
		return ""
	}
	return s
}

// cleanBlurhash keeps a blurhash only when it uses the blurhash alphabet and
// has a plausible length.
func cleanBlurhash(s string) string {
	if len(s) < 6 || len(s) > 200 {
		return ""
	}
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
	for _, c := range s {
		if !strings.ContainsRune(alphabet, c) {
			return ""
		}
	}
	return s
}

// focalPoint reads [x, y] with both in [-1, 1].
func focalPoint(raw json.RawMessage) *[2]float64 {
	var p []float64
	if len(raw) == 0 || json.Unmarshal(raw, &p) != nil || len(p) != 2 {
		return nil
	}
	for _, v := range p {
		if v < -1 || v > 1 {
			return nil
		}
	}
	return &[2]float64{p[0], p[1]}
}

func firstNonEmpty(list ...string) string {
	for _, s := range list {
		if s != "" {
			return s
		}
	}
	return ""
}
