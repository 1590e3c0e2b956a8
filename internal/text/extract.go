package text

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type entityKind int

const (
	kindURL entityKind = iota
	kindMention
	kindTag
)

// entity is a URL, mention or hashtag found at s[start:end].
type entity struct {
	kind       entityKind
	start, end int
	text       string
	mention    Mention // kindMention only
}

// tagName is the canonical (lower-cased) name of a hashtag entity.
func (e entity) tagName() string {
	return strings.ToLower(strings.TrimPrefix(e.text, "#"))
}

// extract finds all entities in s, ordered by position. Where entities overlap
// the one starting first wins, so that a "#fragment" or "@user" inside a URL
// is left alone.
func extract(s string) []entity {
	all := findURLs(s)
	all = append(all, findMentions(s)...)
	all = append(all, findTags(s)...)
	slices.SortStableFunc(all, func(a, b entity) int { return cmp.Compare(a.start, b.start) })
	kept := all[:0]
	end := 0
	for _, e := range all {
		if e.start >= end {
			kept = append(kept, e)
			end = e.end
		}
	}
	return kept
}

// isWordRune reports whether r is a "word" character in the Unicode sense:
// letter, combining mark, decimal digit or connector punctuation such as "_".
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || unicode.Is(unicode.Pc, r)
}

// runeBefore returns the rune ending at s[i], or -1 at the start of s.
func runeBefore(s string, i int) rune {
	if i == 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// scanWhile returns the end of the longest run of runes in s from i that
// satisfy ok.
func scanWhile(s string, i int, ok func(rune) bool) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !ok(r) {
			break
		}
		i += size
	}
	return i
}

// findAll calls match at every occurrence of the byte c in s and collects the
// entities it reports; the search resumes after each entity found.
func findAll(s string, c byte, match func(s string, i int) (entity, bool)) []entity {
	var found []entity
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], c)
		if j < 0 {
			break
		}
		i += j
		if e, ok := match(s, i); ok {
			found = append(found, e)
			i = e.end
			continue
		}
		i++
	}
	return found
}
