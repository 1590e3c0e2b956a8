package model

import "time"

// PushAlertTypes are the notification types a Web Push subscription can ask for.
var PushAlertTypes = []string{
	NotifyMention, NotifyStatus, NotifyReblog, NotifyFollow, NotifyFollowRequest, NotifyFavourite,
	NotifyPoll, NotifyUpdate, NotifyQuote, NotifyQuotedUpdate, "admin.sign_up", "admin.report",
}

// Push policies: whose notifications are pushed.
const (
	PushPolicyAll      = "all"
	PushPolicyFollowed = "followed" // only from accounts the member follows
	PushPolicyFollower = "follower" // only from the member's followers
	PushPolicyNone     = "none"
)

// PushSubscription is one access token's Web Push subscription.
type PushSubscription struct {
	ID        int64
	TokenID   int64
	UserID    int64
	Endpoint  string
	P256DH    string
	Auth      string
	Alerts    map[string]bool
	Policy    string
	Standard  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}
