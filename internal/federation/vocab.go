package federation

// The shapes of the ActivityPub documents tusk renders. Inbound documents are read by
// internal/ap, which tolerates every shape other servers send; these are the one shape
// we send, Mastodon's, so servers that only understand Mastodon understand us.

// Public is the special collection addressing a post to everyone.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// ContentType is what tusk sends and asks for; the JSON-LD form with the profile is
// accepted as the same thing.
const (
	ContentType   = "application/activity+json"
	LDContentType = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// Context is the @context of every document tusk renders: ActivityStreams, security
// (publicKey) and the Mastodon and schema.org terms Mastodon uses.
var Context = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/security/v1",
	map[string]any{
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"toot":                      "http://joinmastodon.org/ns#",
		"featured":                  map[string]string{"@id": "toot:featured", "@type": "@id"},
		"featuredTags":              map[string]string{"@id": "toot:featuredTags", "@type": "@id"},
		"alsoKnownAs":               map[string]string{"@id": "as:alsoKnownAs", "@type": "@id"},
		"movedTo":                   map[string]string{"@id": "as:movedTo", "@type": "@id"},
		"schema":                    "http://schema.org#",
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"suspended":                 "toot:suspended",
		"memorial":                  "toot:memorial",
		"sensitive":                 "as:sensitive",
		"Hashtag":                   "as:Hashtag",
		"Emoji":                     "toot:Emoji",
		"focalPoint":                map[string]string{"@container": "@list", "@id": "toot:focalPoint"},
		"blurhash":                  "toot:blurhash",
		"votersCount":               "toot:votersCount",
		"conversation":              "ostatus:conversation",
		"ostatus":                   "http://ostatus.org#",
		"quoteUri":                  "fedibird:quoteUri",
		"fedibird":                  "http://fedibird.com/ns#",
	},
}

// Activity is an activity tusk sends. Object is an id (string) or an embedded document.
type Activity struct {
	Context   any      `json:"@context,omitempty"`
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Actor     string   `json:"actor"`
	Published string   `json:"published,omitempty"`
	To        []string `json:"to,omitempty"`
	Cc        []string `json:"cc,omitempty"`
	Object    any      `json:"object"`
	Target    any      `json:"target,omitempty"`
}

// Object is a status as ActivityPub sees it: a Note, or a Question for a poll.
type Object struct {
	Context      any               `json:"@context,omitempty"`
	ID           string            `json:"id"`
	Type         string            `json:"type"`
	Summary      *string           `json:"summary"`
	InReplyTo    *string           `json:"inReplyTo"`
	Published    string            `json:"published"`
	Updated      string            `json:"updated,omitempty"`
	URL          string            `json:"url"`
	AttributedTo string            `json:"attributedTo"`
	To           []string          `json:"to"`
	Cc           []string          `json:"cc"`
	Sensitive    bool              `json:"sensitive"`
	Conversation string            `json:"conversation,omitempty"`
	Content      string            `json:"content"`
	ContentMap   map[string]string `json:"contentMap,omitempty"`
	Attachment   []Attachment      `json:"attachment"`
	Tag          []Tag             `json:"tag"`
	Replies      *Collection       `json:"replies,omitempty"`
	QuoteURI     string            `json:"quoteUri,omitempty"`

	// Question only.
	OneOf       []PollOption `json:"oneOf,omitempty"`
	AnyOf       []PollOption `json:"anyOf,omitempty"`
	EndTime     string       `json:"endTime,omitempty"`
	Closed      string       `json:"closed,omitempty"`
	VotersCount *int64       `json:"votersCount,omitempty"`
}

// PollOption is one answer of a Question with its vote count.
type PollOption struct {
	Type    string     `json:"type"` // Note
	Name    string     `json:"name"`
	Replies Collection `json:"replies"`
}

// Tag is a Mention, a Hashtag or an Emoji on a status or a profile.
type Tag struct {
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	Href    string `json:"href,omitempty"`
	Name    string `json:"name"`
	Updated string `json:"updated,omitempty"`
	Icon    *Image `json:"icon,omitempty"`
}

// Attachment is a media file on a status (Document) or a profile field (PropertyValue).
type Attachment struct {
	Type       string    `json:"type"`
	MediaType  string    `json:"mediaType,omitempty"`
	URL        string    `json:"url,omitempty"`
	Name       *string   `json:"name,omitempty"`
	Value      string    `json:"value,omitempty"`
	Blurhash   string    `json:"blurhash,omitempty"`
	FocalPoint []float64 `json:"focalPoint,omitempty"`
	Width      int       `json:"width,omitempty"`
	Height     int       `json:"height,omitempty"`
}

// Image is an avatar, a header or an emoji picture.
type Image struct {
	Type      string `json:"type"` // Image
	MediaType string `json:"mediaType,omitempty"`
	URL       string `json:"url"`
}

// PublicKey is an actor's key as the security vocabulary names it.
type PublicKey struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPEM string `json:"publicKeyPem"`
}

// Endpoints carries the shared inbox.
type Endpoints struct {
	SharedInbox string `json:"sharedInbox"`
}

// ActorDoc is an actor document: a local account (Person, or Service for a bot) or the
// instance actor (Application).
type ActorDoc struct {
	Context                   any          `json:"@context,omitempty"`
	ID                        string       `json:"id"`
	Type                      string       `json:"type"`
	Following                 string       `json:"following,omitempty"`
	Followers                 string       `json:"followers,omitempty"`
	Inbox                     string       `json:"inbox"`
	Outbox                    string       `json:"outbox"`
	Featured                  string       `json:"featured,omitempty"`
	FeaturedTags              string       `json:"featuredTags,omitempty"`
	PreferredUsername         string       `json:"preferredUsername"`
	Name                      string       `json:"name"`
	Summary                   string       `json:"summary"`
	URL                       string       `json:"url"`
	ManuallyApprovesFollowers bool         `json:"manuallyApprovesFollowers"`
	Discoverable              bool         `json:"discoverable"`
	Indexable                 bool         `json:"indexable"`
	Published                 string       `json:"published,omitempty"`
	Memorial                  bool         `json:"memorial,omitempty"`
	Suspended                 bool         `json:"suspended,omitempty"`
	AlsoKnownAs               []string     `json:"alsoKnownAs,omitempty"`
	MovedTo                   string       `json:"movedTo,omitempty"`
	PublicKey                 PublicKey    `json:"publicKey"`
	Tag                       []Tag        `json:"tag"`
	Attachment                []Attachment `json:"attachment"`
	Endpoints                 Endpoints    `json:"endpoints"`
	Icon                      *Image       `json:"icon,omitempty"`
	Image                     *Image       `json:"image,omitempty"`
}

// Collection is an ordered collection or one of its pages.
type Collection struct {
	Context      any    `json:"@context,omitempty"`
	ID           string `json:"id,omitempty"`
	Type         string `json:"type"` // OrderedCollection, OrderedCollectionPage, Collection, CollectionPage
	TotalItems   *int64 `json:"totalItems,omitempty"`
	First        any    `json:"first,omitempty"`
	Last         string `json:"last,omitempty"`
	Next         string `json:"next,omitempty"`
	Prev         string `json:"prev,omitempty"`
	PartOf       string `json:"partOf,omitempty"`
	OrderedItems []any  `json:"orderedItems,omitzero"` // an empty page still says [] (nil omits it)
	Items        []any  `json:"items,omitzero"`
}

// Tombstone stands in for a deleted object in a Delete.
type Tombstone struct {
	ID   string `json:"id"`
	Type string `json:"type"` // Tombstone
}
