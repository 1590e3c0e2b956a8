package text

import "strings"

// findMentions finds @user and @user@domain mentions in s.
func findMentions(s string) []entity {
	return findAll(s, '@', matchMention)
}

// matchMention matches a mention whose "@" is at s[i].
func matchMention(s string, i int) (entity, bool) {
	if prev := runeBefore(s, i); isWordRune(prev) || prev == '=' || prev == '/' {
		return entity{}, false // e-mail address, URL path or query
	}
	end := scanUsername(s, i+1)
	if end == i+1 {
		return entity{}, false
	}
	m := Mention{Username: s[i+1 : end]}
	if domainEnd := scanDomain(s, end); domainEnd > end {
		m.Domain = s[end+1 : domainEnd]
		end = domainEnd
	}
	return entity{kind: kindMention, start: i, end: end, text: s[i:end], mention: m}, true
}

func isUsernameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// scanUsername returns the end of the username starting at s[i]: ASCII
// letters, digits and underscores, with dots and hyphens allowed only between
// them.
func scanUsername(s string, i int) int {
	end := i
	for j := i; j < len(s); j++ {
		switch {
		case isUsernameByte(s[j]):
			end = j + 1
		case (s[j] == '.' || s[j] == '-') && end > i:
		default:
			return end
		}
	}
	return end
}

// scanDomain returns the end of an "@domain" starting at s[i], or i if there
// is none. Trailing dots and hyphens belong to the sentence, not the domain.
func scanDomain(s string, i int) int {
	if i >= len(s) || s[i] != '@' {
		return i
	}
	end := scanWhile(s, i+1, func(r rune) bool { return isWordRune(r) || r == '.' || r == '-' })
	domain := strings.TrimRight(s[i+1:end], ".-")
	if domain == "" {
		return i
	}
	return i + 1 + len(domain)
}
