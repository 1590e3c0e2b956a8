package social

import (
	"context"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// V1Filter is the filter of Mastodon's first filter API: one keyword of a filter, shown
// with its filter's contexts and expiry; "irreversible" is the hide action.
type V1Filter struct {
	Filter  *model.Filter
	Keyword *model.FilterKeyword
}

// V1FilterChange is what the first API's create and update send; nil flags stay as
// they are (on create: false).
type V1FilterChange struct {
	Phrase       string
	Context      []model.FilterContext
	Irreversible *bool
	WholeWord    *bool
	Expiry       Expiry
}

// action is the filter action irreversible asks for, or nil to keep it.
func (c V1FilterChange) action() *model.FilterAction {
	if c.Irreversible == nil {
		return nil
	}
	a := model.FilterWarn
	if *c.Irreversible {
		a = model.FilterHide
	}
	return &a
}

// V1Filters are the viewer's keywords, each as a first-API filter.
func (s *Service) V1Filters(ctx context.Context, viewer *model.Account) ([]V1Filter, error) {
	filters, err := s.Store.FiltersOf(ctx, viewer.ID)
	if err != nil {
		return nil, err
	}
	out := []V1Filter{}
	for _, f := range filters {
		for _, k := range f.Keywords {
			out = append(out, V1Filter{Filter: f, Keyword: k})
		}
	}
	return out, nil
}

// V1Filter is one of the viewer's keywords as a first-API filter.
func (s *Service) V1Filter(ctx context.Context, viewer *model.Account, keywordID int64) (V1Filter, error) {
	k, err := s.FilterKeyword(ctx, viewer, keywordID)
	if err != nil {
		return V1Filter{}, err
	}
	f, err := s.Filter(ctx, viewer, k.FilterID)
	return V1Filter{Filter: f, Keyword: k}, err
}

// CreateV1Filter makes a filter titled with the phrase, holding the phrase as its one keyword.
func (s *Service) CreateV1Filter(ctx context.Context, viewer *model.Account, c V1FilterChange) (V1Filter, error) {
	wholeWord := c.WholeWord != nil && *c.WholeWord
	f, err := s.CreateFilter(ctx, viewer, FilterChange{Title: &c.Phrase, Context: nonNil(c.Context), Action: c.action(), Expiry: c.Expiry,
		Keywords: []KeywordChange{{Keyword: &c.Phrase, WholeWord: &wholeWord}}})
	if err != nil {
		return V1Filter{}, err
	}
	return V1Filter{Filter: f, Keyword: f.Keywords[0]}, nil
}

// nonNil makes an absent context list an empty one, which validation refuses.
func nonNil(cs []model.FilterContext) []model.FilterContext {
	if cs == nil {
		return []model.FilterContext{}
	}
	return cs
}

// UpdateV1Filter edits the keyword and its filter's contexts, action and expiry. A filter
// holding other keywords too keeps those settings: changing them here would change the
// other keywords' filtering, so that is refused, as Mastodon refuses it.
func (s *Service) UpdateV1Filter(ctx context.Context, viewer *model.Account, keywordID int64, c V1FilterChange) (V1Filter, error) {
	var out V1Filter
	err := s.Store.Tx(ctx, func(q store.Q) error {
		k, err := q.OwnedFilterKeyword(ctx, viewer.ID, keywordID)
		if err != nil {
			return orNotFound(err)
		}
		f, err := q.OwnedFilter(ctx, viewer.ID, k.FilterID)
		if err != nil {
			return err
		}
		if err := s.updateV1Parent(ctx, q, f, c); err != nil {
			return err
		}
		out = V1Filter{Filter: f, Keyword: k}
		return editKeyword(ctx, q, k, KeywordChange{Keyword: &c.Phrase, WholeWord: c.WholeWord})
	})
	return out, s.filtersChanged(viewer.ID, err)
}

func (s *Service) updateV1Parent(ctx context.Context, q store.Q, f *model.Filter, c V1FilterChange) error {
	before := *f
	change := FilterChange{Context: nonNil(c.Context), Action: c.action(), Expiry: c.Expiry}
	if err := change.apply(f, time.Now()); err != nil {
		return err
	}
	changed := !slices.Equal(before.Context, f.Context) || before.Action != f.Action || (c.Expiry.Set && (c.Expiry.In != nil || before.ExpiresAt != nil))
	if !changed {
		return nil
	}
	if len(f.Keywords) > 1 {
		return httpx.Unprocessable("Validation failed: this filter has several keywords; change its context, action or expiry with the v2 filters API")
	}
	return q.UpdateFilter(ctx, f)
}

// DeleteV1Filter removes the keyword; its filter stays, as in Mastodon.
func (s *Service) DeleteV1Filter(ctx context.Context, viewer *model.Account, keywordID int64) error {
	return s.DeleteFilterKeyword(ctx, viewer, keywordID)
}
