package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// findURLs finds the http and https URLs in s.
func findURLs(s string) []entity {
	var found []entity
	lower := strings.ToLower(s) // ASCII-only case change keeps byte offsets
	for i := 0; i < len(s); {
		j := strings.Index(lower[i:], "http")
		if j < 0 {
			break
		}
		i += j
		if e, ok := matchURL(s, i); ok {
			found = append(found, e)
			i = e.end
			continue
		}
		i++
	}
	return found
}

// matchURL matches a URL starting at s[i].
func matchURL(s string, i int) (entity, bool) {
	scheme := urlScheme(s[i:])
	if scheme == "" || !urlMayFollow(runeBefore(s, i)) {
		return entity{}, false
	}
	end := scanWhile(s, i+len(scheme), isURLRune)
	u := trimURL(s[i:end])
	if !hasHost(u[min(len(scheme), len(u)):]) {
		return entity{}, false
	}
	return entity{kind: kindURL, start: i, end: i + len(u), text: u}, true
}

// urlScheme returns the "http://" or "https://" that s starts with, in any
// case, or "".
func urlScheme(s string) string {
	for _, scheme := range []string{"https://", "http://"} {
		if len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme) {
			return s[:len(scheme)]
		}
	}
	return ""
}

// urlMayFollow reports whether a URL may start right after r; glued to a word
// ("foohttp://") or a "$" it is not a link. ("@" and "#" need no rule here: the
// mention or hashtag they start takes precedence.)
func urlMayFollow(r rune) bool {
	return r == -1 || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$')
}

func isURLRune(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && !strings.ContainsRune("<>\"`{}", r)
}

// trimURL drops trailing punctuation that ends the sentence rather than the
// URL, and closing brackets that have no opening partner inside the URL.
func trimURL(u string) string {
	for u != "" {
		r, size := utf8.DecodeLastRuneInString(u)
		switch {
		case strings.ContainsRune(".,;:!?'*", r):
		case r == ')' && strings.Count(u, ")") > strings.Count(u, "("):
		case r == ']' && strings.Count(u, "]") > strings.Count(u, "["):
		default:
			return u
		}
		u = u[:len(u)-size]
	}
	return u
}

// hasHost reports whether the part of a URL after its scheme starts with a
// plausible host name.
func hasHost(rest string) bool {
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.IndexFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
