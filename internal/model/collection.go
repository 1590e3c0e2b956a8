package model

import "time"

// States of a collection item, as Mastodon names them.
const (
	ItemPending  = "pending"  // the featured account's consent is not known yet
	ItemAccepted = "accepted" // the featured account consents
	ItemRejected = "rejected" // the featured account refused
	ItemRevoked  = "revoked"  // the featured account withdrew its consent
)

// Collection is a member's curated list of accounts recommended to others.
type Collection struct {
	ID           int64
	AccountID    int64
	Name         string
	Description  string
	Language     *string
	TagName      *string
	Sensitive    bool
	Discoverable bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// CollectionItem is one account in a collection.
type CollectionItem struct {
	ID           int64
	CollectionID int64
	AccountID    int64
	State        string
	CreatedAt    time.Time
}
