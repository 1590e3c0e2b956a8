package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// statusExtras is what a status view shows of polls, conversation mutes and quotes.
type statusExtras struct {
	polls         map[int64]*PollView // by status id
	muted         map[int64]bool
	quotes        map[int64]*QuoteView
	quotePolicy   map[int64]string
	quoteApproval map[int64]string
	quotesCount   map[int64]int64
}

func (s *Service) loadStatusExtras(ctx context.Context, viewer int64, all map[int64]*model.Status) (statusExtras, error) {
	x := statusExtras{quotePolicy: map[int64]string{}, quoteApproval: map[int64]string{}}
	ids := make([]int64, 0, len(all))
	for id := range all {
		ids = append(ids, id)
	}
	polls, err := s.Store.PollsByStatusIDs(ctx, ids)
	if err != nil {
		return x, err
	}
	if x.polls, err = s.pollViews(ctx, s.Store.Q, viewer, polls); err != nil {
		return x, err
	}
	if x.muted, err = s.Store.MutedConversations(ctx, viewer, ids); err != nil {
		return x, err
	}
	if err := s.loadQuotePolicies(ctx, viewer, all, &x); err != nil {
		return x, err
	}
	if x.quotesCount, err = s.Store.QuoteCounts(ctx, ids); err != nil {
		return x, err
	}
	x.quotes, err = s.loadQuotes(ctx, viewer, ids)
	return x, err
}

func (x statusExtras) apply(v *StatusView) {
	v.Poll = x.polls[v.ID]
	v.Muted = x.muted[v.ID]
	v.Quote, v.QuotesCount = x.quotes[v.ID], x.quotesCount[v.ID]
	v.QuotePolicy, v.QuoteApproval = x.quotePolicy[v.ID], x.quoteApproval[v.ID]
}

// loadQuotePolicies works out who may quote each status, and whether the viewer may.
func (s *Service) loadQuotePolicies(ctx context.Context, viewer int64, all map[int64]*model.Status, x *statusExtras) error {
	ids := make([]int64, 0, len(all))
	var authors []int64
	for id, st := range all {
		ids = append(ids, id)
		authors = append(authors, st.AccountID)
	}
	chosen, err := s.Store.QuotePolicies(ctx, ids)
	if err != nil {
		return err
	}
	follows := map[int64]*model.Follow{}
	if viewer != 0 && len(chosen) > 0 {
		if follows, err = s.Store.FollowingSet(ctx, store.Follows, viewer, authors); err != nil {
			return err
		}
	}
	for id, st := range all {
		policy := effectiveQuotePolicy(st, chosen[id])
		if st.ReblogOfID != nil {
			policy = model.QuotePolicyNobody
		}
		x.quotePolicy[id] = policy
		x.quoteApproval[id] = quoteApproval(viewer, st, policy, follows[st.AccountID] != nil)
	}
	return nil
}

// nestedQuotes marks a context hydrating quoted statuses: their own quotes are shown
// shallow (by id), so a chain of quotes costs one level of queries.
type nestedQuotes struct{}

func (s *Service) loadQuotes(ctx context.Context, viewer int64, ids []int64) (map[int64]*QuoteView, error) {
	quotes, err := s.Store.QuotesByStatusIDs(ctx, ids)
	if err != nil || len(quotes) == 0 {
		return map[int64]*QuoteView{}, err
	}
	out := make(map[int64]*QuoteView, len(quotes))
	for id, qt := range quotes {
		out[id] = &QuoteView{State: qt.State}
		switch {
		case qt.State == model.QuoteAccepted && qt.QuotedStatusID == nil:
			out[id].State = "deleted"
		case qt.State == model.QuoteAccepted:
			out[id].QuotedStatusID = qt.QuotedStatusID
		}
	}
	if ctx.Value(nestedQuotes{}) != nil {
		for _, qv := range out {
			qv.Shallow = true
		}
		return out, nil
	}
	return out, s.attachQuotedViews(context.WithValue(ctx, nestedQuotes{}, true), viewer, out)
}

// attachQuotedViews hydrates the quoted statuses the viewer may see; a quote of one
// they may not see shows as unauthorized.
func (s *Service) attachQuotedViews(ctx context.Context, viewer int64, quotes map[int64]*QuoteView) error {
	var ids []int64
	for _, qv := range quotes {
		if qv.QuotedStatusID != nil {
			ids = append(ids, *qv.QuotedStatusID)
		}
	}
	byID, err := s.Store.StatusesByIDs(ctx, ids)
	if err != nil {
		return err
	}
	list := make([]*model.Status, 0, len(byID))
	for _, st := range byID {
		list = append(list, st)
	}
	if list, err = s.filterVisible(ctx, viewer, list); err != nil {
		return err
	}
	var viewerAccount *model.Account // Views needs only the viewer's id
	if viewer != 0 {
		viewerAccount = &model.Account{ID: viewer}
	}
	views, err := s.Views(ctx, viewerAccount, list)
	if err != nil {
		return err
	}
	byStatus := make(map[int64]*StatusView, len(views))
	for _, v := range views {
		byStatus[v.ID] = v
	}
	for _, qv := range quotes {
		if qv.QuotedStatusID == nil {
			continue
		}
		if qv.Status = byStatus[*qv.QuotedStatusID]; qv.Status == nil {
			qv.State, qv.QuotedStatusID = "unauthorized", nil
		}
	}
	return nil
}

// maxStatusesByID caps GET /api/v1/statuses?id[]=, as Mastodon does.
const maxStatusesByID = 20

// StatusesByIDs returns the statuses of ids that the viewer may see, in the order asked.
func (s *Service) StatusesByIDs(ctx context.Context, viewer *model.Account, ids []int64) ([]*StatusView, error) {
	if len(ids) > maxStatusesByID {
		return nil, httpx.Unprocessable("Validation failed: at most %d ids may be asked for at once", maxStatusesByID)
	}
	byID, err := s.Store.StatusesByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	var list []*model.Status
	seen := map[int64]bool{}
	for _, id := range ids {
		if st := byID[id]; st != nil && !seen[id] {
			seen[id] = true
			list = append(list, st)
		}
	}
	if list, err = s.filterVisible(ctx, viewerID(viewer), list); err != nil {
		return nil, err
	}
	return s.Views(ctx, viewer, list)
}
