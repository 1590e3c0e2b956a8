package ap

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/text"
)

// Actor is a remote account.
type Actor struct {
	ID                        string
	Type                      string // Person, Service, Application, Group or Organization
	PreferredUsername         string
	Name                      string // display name, plain text
	Summary                   string // sanitized HTML
	URL                       string
	Inbox                     string
	Outbox                    string
	SharedInbox               string
	Followers                 string
	Following                 string
	Featured                  string
	FeaturedTags              string
	ManuallyApprovesFollowers bool
	Discoverable              bool
	Indexable                 bool
	Published                 time.Time
	Icon                      Attachment // avatar; URL "" when none
	Image                     Attachment // header; URL "" when none
	Fields                    []Field
	AlsoKnownAs               []string
	AttributionDomains        []string
	MovedTo                   string
	Suspended                 bool
	Memorial                  bool
	Tags                      Tags // custom emoji used in the name, summary and fields
	PublicKey                 PublicKey
	AssertionMethods          []Multikey // FEP-521a keys
}

// Field is a profile field (a PropertyValue attachment).
type Field struct {
	Name  string // plain text
	Value string // sanitized HTML
}

// PublicKey is the actor's RSA key for HTTP signatures.
type PublicKey struct {
	ID    string
	Owner string
	PEM   string
}

// Multikey is a FEP-521a verification method.
type Multikey struct {
	ID                 string
	Controller         string
	PublicKeyMultibase string
}

type rawActor struct {
	ID                        flexString      `json:"id"`
	Type                      flexTypes       `json:"type"`
	PreferredUsername         flexString      `json:"preferredUsername"`
	Name                      flexString      `json:"name"`
	Summary                   flexString      `json:"summary"`
	URL                       flexList        `json:"url"`
	Inbox                     flexList        `json:"inbox"`
	Outbox                    flexList        `json:"outbox"`
	Endpoints                 json.RawMessage `json:"endpoints"`
	SharedInbox               flexString      `json:"sharedInbox"` // Misskey also sends it at the top level
	Followers                 flexList        `json:"followers"`
	Following                 flexList        `json:"following"`
	Featured                  flexList        `json:"featured"`
	FeaturedTags              flexList        `json:"featuredTags"`
	ManuallyApprovesFollowers flexBool        `json:"manuallyApprovesFollowers"`
	Discoverable              flexBool        `json:"discoverable"`
	Indexable                 flexBool        `json:"indexable"`
	Published                 flexTime        `json:"published"`
	Icon                      flexList        `json:"icon"`
	Image                     flexList        `json:"image"`
	Attachment                flexList        `json:"attachment"`
	AlsoKnownAs               flexList        `json:"alsoKnownAs"`
	AttributionDomains        flexList        `json:"attributionDomains"`
	MovedTo                   flexList        `json:"movedTo"`
	Suspended                 flexBool        `json:"suspended"`
	Memorial                  flexBool        `json:"memorial"`
	Tag                       flexList        `json:"tag"`
	PublicKey                 flexList        `json:"publicKey"`
	AssertionMethod           flexList        `json:"assertionMethod"`
}

// DecodeActor decodes a remote actor document. It fails with ErrInvalid when
// the type is not an actor type, the id or inbox is not a valid IRI, or the
// preferredUsername is missing, too long or has characters Mastodon does not
// accept in a username. Other invalid links are dropped and over-long texts
// truncated.
func DecodeActor(data []byte) (*Actor, error) {
	var r rawActor
	if err := unmarshal(data, &r); err != nil {
		return nil, err
	}
	return r.normalize()
}

func (r *rawActor) normalize() (*Actor, error) {
	a := &Actor{ID: string(r.ID), PreferredUsername: string(r.PreferredUsername)}
	if !ValidIRI(a.ID) {
		return nil, invalid("id", "%q is not an absolute http(s) URL", a.ID)
	}
	for _, t := range r.Type {
		if actorTypes[t] {
			a.Type = t
			break
		}
	}
	if a.Type == "" {
		return nil, invalid("type", "%q is not an actor type", r.Type.first())
	}
	if err := validUsername(a.PreferredUsername); err != nil {
		return nil, err
	}
	if ids := r.Inbox.ids(); len(ids) > 0 {
		a.Inbox = ids[0]
	}
	if !ValidIRI(a.Inbox) {
		return nil, invalid("inbox", "%q is not an absolute http(s) URL", a.Inbox)
	}
	r.readLinks(a)
	r.readProfile(a)
	a.PublicKey = r.publicKey(a.ID)
	a.AssertionMethods = readMultikeys(r.AssertionMethod)
	return a, nil
}

// readLinks fills the optional IRIs, dropping the invalid ones.
func (r *rawActor) readLinks(a *Actor) {
	first := func(l flexList) string {
		if ids := l.ids(); len(ids) > 0 {
			return iriOrEmpty(ids[0])
		}
		return ""
	}
	a.Outbox, a.Followers, a.Following = first(r.Outbox), first(r.Followers), first(r.Following)
	a.Featured, a.FeaturedTags, a.MovedTo = first(r.Featured), first(r.FeaturedTags), first(r.MovedTo)
	a.URL = pickURL(r.URL)
	a.SharedInbox = iriOrEmpty(sharedInbox(r.Endpoints))
	if a.SharedInbox == "" {
		a.SharedInbox = iriOrEmpty(string(r.SharedInbox))
	}
	a.AlsoKnownAs = validIRIs(r.AlsoKnownAs.ids(), MaxAliases)
	a.AttributionDomains = domains(r.AttributionDomains.ids())
}

