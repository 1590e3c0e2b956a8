// Package emoji is the instance's custom emoji: importing images from a folder or an
// archive, finding :shortcodes: in text, and a catalogue that renders them without a
// database query per entity.
package emoji

import (
	"path/filepath"
	"regexp"
	"strings"
)

// MaxImageBytes caps one emoji image, as Mastodon caps local emoji.
const MaxImageBytes = 256 * 1024

// maxShortcode bounds a shortcode's length.
const maxShortcode = 100

var shortcodeRE = regexp.MustCompile(`^[a-zA-Z0-9_]{2,}$`)

// ValidShortcode reports whether s may name an emoji.
func ValidShortcode(s string) bool { return len(s) <= maxShortcode && shortcodeRE.MatchString(s) }

// Shortcodes returns the distinct :shortcodes: used in texts, in order of first use. A
// shortcode counts only where it stands apart: not glued to letters, digits or colons.
func Shortcodes(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, code := range scan(t) {
			if !seen[code] {
				seen[code] = true
				out = append(out, code)
			}
		}
	}
	return out
}

func scan(t string) []string {
	var out []string
	for i := 0; i < len(t); i++ {
		if t[i] != ':' || (i > 0 && gluing(t[i-1])) {
			continue
		}
		j := i + 1
		for j < len(t) && isWord(t[j]) {
			j++
		}
		if j < len(t) && t[j] == ':' && j-i-1 >= 2 && (j+1 == len(t) || !gluing(t[j+1])) {
			out = append(out, t[i+1:j])
			i = j
		}
	}
	return out
}

func isWord(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// gluing characters join a colon to a word, so ":" beside them starts no shortcode.
func gluing(c byte) bool { return c == ':' || (isWord(c) && c != '_') }

// FileName is the stored name of an emoji image: the shortcode, a digest of the bytes
// (so a replaced image gets a new URL and caches never serve the old one) and the type's
// extension.
func FileName(shortcode, digest, contentType string) string {
	return shortcode + "-" + digest[:16] + extension(contentType)
}

func extension(contentType string) string {
	return "." + strings.TrimPrefix(contentType, "image/")
}

// ContentTypes are the image types an emoji may have.
var ContentTypes = []string{"image/png", "image/gif", "image/webp"}

// Dir is the folder of emoji images in the local media backend under the data dir.
func Dir(dataDir string) string { return filepath.Join(dataDir, "media", "emoji") }
