package text

import (
	"strings"
	"unicode"
)

// urlLength is what every URL counts for, however long it is.
const urlLength = 23

// Length counts characters as Mastodon's status length validator: every
// http(s) URL counts as 23 characters, a mention @user@domain counts only
// "@user", everything else counts by grapheme cluster (approximated: combining
// marks, emoji modifiers, zero-width joiner sequences and flag pairs join the
// character before them). Leading and trailing white space is not counted, as
// Mastodon strips it before validating.
func Length(s string) int {
	s = strings.TrimSpace(s)
	var b strings.Builder
	pos := 0
	for _, e := range extract(s) {
		b.WriteString(s[pos:e.start])
		switch e.kind {
		case kindURL:
			b.WriteString(strings.Repeat("x", urlLength))
		case kindMention:
			b.WriteString("@" + e.mention.Username)
		default:
			b.WriteString(e.text)
		}
		pos = e.end
	}
	b.WriteString(s[pos:])
	return countGraphemes(b.String())
}

const zeroWidthJoiner = '\u200d'

// countGraphemes counts user-perceived characters in s, following the simple
// rules of Unicode's grapheme cluster boundaries (UAX #29) and skipping the
// rarer ones such as Hangul jamo sequences.
func countGraphemes(s string) int {
	n, prev, flags := 0, rune(-1), 0
	for _, r := range s {
		if prev == -1 || !joins(prev, r, flags) {
			n++
		}
		if isRegionalIndicator(r) {
			flags++
		} else {
			flags = 0
		}
		prev = r
	}
	return n
}

// joins reports whether r continues the cluster that prev is part of; flags is
// how many regional indicators directly precede r.
func joins(prev, r rune, flags int) bool {
	switch {
	case prev == '\r':
		return r == '\n'
	case unicode.IsControl(prev) || unicode.IsControl(r):
		return false
	case isExtender(r):
		return true
	case prev == zeroWidthJoiner:
		return isPictographic(r)
	case isRegionalIndicator(r):
		return flags%2 == 1 // the second letter of a flag
	}
	return false
}

// isExtender reports whether r attaches to the character before it.
func isExtender(r rune) bool {
	return unicode.IsMark(r) || r == zeroWidthJoiner || r == '\u200c' ||
		(r >= 0x1f3fb && r <= 0x1f3ff) || // emoji skin-tone modifiers
		(r >= 0xe0020 && r <= 0xe007f) // tag characters in subdivision flags
}

func isRegionalIndicator(r rune) bool { return r >= 0x1f1e6 && r <= 0x1f1ff }

// isPictographic approximates Unicode's Extended_Pictographic property.
func isPictographic(r rune) bool {
	return unicode.Is(unicode.So, r) || (r >= 0x1f000 && r <= 0x1faff)
}
