package model

import "time"

// Notification types of this file's features.
const (
	NotifyPoll   = "poll"   // a poll the recipient voted in, or wrote, has ended
	NotifyUpdate = "update" // a status the recipient boosted or favourited was edited
)

// Poll is a status's poll.
type Poll struct {
	ID         int64
	StatusID   int64
	AccountID  int64
	Options    []string
	Multiple   bool
	HideTotals bool
	ExpiresAt  *time.Time
	ClosedAt   *time.Time
	CreatedAt  time.Time
}

// Expired reports whether voting has ended at now.
func (p *Poll) Expired(now time.Time) bool {
	return p.ExpiresAt != nil && !p.ExpiresAt.After(now)
}

// PollTally is a poll's count of votes: per option, in all, and of distinct voters.
type PollTally struct {
	PerOption []int64
	Votes     int64
	Voters    int64
}

// StatusEdit is one version of an edited status, as it was from CreatedAt on.
type StatusEdit struct {
	ID          int64
	StatusID    int64
	AccountID   int64
	Text        string
	Content     string
	SpoilerText string
	Sensitive   bool
	PollOptions []string // nil when that version had no poll
	CreatedAt   time.Time
}

// ScheduledStatus is a status waiting to be posted at ScheduledAt.
type ScheduledStatus struct {
	ID          int64
	AccountID   int64
	ScheduledAt time.Time
	Params      ScheduledParams
	CreatedAt   time.Time
	Media       []*MediaAttachment // reserved until it is published; loaded by the social layer
}

// ScheduledParams is what a scheduled status will be posted with, already validated
// and with the author's defaults applied.
type ScheduledParams struct {
	Text           string      `json:"text"`
	SpoilerText    string      `json:"spoiler_text"`
	Visibility     Visibility  `json:"visibility"`
	Sensitive      bool        `json:"sensitive"`
	Language       string      `json:"language,omitempty"`
	InReplyToID    int64       `json:"in_reply_to_id,string,omitempty"`
	ApplicationID  *int64      `json:"application_id,string,omitempty"`
	Idempotency    string      `json:"idempotency,omitempty"`
	Poll           *PollParams `json:"poll,omitempty"`
	QuotedStatusID int64       `json:"quoted_status_id,string,omitempty"`
	QuotePolicy    string      `json:"quote_approval_policy,omitempty"`
}

// PollParams is a poll as its author asks for it.
type PollParams struct {
	Options    []string `json:"options"`
	ExpiresIn  int      `json:"expires_in"` // seconds
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

// Quote states, as Mastodon names them.
const (
	QuotePending  = "pending"
	QuoteAccepted = "accepted"
	QuoteRejected = "rejected"
	QuoteRevoked  = "revoked"
)

// Quote policies: who may quote a status.
const (
	QuotePolicyPublic    = "public"
	QuotePolicyFollowers = "followers"
	QuotePolicyNobody    = "nobody"
)

// Notification types of quote posts.
const (
	NotifyQuote        = "quote"         // a status of the recipient's was quoted
	NotifyQuotedUpdate = "quoted_update" // a status the recipient quoted was edited
)

// Quote is a status's quotation of another status.
type Quote struct {
	ID              int64
	StatusID        int64 // the quoting status
	AccountID       int64
	QuotedStatusID  *int64 // nil once the quoted status is deleted
	QuotedAccountID *int64
	State           string
	CreatedAt       time.Time
}
