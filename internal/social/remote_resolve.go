package social

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Resolver finds remote accounts and statuses that are not stored yet: by URL, or by
// a handle "@user@domain" through WebFinger. Federation implements it.
type Resolver interface {
	Resolve(ctx context.Context, query string) (*model.Account, *model.Status, error)
}

// resolvable reports queries worth asking another server about.
func resolvable(q string) bool {
	if strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://") {
		return true
	}
	user, domain, ok := strings.Cut(strings.TrimPrefix(q, "@"), "@")
	return ok && user != "" && (strings.Contains(domain, ".") || strings.Contains(domain, ":"))
}

// resolveInto adds what the resolver finds for q to the results, first, when the
// viewer may see it. A failure to resolve is no error: the local results stand.
func (s *Service) resolveInto(ctx context.Context, viewer *model.Account, q string, p SearchParams, res *SearchResults) error {
	if !p.Resolve || s.Resolver == nil || viewer == nil || !resolvable(q) {
		return nil
	}
	acct, st, err := s.Resolver.Resolve(ctx, q)
	if err != nil {
		s.Log.InfoContext(ctx, "search: not resolved", "q", q, "err", err)
		return nil
	}
	if acct != nil && (p.Type == "" || p.Type == "accounts") && !containsAccount(res.Accounts, acct.ID) {
		res.Accounts = append([]*model.Account{acct}, res.Accounts...)
	}
	if st != nil && (p.Type == "" || p.Type == "statuses") {
		if _, err := s.VisibleStatus(ctx, viewer, st.ID); err != nil {
			return nil
		}
		views, err := s.Views(ctx, viewer, []*model.Status{st})
		if err != nil {
			return err
		}
		res.Statuses = append(views, res.Statuses...)
	}
	return nil
}

func containsAccount(list []*model.Account, id int64) bool {
	for _, a := range list {
		if a.ID == id {
			return true
		}
	}
	return false
}

// LookupAccount finds an account by username and domain ("" for local). An unknown
// remote account is resolved through WebFinger, as Mastodon's lookup does, but only
// for a signed-in viewer: anonymous callers must not be able to send this server to
// arbitrary hosts.
func (s *Service) LookupAccount(ctx context.Context, viewer *model.Account, username, domain string) (*model.Account, error) {
	a, err := s.Store.AccountByHandle(ctx, username, domain)
	if err == nil || !errors.Is(err, store.ErrNotFound) || domain == "" || viewer == nil || s.Resolver == nil {
		return a, err
	}
	found, _, err := s.Resolver.Resolve(ctx, username+"@"+domain)
	if err != nil || found == nil {
		s.Log.InfoContext(ctx, "lookup: not resolved", "acct", username+"@"+domain, "err", err)
		return nil, fmt.Errorf("social: lookup %s@%s: %w", username, domain, store.ErrNotFound)
	}
	return found, nil
}