// readProfile fills the texts, images, flags and fields.
func (r *rawActor) readProfile(a *Actor) {
	a.Name = truncate(strings.TrimSpace(string(r.Name)), MaxDisplayNameLength)
	a.Summary = text.Sanitize(truncate(string(r.Summary), MaxActorSummaryLength))
	a.ManuallyApprovesFollowers = bool(r.ManuallyApprovesFollowers)
	a.Discoverable, a.Indexable = bool(r.Discoverable), bool(r.Indexable)
	a.Suspended, a.Memorial = bool(r.Suspended), bool(r.Memorial)
	a.Published = time.Time(r.Published)
	a.Icon, a.Image = pickImage(r.Icon), pickImage(r.Image)
	a.Fields = readFields(r.Attachment)
	a.Tags = Tags{Emoji: readTags(r.Tag).Emoji}
}

// validUsername applies Mastodon's rules for remote usernames: letters,
// digits and underscores, with dots and hyphens allowed inside.
func validUsername(u string) error {
	if u == "" {
		return invalid("preferredUsername", "missing")
	}
	if len(u) > MaxUsernameLength {
		return invalid("preferredUsername", "%d bytes is over the %d limit", len(u), MaxUsernameLength)
	}
	word := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		inside := i > 0 && i < len(u)-1
		if !word(c) && !(inside && (c == '.' || c == '-')) {
			return invalid("preferredUsername", "%q has characters a username cannot have", truncate(u, 64))
		}
	}
	return nil
}

// sharedInbox reads endpoints.sharedInbox.
func sharedInbox(raw json.RawMessage) string {
	if !isObject(raw) {
		return ""
	}
	var e struct {
		SharedInbox flexString `json:"sharedInbox"`
	}
	json.Unmarshal(raw, &e) //nolint:errcheck // invalid reads as ""
	return string(e.SharedInbox)
}

// domains keeps the entries that look like host names, lower-cased, at most
// MaxAliases of them.
func domains(list []string) []string {
	var out []string
	for _, d := range list {
		if len(out) == MaxAliases {
			break
		}
		d = strings.ToLower(strings.TrimSpace(d))
		if d != "" && len(d) <= 253 && Host("https://"+d+"/") == d {
			out = append(out, d)
		}
	}
	return out
}

// readFields reads the PropertyValue attachments as profile fields, at most
// MaxFields of them.
func readFields(list flexList) []Field {
	var out []Field
	for _, raw := range list {
		if len(out) == MaxFields {
			break
		}
		var v struct {
			Type  flexTypes  `json:"type"`
			Name  flexString `json:"name"`
			Value flexString `json:"value"`
		}
		if !isObject(raw) || json.Unmarshal(raw, &v) != nil || !v.Type.has("PropertyValue") || v.Name == "" {
			continue
		}
		out = append(out, Field{
			Name:  truncate(strings.TrimSpace(string(v.Name)), MaxFieldLength),
			Value: text.Sanitize(truncate(string(v.Value), MaxFieldLength)),
		})
	}
	return out
}

// publicKey picks the actor's key: the first whose owner is the actor, else
// the first with a PEM.
func (r *rawActor) publicKey(actorID string) PublicKey {
	var fallback PublicKey
	for _, raw := range r.PublicKey {
		var v struct {
			ID           flexString `json:"id"`
			Owner        flexString `json:"owner"`
			PublicKeyPem flexString `json:"publicKeyPem"`
		}
		if !isObject(raw) || json.Unmarshal(raw, &v) != nil || v.PublicKeyPem == "" || !ValidIRI(string(v.ID)) {
			continue
		}
		k := PublicKey{ID: string(v.ID), Owner: iriOrEmpty(string(v.Owner)), PEM: string(v.PublicKeyPem)}
		if k.Owner == actorID {
			return k
		}
		if fallback.ID == "" {
			fallback = k
		}
	}
	return fallback
}

// readMultikeys reads FEP-521a assertionMethod entries of type Multikey.
func readMultikeys(list flexList) []Multikey {
	var out []Multikey
	for _, raw := range list {
		var v struct {
			ID                 flexString `json:"id"`
			Type               flexTypes  `json:"type"`
			Controller         flexString `json:"controller"`
			PublicKeyMultibase flexString `json:"publicKeyMultibase"`
		}
		if len(out) == 16 || !isObject(raw) || json.Unmarshal(raw, &v) != nil || !v.Type.has("Multikey") {
			continue
		}
		if ValidIRI(string(v.ID)) && v.PublicKeyMultibase != "" {
			out = append(out, Multikey{ID: string(v.ID), Controller: iriOrEmpty(string(v.Controller)), PublicKeyMultibase: string(v.PublicKeyMultibase)})
		}
	}
	return out
}
