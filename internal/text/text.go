// Package text turns members' plain-text statuses into HTML the way Mastodon
// 4.x renders them, sanitizes untrusted HTML to Mastodon's allow-list, counts
// status length as Mastodon's validator does, and turns status HTML back into
// plain text.
package text

import "strings"

// Mention is an @mention found in text. Domain is "" for a bare @user.
type Mention struct {
	Username, Domain string
}

// ResolvedMention is a mention the caller resolved to an account.
type ResolvedMention struct {
	Username string // as the account's username
	Acct     string // "user" for local, "user@domain" for remote
	URL      string // the account's profile URL (href of the link)
}

// key identifies a mention case-insensitively, as account lookups do.
func (m Mention) key() string {
	return strings.ToLower(m.Username + "@" + m.Domain)
}

// Parse finds the mentions, hashtags and http(s) URLs in plain text, each
// deduplicated and in order of first appearance. Tag names are lower-cased;
// mentions are deduplicated case-insensitively but keep their first spelling.
func Parse(s string) (mentions []Mention, tags []string, urls []string) {
	seen := make(map[string]bool)
	firstTime := func(key string) bool {
		if seen[key] {
			return false
		}
		seen[key] = true
		return true
	}
	for _, e := range extract(s) {
		switch e.kind {
		case kindURL:
			if firstTime("u " + e.text) {
				urls = append(urls, e.text)
			}
		case kindMention:
			if firstTime("m " + e.mention.key()) {
				mentions = append(mentions, e.mention)
			}
		case kindTag:
			if tag := e.tagName(); firstTime("t " + tag) {
				tags = append(tags, tag)
			}
		}
	}
	return mentions, tags, urls
}
