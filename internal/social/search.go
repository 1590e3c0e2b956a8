package social

import (
	"context"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
)

// SearchParams is GET /api/v2/search's query.
type SearchParams struct {
	Query         string
	Type          string // "", accounts, hashtags or statuses
	FollowingOnly bool
	AccountID     int64
	Limit, Offset int
	Resolve       bool // ask other servers about a URL or @user@domain (Resolver)
}

// SearchResults holds the three kinds of result.
type SearchResults struct {
	Accounts []*model.Account
	Statuses []*StatusView
	Hashtags []*model.Tag
}

// Search finds accounts, hashtags and statuses; statuses only as the viewer may see them.
func (s *Service) Search(ctx context.Context, viewer *model.Account, p SearchParams) (*SearchResults, error) {
	res := &SearchResults{Accounts: []*model.Account{}, Statuses: []*StatusView{}, Hashtags: []*model.Tag{}}
	q := strings.TrimSpace(p.Query)
	if q == "" {
		return res, nil
	}
	var err error
	if p.Type == "" || p.Type == "accounts" {
		if res.Accounts, err = s.searchAccounts(ctx, viewer, q, p); err != nil {
			return nil, err
		}
	}
	if (p.Type == "" || p.Type == "hashtags") && !strings.HasPrefix(q, "@") {
		if res.Hashtags, err = s.Store.SearchTags(ctx, strings.TrimPrefix(q, "#"), p.Limit, p.Offset); err != nil {
			return nil, err
		}
	}
	if p.Type == "" || p.Type == "statuses" {
		list, err := s.Store.SearchStatuses(ctx, viewerID(viewer), q, p.AccountID, p.Limit, p.Offset)
		if err != nil {
			return nil, err
		}
		if res.Statuses, err = s.Views(ctx, viewer, list); err != nil {
			return nil, err
		}
	}
	return res, s.resolveInto(ctx, viewer, q, p, res)
}

// searchAccounts matches handles (user, @user, user@domain) and display names.
func (s *Service) searchAccounts(ctx context.Context, viewer *model.Account, q string, p SearchParams) ([]*model.Account, error) {
	username, domain, _ := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	if strings.EqualFold(domain, s.Config.LocalDomain) || strings.EqualFold(domain, s.Config.WebDomain) {
		domain = ""
	}
	followingOnly := p.FollowingOnly && viewer != nil
	return s.Store.SearchAccounts(ctx, viewerID(viewer), username, domain, followingOnly, p.Limit, p.Offset)
}

// SearchAccounts is GET /api/v1/accounts/search.
func (s *Service) SearchAccounts(ctx context.Context, viewer *model.Account, q string, following bool, limit, offset int) ([]*model.Account, error) {
	return s.searchAccounts(ctx, viewer, strings.TrimSpace(q), SearchParams{FollowingOnly: following, Limit: limit, Offset: offset})
}
