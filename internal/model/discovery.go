package model

import "time"

// FeaturedTag is a hashtag an account shows on its profile, with the account's own use of it.
type FeaturedTag struct {
	ID            int64
	AccountID     int64
	Tag           Tag
	StatusesCount int64
	LastStatusAt  *time.Time
	CreatedAt     time.Time
}

// Trend kinds: what a trends row scores.
const (
	TrendTag    = "tag"
	TrendStatus = "status"
)

// Trend is one scored tag or status of the last trends computation, with the admins'
// review (nil when not reviewed).
type Trend struct {
	Kind     string
	TargetID int64
	Label    string // the tag's name or the status's URI, for admins
	Score    float64
	Allowed  *bool
}

// Suggestion sources, as Mastodon names them.
const (
	SourceFriendsOfFriends = "friends_of_friends"
	SourceMostFollowed     = "most_followed"
)

// Suggestion is an account proposed for the viewer to follow, with why.
type Suggestion struct {
	Account *Account
	Sources []string
}

// Announcement is an admins' message shown to every member while it is active.
type Announcement struct {
	ID               int64
	Text             string
	StartsAt, EndsAt *time.Time
	AllDay           bool
	PublishedAt      time.Time
	UpdatedAt        time.Time
}

// Reaction is one emoji's reactions to an announcement.
type Reaction struct {
	Name  string
	Count int64
	Me    bool
}
