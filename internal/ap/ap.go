// Package ap decodes ActivityPub documents received from other servers into
// normalized Go values that federation code can store.
//
// Decoding is tolerant of the many shapes remote servers use (a property that
// is a string, an object or an array of either; a type that is a list;
// numbers as strings) and strict about what matters for safety: every id is
// an absolute http(s) URL, links that are not are dropped, remote HTML is
// sanitized, and the sizes Mastodon documents in its FEDERATION.md are
// enforced. Rendering tusk's own documents is not this package's job.
package ap

import (
	"encoding/json"
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error that rejects a document; the message
// names the field at fault.
var ErrInvalid = errors.New("ap: invalid document")

// Size limits, as Mastodon documents them for federated content.
const (
	// MaxDocumentSize is the largest serialized document accepted.
	MaxDocumentSize = 1 << 20
	// MaxFieldLength bounds a profile field's name and value (truncated).
	MaxFieldLength = 2047
	// MaxFields is the number of profile fields kept.
	MaxFields = 50
	// MaxPollOptions is the number of poll options kept.
	MaxPollOptions = 500
	// MaxUsernameLength rejects actors with a longer preferredUsername.
	MaxUsernameLength = 2048
	// MaxDisplayNameLength bounds an actor's name (truncated).
	MaxDisplayNameLength = 2048
	// MaxActorSummaryLength bounds an actor's summary (truncated, 20 kB).
	MaxActorSummaryLength = 20 * 1024
	// MaxAliases bounds alsoKnownAs and attributionDomains (truncated).
	MaxAliases = 256
	// MaxEmojiShortcodeLength rejects custom emoji with a longer name.
	MaxEmojiShortcodeLength = 2048
	// MaxDescriptionLength bounds media descriptions (alt text; truncated).
	MaxDescriptionLength = 10000
)

// Limits that Mastodon does not document but that keep a hostile document
// from costing more than a real one.
const (
	// MaxIRILength bounds every IRI; longer ones are treated as invalid.
	MaxIRILength = 4096
	// MaxAttachments is the number of media attachments kept on an object.
	MaxAttachments = 16
	// MaxTags is the number of tags (mentions, hashtags, emoji) kept.
	MaxTags = 500
	// MaxAudience is the number of to/cc addresses kept.
	MaxAudience = 10000
)

// invalid builds an error wrapping ErrInvalid that names field.
func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalid, field, fmt.Sprintf(format, args...))
}

// unmarshal decodes data into v after the size check every entry point
// shares.
func unmarshal(data []byte, v any) error {
	if len(data) > MaxDocumentSize {
		return invalid("document", "%d bytes is over the %d byte limit", len(data), MaxDocumentSize)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: not a JSON object: %v", ErrInvalid, err)
	}
	return nil
}

// Head is the part of a document that tells what it is.
type Head struct {
	ID   string
	Type string
}

// Peek reads only the id and type of a document, so a caller holding an
// embedded document (Ref.Raw) can choose DecodeActor, DecodeObject or
// DecodeActivity.
func Peek(data []byte) (Head, error) {
	var h struct {
		ID   flexString `json:"id"`
		Type flexTypes  `json:"type"`
	}
	if err := unmarshal(data, &h); err != nil {
		return Head{}, err
	}
	return Head{ID: string(h.ID), Type: h.Type.first()}, nil
}
