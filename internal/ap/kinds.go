package ap

// ActorTypes are the actor types tusk federates with.
var actorTypes = map[string]bool{"Person": true, "Service": true, "Application": true, "Group": true, "Organization": true}

// statusTypes become statuses with their own content, as in Mastodon.
var statusTypes = map[string]bool{"Note": true, "Question": true, "ChatMessage": true}

// convertedTypes become statuses that show a title and a link to the
// original, as Mastodon does for kinds of object it cannot render itself.
var convertedTypes = map[string]bool{"Article": true, "Page": true, "Video": true, "Audio": true, "Image": true, "Event": true}

// activityTypes are the activity types the decoder knows; others decode too
// (Activity.Type keeps their name) but IsActivityType reports false.
var activityTypes = map[string]bool{
	"Create": true, "Update": true, "Delete": true, "Follow": true, "Accept": true, "Reject": true,
	"Add": true, "Remove": true, "Like": true, "Dislike": true, "Announce": true, "Undo": true,
	"Block": true, "Flag": true, "Move": true, "EmojiReact": true, "Join": true, "Leave": true,
	"Invite": true, "TentativeAccept": true, "TentativeReject": true, "Read": true, "View": true,
	"Listen": true, "QuoteRequest": true,
}

// IsActorType reports whether t is an actor type (Person, Service,
// Application, Group, Organization).
func IsActorType(t string) bool { return actorTypes[t] }

// IsObjectType reports whether t is an object that can become a status:
// Note, Question and ChatMessage, or a type converted to a title and link
// (Article, Page, Video, Audio, Image, Event).
func IsObjectType(t string) bool { return statusTypes[t] || convertedTypes[t] }

// IsActivityType reports whether t is an activity type.
func IsActivityType(t string) bool { return activityTypes[t] }
