package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Quote-policy answers for one account, as Mastodon's quote_approval.current_user names them.
const (
	QuoteAutomatic = "automatic"
	QuoteDenied    = "denied"
)

// QuoteView is a status's quote of another, as the viewer may see it.
type QuoteView struct {
	State          string
	QuotedStatusID *int64
	Status         *StatusView // the quoted status, when the viewer may see it
	Shallow        bool        // a quote inside a quoted status: shown by id only
}

var errQuoteNotFound = &httpx.Error{Code: 404, Msg: "The post you are trying to quote does not appear to exist."}

func validQuotePolicy(p string) bool {
	switch p {
	case "", model.QuotePolicyPublic, model.QuotePolicyFollowers, model.QuotePolicyNobody:
		return true
	}
	return false
}

// effectiveQuotePolicy is the policy chosen for st, or the default.
func effectiveQuotePolicy(st *model.Status, chosen string) string {
	return QuotePolicyFor(st.Visibility, chosen)
}

// QuotePolicyFor is the quote policy of a status with visibility vis: the one chosen,
// or by default anyone for public and unlisted statuses; other statuses may be quoted
// by nobody but their author, whatever was chosen.
func QuotePolicyFor(vis model.Visibility, chosen string) string {
	if vis != model.Public && vis != model.Unlisted {
		return model.QuotePolicyNobody
	}
	if chosen == "" {
		return model.QuotePolicyPublic
	}
	return chosen
}

// quoteApproval says whether viewer (0 = anonymous) may quote st under policy.
func quoteApproval(viewer int64, st *model.Status, policy string, viewerFollows bool) string {
	switch {
	case viewer == 0 || st.Visibility == model.Direct || st.ReblogOfID != nil:
		return QuoteDenied
	case viewer == st.AccountID || policy == model.QuotePolicyPublic:
		return QuoteAutomatic
	case policy == model.QuotePolicyFollowers && viewerFollows:
		return QuoteAutomatic
	}
	return QuoteDenied
}

// quoteTarget checks that author may quote the status quotedID and narrows st's
// visibility to followers when the quoted status is not public (only its author may
// quote such a status).
func (s *Service) quoteTarget(ctx context.Context, q store.Q, author *model.Account, st *model.Status, quotedID int64) (*model.Status, error) {
	if quotedID == 0 {
		return nil, nil
	}
	quoted, err := q.StatusByID(ctx, quotedID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errQuoteNotFound
	}
	if err != nil {
		return nil, err
	}
	if ok, err := s.canSee(ctx, q, author.ID, quoted); err != nil || !ok {
		return nil, orQuoteNotFound(err)
	}
	policies, err := q.QuotePolicies(ctx, []int64{quoted.ID})
	if err != nil {
		return nil, err
	}
	follows, err := q.FollowingSet(ctx, store.Follows, author.ID, []int64{quoted.AccountID})
	if err != nil {
		return nil, err
	}
	if quoteApproval(author.ID, quoted, effectiveQuotePolicy(quoted, policies[quoted.ID]), follows[quoted.AccountID] != nil) != QuoteAutomatic {
		return nil, errQuoteNotFound
	}
	if quoted.Visibility != model.Public && quoted.Visibility != model.Unlisted && (st.Visibility == model.Public || st.Visibility == model.Unlisted) {
		st.Visibility = model.Private
	}
	return quoted, nil
}

func orQuoteNotFound(err error) error {
	if err != nil {
		return err
	}
	return errQuoteNotFound
}

// attachQuote records a new status's quote and its quote policy, and tells the quoted author.
func (s *Service) attachQuote(ctx context.Context, q store.Q, st, quoted *model.Status, policy string) error {
	if policy != "" && policy != model.QuotePolicyPublic {
		if err := q.SetQuotePolicy(ctx, st.ID, policy); err != nil {
			return err
		}
	}
	if quoted == nil {
		return nil
	}
	qt := &model.Quote{StatusID: st.ID, AccountID: st.AccountID, QuotedStatusID: &quoted.ID, QuotedAccountID: &quoted.AccountID,
		State: model.QuoteAccepted}
	if err := q.InsertQuote(ctx, qt); err != nil {
		return err
	}
	return s.notify(ctx, q, quoted.AccountID, st.AccountID, model.NotifyQuote, &st.ID)
}

// SetQuotePolicy changes who may quote one of the actor's statuses. Statuses that are
// neither public nor unlisted stay quotable by nobody but their author.
func (s *Service) SetQuotePolicy(ctx context.Context, actor *model.Account, statusID int64, policy string) (*model.Status, error) {
	if policy == "" || !validQuotePolicy(policy) {
		return nil, httpx.Unprocessable("Validation failed: Quote approval policy is not included in the list")
	}
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		if st, err = q.StatusByID(ctx, statusID); err != nil {
			return orNotFound(err)
		}
		if st.AccountID != actor.ID || st.ReblogOfID != nil {
			return ErrNotFound
		}
		return q.SetQuotePolicy(ctx, st.ID, effectiveQuotePolicy(st, policy))
	})
	return st, err
}

// Quotes lists the visible statuses quoting a status the viewer may see, with the
// quote ids that page them.
func (s *Service) Quotes(ctx context.Context, viewer *model.Account, statusID int64, p httpx.Page) ([]*StatusView, []int64, error) {
	if _, err := s.VisibleStatus(ctx, viewer, statusID); err != nil {
		return nil, nil, err
	}
	list, cursors, err := s.Store.QuotingStatuses(ctx, statusID, storePage(p))
	if err != nil {
		return nil, nil, err
	}
	visible, err := s.filterVisible(ctx, viewerID(viewer), append([]*model.Status(nil), list...))
	if err != nil {
		return nil, nil, err
	}
	views, err := s.Views(ctx, viewer, visible)
	return views, cursors, err
}

// RevokeQuote withdraws the actor's consent to a status quoting theirs and returns the
// quoting status, which now shows the quote as revoked.
func (s *Service) RevokeQuote(ctx context.Context, actor *model.Account, statusID, quotingID int64) (*model.Status, error) {
	quoted, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	if quoted.AccountID != actor.ID {
		return nil, ErrNotFound
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		quotes, err := q.QuotesByStatusIDs(ctx, []int64{quotingID})
		if err != nil {
			return err
		}
		qt := quotes[quotingID]
		if qt == nil || qt.QuotedStatusID == nil || *qt.QuotedStatusID != quoted.ID {
			return ErrNotFound
		}
		switch qt.State {
		case model.QuoteAccepted:
			return q.SetQuoteState(ctx, qt.ID, model.QuoteRevoked)
		case model.QuotePending:
			return q.SetQuoteState(ctx, qt.ID, model.QuoteRejected)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	st, err := s.Store.StatusByID(ctx, quotingID)
	return st, orNotFound(err)
}

// notifyQuoters tells the local accounts that quoted an edited status, on their quoting status.
func (s *Service) notifyQuoters(ctx context.Context, q store.Q, st *model.Status) error {
	quotes, err := q.LocalQuotesOf(ctx, st.ID)
	if err != nil {
		return err
	}
	for _, qt := range quotes {
		if err := s.notify(ctx, q, qt.AccountID, st.AccountID, model.NotifyQuotedUpdate, &qt.StatusID); err != nil {
			return err
		}
	}
	return nil
}
