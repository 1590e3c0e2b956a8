package model

import "time"

// Mute hides an account's statuses from a member, and its notifications when
// HideNotifications is set, until ExpiresAt (nil: for good).
type Mute struct {
	ID                int64
	AccountID         int64
	TargetAccountID   int64
	HideNotifications bool
	ExpiresAt         *time.Time
	CreatedAt         time.Time
}

// ActiveAt reports whether the mute still applies at t.
func (m *Mute) ActiveAt(t time.Time) bool { return m.ExpiresAt == nil || m.ExpiresAt.After(t) }

// Audience is what the visibility rule needs to know about a viewer and a status's author.
type Audience struct {
	Follows         bool // the viewer follows the author
	Mentioned       bool // the status mentions the viewer
	BlockedByAuthor bool // the author blocks the viewer
}

// Visible is tusk's whole visibility rule: CanSee's audiences, and nothing at all of an
// author who blocks the viewer. store's builder.visibleTo is its SQL form; a test checks
// that the two agree.
func Visible(viewer int64, s *Status, a Audience) bool {
	if a.BlockedByAuthor && viewer != s.AccountID {
		return false
	}
	return CanSee(viewer, s, a.Follows, a.Mentioned)
}

// Screen is what blocks, mutes and domain blocks say between a viewer and an account
// whose statuses or notifications might reach them. Unlike Visible, which decides whether
// a status may be shown at all, a screen keeps statuses out of what tusk puts in front of
// the viewer unasked: timelines, search, threads and notifications.
type Screen struct {
	Blocking            bool // the viewer blocks the account
	BlockedBy           bool // the account blocks the viewer
	Muting              bool // the viewer mutes the account (an unexpired mute)
	MutingNotifications bool // ... and its notifications too
	// DomainBlocking: the viewer blocks the account's domain and does not follow the
	// account (as in Mastodon, a follow kept through a domain block keeps its statuses).
	DomainBlocking bool
}

// HidesStatuses reports whether the account's statuses, and boosts of them, stay out of
// the viewer's timelines, search results and threads. store's builder.screenFor is its
// SQL form; a test checks that the two agree.
func (s Screen) HidesStatuses() bool {
	return s.Blocking || s.BlockedBy || s.Muting || s.DomainBlocking
}

// HidesNotifications reports whether the account's notifications stay out of the
// viewer's list (builder.screenNotificationsFor is the SQL form).
func (s Screen) HidesNotifications() bool {
	return s.Blocking || s.BlockedBy || s.MutingNotifications || s.DomainBlocking
}
