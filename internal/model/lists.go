package model

import "time"

// RepliesPolicy says which replies a list's timeline shows.
type RepliesPolicy string

// The replies policies Mastodon offers: replies to anyone the owner follows, to the
// list's members, or to no one (the owner excepted, always).
const (
	RepliesFollowed RepliesPolicy = "followed"
	RepliesList     RepliesPolicy = "list"
	RepliesNone     RepliesPolicy = "none"
)

// Valid reports whether p is one of the three policies.
func (p RepliesPolicy) Valid() bool {
	return p == RepliesFollowed || p == RepliesList || p == RepliesNone
}

// List is a member's named group of followed accounts, with a timeline of their statuses.
// Members of an exclusive list are left out of the owner's home timeline.
type List struct {
	ID            int64
	AccountID     int64
	Title         string
	RepliesPolicy RepliesPolicy
	Exclusive     bool
	CreatedAt     time.Time
}
