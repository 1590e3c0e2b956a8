package ap

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/text"
)

// Activity is a remote activity.
type Activity struct {
	ID        string // "" when the sender gave none (allowed: some transient activities have none)
	Type      string
	Actor     string // the actor's IRI, always valid
	Object    *Ref   // nil when the activity has no object
	Objects   []Ref  // every object when several are given (Flag); Objects[0] is *Object
	Target    *Ref
	Origin    *Ref
	Result    *Ref
	To        []string
	Cc        []string
	Published time.Time
	Content   string // reaction of a Like/EmojiReact (Misskey, Pleroma), or a Flag's comment, as plain text
	Tags      Tags   // the custom emoji of a reaction
}

// Ref is a reference to another document: its IRI, and the embedded
// document when the sender included it. Decode Raw with DecodeObject,
// DecodeActor or DecodeActivity according to Type (or Peek).
type Ref struct {
	IRI  string          // the referenced document's id; "" for an embedded document without one
	Type string          // the embedded document's type; "" for a bare IRI
	Raw  json.RawMessage // the embedded document; nil for a bare IRI
}

// Embedded reports whether the reference carries the document itself.
func (r *Ref) Embedded() bool { return r != nil && r.Raw != nil }

type rawActivity struct {
	ID        flexString `json:"id"`
	Type      flexTypes  `json:"type"`
	Actor     flexList   `json:"actor"`
	Object    flexList   `json:"object"`
	Target    flexList   `json:"target"`
	Origin    flexList   `json:"origin"`
	Result    flexList   `json:"result"`
	To        flexList   `json:"to"`
	Cc        flexList   `json:"cc"`
	Published flexTime   `json:"published"`
	Content   flexString `json:"content"`
	Tag       flexList   `json:"tag"`
}

// DecodeActivity decodes a remote activity. It fails with ErrInvalid when
// the id is present but not a valid IRI, the actor is missing or not a valid
// IRI, or an object reference is neither a valid IRI nor an embedded
// document. Embedded documents are not decoded: the caller decodes Ref.Raw
// as the kind it expects.
func DecodeActivity(data []byte) (*Activity, error) {
	var r rawActivity
	if err := unmarshal(data, &r); err != nil {
		return nil, err
	}
	return r.normalize()
}

func (r *rawActivity) normalize() (*Activity, error) {
	a := &Activity{ID: string(r.ID), Type: r.Type.first()}
	if a.ID != "" && !ValidIRI(a.ID) {
		return nil, invalid("id", "%q is not an absolute http(s) URL", a.ID)
	}
	if a.Type == "" {
		return nil, invalid("type", "missing")
	}
	if ids := r.Actor.ids(); len(ids) > 0 {
		a.Actor = ids[0]
	}
	if !ValidIRI(a.Actor) {
		return nil, invalid("actor", "%q is not an absolute http(s) URL", a.Actor)
	}
	var err error
	if a.Objects, err = readRefs("object", r.Object); err != nil {
		return nil, err
	}
	if len(a.Objects) > 0 {
		a.Object = &a.Objects[0]
	}
	if a.Target, err = readRef("target", r.Target); err != nil {
		return nil, err
	}
	if a.Origin, err = readRef("origin", r.Origin); err != nil {
		return nil, err
	}
	if a.Result, err = readRef("result", r.Result); err != nil {
		return nil, err
	}
	a.To, a.Cc = validIRIsOrPublic(r.To.ids()), validIRIsOrPublic(r.Cc.ids())
	a.Published = time.Time(r.Published)
	a.Content = truncate(strings.TrimSpace(text.PlainText(string(r.Content))), MaxDescriptionLength)
	a.Tags = Tags{Emoji: readTags(r.Tag).Emoji}
	return a, nil
}

// readRefs reads every entry of list, at most MaxTags of them.
func readRefs(field string, list flexList) ([]Ref, error) {
	var out []Ref
	for _, raw := range list {
		if len(out) == MaxTags {
			break
		}
		ref, err := toRef(field, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, nil
}

// readRef reads the first entry of list, nil when there is none.
func readRef(field string, list flexList) (*Ref, error) {
	if len(list) == 0 {
		return nil, nil
	}
	ref, err := toRef(field, list[0])
	if err != nil {
		return nil, err
	}
	return &ref, nil
}

// toRef reads an IRI or an embedded document. An embedded document's id, if
// it has one, must be a valid IRI like any other.
func toRef(field string, raw json.RawMessage) (Ref, error) {
	if !isObject(raw) {
		iri := idOf(raw)
		if !ValidIRI(iri) {
			return Ref{}, invalid(field, "%q is not an absolute http(s) URL", truncate(iri, 256))
		}
		return Ref{IRI: iri}, nil
	}
	var h struct {
		ID   flexString `json:"id"`
		Type flexTypes  `json:"type"`
		Href flexString `json:"href"`
	}
	json.Unmarshal(raw, &h) //nolint:errcheck // raw is a JSON object
	ref := Ref{IRI: string(h.ID), Type: h.Type.first(), Raw: raw}
	if ref.Type == "Link" && ref.IRI == "" {
		ref = Ref{IRI: string(h.Href)} // a Link stands for what it links to
	}
	if ref.IRI != "" && !ValidIRI(ref.IRI) {
		return Ref{}, invalid(field+".id", "%q is not an absolute http(s) URL", truncate(ref.IRI, 256))
	}
	if ref.Raw == nil && ref.IRI == "" {
		return Ref{}, invalid(field, "link without href")
	}
	return ref, nil
}
