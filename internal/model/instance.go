package model

import "time"

// Rule is one of the instance's rules, in the order the admins gave them.
type Rule struct {
	ID        int64
	Text      string
	Hint      string
	Position  int
	CreatedAt time.Time
}

// Domain block severities, as Mastodon names them.
const (
	SeveritySilence = "silence"
	SeveritySuspend = "suspend"
	SeverityNoop    = "noop"
)

// DomainBlock is a server-level block of a whole domain.
type DomainBlock struct {
	ID             int64
	Domain         string
	Severity       string
	PublicComment  string
	PrivateComment string
	Obfuscate      bool
	CreatedAt      time.Time
}

// CustomEmoji is an image that :Shortcode: stands for. Domain is "" for local emoji;
// File is the image's name in the instance's emoji folder.
type CustomEmoji struct {
	ID              int64
	Shortcode       string
	Domain          string
	File            string
	ContentType     string
	Category        string
	VisibleInPicker bool
	Disabled        bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Report categories, as Mastodon names them.
const (
	ReportSpam      = "spam"
	ReportLegal     = "legal"
	ReportViolation = "violation"
	ReportOther     = "other"
)

// Report is a member's complaint about an account, for the moderators.
type Report struct {
	ID              int64
	AccountID       int64 // who reported
	TargetAccountID int64
	StatusIDs       []int64
	RuleIDs         []int64
	Comment         string
	Category        string
	Forwarded       bool
	ActionTakenAt   *time.Time
	CreatedAt       time.Time
}

// WeekActivity is one week of /api/v1/instance/activity.
type WeekActivity struct {
	Week                            time.Time // Monday, 00:00 UTC
	Statuses, Logins, Registrations int64
}

// WeekOf is the Monday, 00:00 UTC, of t's week: weeks start on Monday, as Mastodon's do.
func WeekOf(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}
