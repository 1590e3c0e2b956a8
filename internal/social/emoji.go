package social

import "unicode/utf8"

// maxEmojiRunes bounds one emoji sequence: the longest standard ones (families, flags of
// subdivisions) are about ten code points.
const maxEmojiRunes = 16

// emojiRanges are the blocks that hold emoji pictographs and symbols.
var emojiRanges = [][2]rune{
	{0x1F000, 0x1FAFF}, // pictographs, emoticons, transport, flags' regional indicators, symbols
	{0x2600, 0x27BF},   // miscellaneous symbols and dingbats
	{0x2300, 0x23FF},   // technical (⌚, ⏰)
	{0x2B00, 0x2BFF},   // arrows and stars (⭐)
	{0x2190, 0x21FF},   // arrows
	{0x25A0, 0x25FF},   // geometric shapes
	{0x2900, 0x297F},   // supplemental arrows
	{0x3030, 0x3030}, {0x303D, 0x303D}, {0x3297, 0x3297}, {0x3299, 0x3299},
	{0x00A9, 0x00A9}, {0x00AE, 0x00AE}, {0x203C, 0x203C}, {0x2049, 0x2049},
	{0x2122, 0x2122}, {0x2139, 0x2139}, {0x24C2, 0x24C2},
}

// emojiJoiners may appear inside a sequence but do not make an emoji alone: the zero-width
// joiner, variation selectors, the keycap mark and subdivision-flag tag characters.
func isEmojiJoiner(r rune) bool {
	return r == 0x200D || r == 0xFE0E || r == 0xFE0F || r == 0x20E3 || (r >= 0xE0020 && r <= 0xE007F)
}

func isEmojiBase(r rune) bool {
	for _, rg := range emojiRanges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// IsUnicodeEmoji reports whether s is one unicode emoji (or emoji sequence) rather than
// text or a custom emoji's shortcode. Keycaps (1️⃣, #️⃣) are digits made emoji by U+20E3.
func IsUnicodeEmoji(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxEmojiRunes {
		return false
	}
	bases, keycap := 0, false
	for _, r := range s {
		keycap = keycap || r == 0x20E3
	}
	for _, r := range s {
		switch {
		case isEmojiBase(r):
			bases++
		case isEmojiJoiner(r):
		case keycap && (r == '#' || r == '*' || (r >= '0' && r <= '9')):
			bases++
		default:
			return false
		}
	}
	return bases > 0
}
