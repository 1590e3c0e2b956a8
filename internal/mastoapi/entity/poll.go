package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/social"
)

// Poll is Mastodon's Poll entity.
type Poll struct {
	ID          string       `json:"id"`
	ExpiresAt   *string      `json:"expires_at"`
	Expired     bool         `json:"expired"`
	Multiple    bool         `json:"multiple"`
	VotesCount  int64        `json:"votes_count"`
	VotersCount *int64       `json:"voters_count"`
	Options     []PollOption `json:"options"`
	Emojis      []Emoji      `json:"emojis"`
	Voted       *bool        `json:"voted,omitempty"`
	OwnVotes    *[]int       `json:"own_votes,omitempty"`
}

// PollOption is one answer of a poll; its count is null while the totals are hidden.
type PollOption struct {
	Title      string `json:"title"`
	VotesCount *int64 `json:"votes_count"`
}

// Poll renders a poll; signedIn adds what the viewer voted.
func (r Renderer) Poll(p *social.PollView, signedIn bool) Poll {
	voters := p.Tally.Voters
	out := Poll{ID: id.Format(p.ID), ExpiresAt: timestampPtr(p.ExpiresAt), Expired: p.Expired, Multiple: p.Multiple,
		VotesCount: p.Tally.Votes, VotersCount: &voters, Options: make([]PollOption, len(p.Options)), Emojis: noEmojis()}
	hidden := p.HideTotals && !p.Expired && !p.Owned
	for i, title := range p.Options {
		out.Options[i] = PollOption{Title: title}
		if !hidden {
			n := p.Tally.PerOption[i]
			out.Options[i].VotesCount = &n
		}
	}
	if signedIn {
		voted, own := p.Voted, append([]int{}, p.OwnVotes...)
		out.Voted, out.OwnVotes = &voted, &own
	}
	return out
}
