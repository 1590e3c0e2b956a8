package federation

import (
	"fmt"
	"net/url"
)

// URLs builds the ActivityPub ids and addresses of this instance's documents. The
// layout is Mastodon's, so links other servers have stored keep working if an instance
// moves between the two.
type URLs struct {
	Base   string // scheme and web host, e.g. https://example.social
	Domain string // LOCAL_DOMAIN, the host in handles
}

// Actor is a local account's actor id.
func (u URLs) Actor(username string) string { return u.Base + "/users/" + url.PathEscape(username) }

// KeyID names a local account's public key.
func (u URLs) KeyID(username string) string { return u.Actor(username) + "#main-key" }

// Inbox is a local account's personal inbox.
func (u URLs) Inbox(username string) string { return u.Actor(username) + "/inbox" }

// SharedInbox receives activities for every local account at once.
func (u URLs) SharedInbox() string { return u.Base + "/inbox" }

// Outbox is a local account's outbox collection.
func (u URLs) Outbox(username string) string { return u.Actor(username) + "/outbox" }

// Followers is a local account's followers collection; also the address of
// followers-only posts.
func (u URLs) Followers(username string) string { return u.Actor(username) + "/followers" }

// Following is a local account's following collection.
func (u URLs) Following(username string) string { return u.Actor(username) + "/following" }

// Featured is a local account's pinned statuses.
func (u URLs) Featured(username string) string { return u.Actor(username) + "/collections/featured" }

// FeaturedTags is a local account's featured hashtags.
func (u URLs) FeaturedTags(username string) string { return u.Actor(username) + "/collections/tags" }

// Status is a local status's object id (its Note).
func (u URLs) Status(username string, id int64) string {
	return fmt.Sprintf("%s/statuses/%d", u.Actor(username), id)
}

// StatusActivity is the id of the Create (or, for a boost, the Announce) of a status.
func (u URLs) StatusActivity(username string, id int64) string { return u.Status(username, id) + "/activity" }

// Replies is a local status's replies collection.
func (u URLs) Replies(username string, id int64) string { return u.Status(username, id) + "/replies" }

// Profile is the HTML page of a local account.
func (u URLs) Profile(username string) string { return u.Base + "/@" + url.PathEscape(username) }

// StatusPage is the HTML page of a local status.
func (u URLs) StatusPage(username string, id int64) string {
	return fmt.Sprintf("%s/%d", u.Profile(username), id)
}

// InstanceActor signs fetches made on behalf of the server rather than of a member.
func (u URLs) InstanceActor() string { return u.Base + "/actor" }

// InstanceKeyID names the instance actor's public key.
func (u URLs) InstanceKeyID() string { return u.InstanceActor() + "#main-key" }

// Activity is the id of an activity that has no document of its own, such as a Like,
// a Follow or a Block: kind names it ("likes", "follows", "blocks", …) and id is the
// local row's id, so the same action always has the same id.
func (u URLs) Activity(username, kind string, id int64) string {
	return fmt.Sprintf("%s#%s/%d", u.Actor(username), kind, id)
}

// Undo is the id of the Undo of an activity.
func (u URLs) Undo(activityID string) string { return activityID + "/undo" }
