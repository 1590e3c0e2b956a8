package model

import "time"

// Policy answers what a notification policy does with a sender's notifications.
type Policy string

// The three answers Mastodon's notification policy knows.
const (
	PolicyAccept Policy = "accept"
	PolicyFilter Policy = "filter"
	PolicyDrop   Policy = "drop"
)

// Valid reports whether p is accept, filter or drop.
func (p Policy) Valid() bool { return p == PolicyAccept || p == PolicyFilter || p == PolicyDrop }

// NotificationPolicy is a member's rule for notifications from strangers.
type NotificationPolicy struct {
	AccountID          int64
	ForNotFollowing    Policy
	ForNotFollowers    Policy
	ForNewAccounts     Policy
	ForPrivateMentions Policy
	ForLimitedAccounts Policy
	UpdatedAt          time.Time
}

// DefaultNotificationPolicy is Mastodon's default: strangers' notifications are
// accepted, private mentions from strangers and limited accounts are filtered.
func DefaultNotificationPolicy(accountID int64) *NotificationPolicy {
	return &NotificationPolicy{AccountID: accountID, ForNotFollowing: PolicyAccept, ForNotFollowers: PolicyAccept,
		ForNewAccounts: PolicyAccept, ForPrivateMentions: PolicyFilter, ForLimitedAccounts: PolicyFilter}
}

// NotificationRequest holds the filtered notifications of one sender.
type NotificationRequest struct {
	ID                 int64
	AccountID          int64
	FromAccountID      int64
	NotificationsCount int64
	LastStatusID       *int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// NotificationGroup summarises the notifications sharing one group key.
type NotificationGroup struct {
	Key                  string
	Type                 string
	StatusID             *int64
	Count                int64
	MostRecentID         int64
	SampleAccountIDs     []int64
	PageMinID, PageMaxID int64     // 0 outside a paginated list
	LatestPageAt         time.Time // zero outside a paginated list
}

// Marker is a saved reading position in a timeline.
type Marker struct {
	Timeline   string
	LastReadID int64
	Version    int64
	UpdatedAt  time.Time
}

// Conversation is one member's view of a direct-message thread.
type Conversation struct {
	ID             int64
	AccountID      int64
	ParticipantIDs []int64
	Unread         bool
	LastStatusID   int64
}

// ReadingPreferences are the display settings Mastodon reports beside posting defaults.
type ReadingPreferences struct {
	ExpandMedia    string // default, show_all or hide_all
	ExpandSpoilers bool
	AutoplayGifs   bool
}
