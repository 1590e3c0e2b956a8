package entity

import (
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Quote is Mastodon's Quote entity: a status's quote with the quoted status.
type Quote struct {
	State        string  `json:"state"`
	QuotedStatus *Status `json:"quoted_status"`
}

// ShallowQuote is Mastodon's ShallowQuote entity: a quote inside a quoted status, by id.
type ShallowQuote struct {
	State          string  `json:"state"`
	QuotedStatusID *string `json:"quoted_status_id"`
}

// QuotePolicy is Mastodon's QuoteApproval entity: who may quote a status, and
// whether the viewer may.
type QuotePolicy struct {
	Automatic   []string `json:"automatic"`
	Manual      []string `json:"manual"`
	CurrentUser string   `json:"current_user"`
}

func (r Renderer) quoteFields(out *Status, v *social.StatusView, signedIn bool) {
	out.QuotesCount = v.QuotesCount
	automatic := []string{}
	if v.QuotePolicy == model.QuotePolicyPublic || v.QuotePolicy == model.QuotePolicyFollowers {
		automatic = append(automatic, v.QuotePolicy)
	}
	out.QuoteApproval = &QuotePolicy{Automatic: automatic, Manual: []string{}, CurrentUser: v.QuoteApproval}
	switch q := v.Quote; {
	case q == nil:
	case q.Shallow:
		out.Quote = &ShallowQuote{State: q.State, QuotedStatusID: idPtr(q.QuotedStatusID)}
	case q.Status != nil:
		quoted := r.Status(q.Status, signedIn)
		out.Quote = &Quote{State: q.State, QuotedStatus: &quoted}
	default:
		out.Quote = &Quote{State: q.State}
	}
}
