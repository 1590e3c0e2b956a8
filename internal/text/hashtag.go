package text

import (
	"strings"
	"unicode"
)

// findTags finds #hashtags in s.
func findTags(s string) []entity {
	return findAll(s, '#', matchTag)
}

// matchTag matches a hashtag whose "#" is at s[i].
func matchTag(s string, i int) (entity, bool) {
	if prev := runeBefore(s, i); isWordRune(prev) || strings.ContainsRune("=/)", prev) {
		return entity{}, false // "C#", URL fragments, "(x)#"
	}
	end := scanWhile(s, i+1, func(r rune) bool { return isWordRune(r) || isTagSeparator(r) })
	name := strings.TrimRightFunc(s[i+1:end], isTagSeparator)
	if strings.IndexFunc(name, unicode.IsLetter) < 0 {
		return entity{}, false // "#123" is a number, not a tag
	}
	end = i + 1 + len(name)
	return entity{kind: kindTag, start: i, end: end, text: s[i:end]}, true
}

// isTagSeparator reports whether r may join words inside a hashtag: the
// middle dots used in Catalan and Japanese and the zero-width non-joiner
// needed to spell some Persian and Indic words.
func isTagSeparator(r rune) bool {
	return r == '\u00b7' || r == '\u30fb' || r == '\u200c'
}
