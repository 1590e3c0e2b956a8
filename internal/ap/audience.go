package ap

// PublicCollection is the special collection that addresses everyone.
const PublicCollection = "https://www.w3.org/ns/activitystreams#Public"

// isPublic reports whether an address means the public collection, in any of
// the spellings JSON-LD compaction allows.
func isPublic(s string) bool {
	return s == PublicCollection || s == "as:Public" || s == "Public"
}

// validIRIsOrPublic keeps the valid IRIs of list, spelling the public
// collection one way, without duplicates, and at most MaxAudience of them.
func validIRIsOrPublic(list []string) []string {
	var out []string
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if len(out) == MaxAudience {
			break
		}
		if isPublic(s) {
			s = PublicCollection
		} else if !ValidIRI(s) {
			continue
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Visibility is how widely a status is shown, in Mastodon's terms.
type Visibility string

// The visibilities Mastodon derives from addressing.
const (
	VisibilityPublic   Visibility = "public"
	VisibilityUnlisted Visibility = "unlisted"
	VisibilityPrivate  Visibility = "private"
	VisibilityDirect   Visibility = "direct"
)

// VisibilityOf derives a status's visibility from its addressing as
// Mastodon does: public when the public collection is in to, unlisted when it
// is in cc, private (followers only) when the author's followers collection
// is in to, direct otherwise. followers is the author's followers collection
// IRI (from their actor document).
func VisibilityOf(to, cc []string, followers string) Visibility {
	switch {
	case containsFunc(to, isPublic):
		return VisibilityPublic
	case containsFunc(cc, isPublic):
		return VisibilityUnlisted
	case followers != "" && containsFunc(to, func(s string) bool { return s == followers }):
		return VisibilityPrivate
	default:
		return VisibilityDirect
	}
}

// Addresses reports whether to or cc names iri.
func Addresses(to, cc []string, iri string) bool {
	eq := func(s string) bool { return s == iri }
	return containsFunc(to, eq) || containsFunc(cc, eq)
}

func containsFunc(list []string, f func(string) bool) bool {
	for _, s := range list {
		if f(s) {
			return true
		}
	}
	return false
}
