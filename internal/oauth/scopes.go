package oauth

import (
	"slices"
	"strings"
)

// scopeList is every scope tusk knows, coarse ones first; it is read, never changed.
var scopeList = []string{
	"read", "write", "follow", "push", "profile", "admin:read", "admin:write",
	"read:accounts", "read:blocks", "read:bookmarks", "read:collections", "read:favourites", "read:filters",
	"read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
	"read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:collections", "write:conversations",
	"write:favourites", "write:filters", "write:follows", "write:lists", "write:media",
	"write:mutes", "write:notifications", "write:reports", "write:statuses",
	"admin:read:accounts", "admin:read:reports", "admin:read:domain_allows",
	"admin:read:domain_blocks", "admin:read:ip_blocks", "admin:read:email_domain_blocks",
	"admin:read:canonical_email_blocks",
	"admin:write:accounts", "admin:write:reports", "admin:write:domain_allows",
	"admin:write:domain_blocks", "admin:write:ip_blocks", "admin:write:email_domain_blocks",
	"admin:write:canonical_email_blocks",
}

// Scopes returns every scope tusk knows.
func Scopes() []string { return slices.Clone(scopeList) }

// followGrants are the granular scopes the legacy "follow" scope stands for.
var followGrants = []string{"read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}

// HasScope reports whether a token granted these scopes may act under want.
// A coarse scope grants its granular forms ("read" grants "read:statuses",
// "admin:read" grants "admin:read:accounts"); "follow" grants the follow, block and
// mute scopes; a want of "profile" is met by "profile", "read" or "read:accounts".
func HasScope(granted []string, want string) bool {
	for _, g := range granted {
		if grants(g, want) {
			return true
		}
	}
	return false
}

func grants(g, want string) bool {
	switch {
	case g == want:
		return true
	case want == "profile":
		return g == "read" || g == "read:accounts"
	case g == "follow":
		return slices.Contains(followGrants, want)
	case g == "read", g == "write", g == "admin:read", g == "admin:write":
		return strings.HasPrefix(want, g+":")
	}
	return false
}

// parseScopes splits a space-separated scope string (a '+' decodes to a space in
// query strings already), dropping repeats. def is used when s is blank. ok is false
// when a scope is unknown.
func parseScopes(s, def string) (scopes []string, ok bool) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		fields = strings.Fields(def)
	}
	for _, f := range fields {
		if !slices.Contains(scopeList, f) {
			return nil, false
		}
		if !slices.Contains(scopes, f) {
			scopes = append(scopes, f)
		}
	}
	return scopes, true
}

// within reports whether every scope asked for is granted by allowed.
func within(asked, allowed []string) bool {
	for _, a := range asked {
		if !HasScope(allowed, a) {
			return false
		}
	}
	return true
}
