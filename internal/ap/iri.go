package ap

import (
	"net/url"
	"strings"
)

// ValidIRI reports whether s is an absolute http or https URL with a host and
// without whitespace or control characters: the only kind of identifier or
// link tusk stores from a remote document.
func ValidIRI(s string) bool {
	_, ok := parseIRI(s)
	return ok
}

func parseIRI(s string) (*url.URL, bool) {
	if s == "" || len(s) > MaxIRILength || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Hostname() == "" || u.User != nil {
		return nil, false
	}
	return u, true
}

// iriOrEmpty returns s when it is a valid IRI and "" otherwise: for optional
// links that are dropped rather than fail the document.
func iriOrEmpty(s string) string {
	if ValidIRI(s) {
		return s
	}
	return ""
}

// validIRIs keeps the valid IRIs of list, at most limit of them when limit > 0.
func validIRIs(list []string, limit int) []string {
	var out []string
	for _, s := range list {
		if limit > 0 && len(out) == limit {
			break
		}
		if ValidIRI(s) {
			out = append(out, s)
		}
	}
	return out
}

// Host returns the lower-cased host name of iri (without port), or "" when
// iri is not a valid IRI.
func Host(iri string) string {
	u, ok := parseIRI(iri)
	if !ok {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// SameOrigin reports whether a and b are valid IRIs with the same scheme,
// host (case-insensitive) and port, a missing port counting as the scheme's
// default. It is the check that a document really comes from the server
// that its id names.
func SameOrigin(a, b string) bool {
	ua, ok := parseIRI(a)
	if !ok {
		return false
	}
	ub, ok := parseIRI(b)
	if !ok {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) &&
		strings.EqualFold(ua.Hostname(), ub.Hostname()) &&
		portOf(ua) == portOf(ub)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
