package model

import "time"

// Actor is how an account is reached over ActivityPub. For a remote account it holds
// what its actor document said when last fetched; for a local account only the key pair
// matters (the rest follows from the username and the instance's address).
type Actor struct {
	AccountID       int64
	Type            string // Person, Service, Application, Group, Organization
	InboxURL        string
	SharedInboxURL  string
	OutboxURL       string
	FollowersURL    string
	FollowingURL    string
	FeaturedURL     string
	FeaturedTagsURL string
	PublicKeyID     string
	PublicKeyPEM    string
	PrivateKeyPEM   string // local accounts only
	AlsoKnownAs     []string
	MovedToURI      string
	Indexable       bool
	FetchedAt       *time.Time // remote accounts: when the actor document was last read
	UpdatedAt       time.Time
}

// DeliveryInbox is where activities for the actor go: the shared inbox when it has one,
// so a server with many recipients gets one request.
func (a *Actor) DeliveryInbox() string {
	if a.SharedInboxURL != "" {
		return a.SharedInboxURL
	}
	return a.InboxURL
}
