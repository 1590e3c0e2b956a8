package social

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Limits on filters' strings, as Mastodon sets them.
const (
	maxFilterTitle   = 256
	maxFilterKeyword = 512
	maxFilterExpiry  = 10 * 365 * 24 * time.Hour
)

// Expiry changes when a filter stops applying: Set says whether to change it, In is
// the new lifetime from now (nil: never).
type Expiry struct {
	Set bool
	In  *time.Duration
}

// KeywordChange adds (ID 0), edits or, with Destroy, removes a keyword of a filter.
type KeywordChange struct {
	ID        int64
	Keyword   *string
	WholeWord *bool
	Destroy   bool
}

// FilterChange is what creating or updating a filter sets; nil fields stay as they are.
type FilterChange struct {
	Title    *string
	Context  []model.FilterContext // nil: unchanged
	Action   *model.FilterAction
	Expiry   Expiry
	Keywords []KeywordChange
}

func (c FilterChange) apply(f *model.Filter, now time.Time) error {
	if c.Title != nil {
		f.Title = strings.TrimSpace(*c.Title)
	}
	if c.Context != nil {
		f.Context = dedupe(c.Context)
	}
	if c.Action != nil {
		f.Action = *c.Action
	}
	if c.Expiry.Set {
		f.ExpiresAt = expiresAt(c.Expiry.In, now)
	}
	return validFilter(f, c.Expiry)
}

func validFilter(f *model.Filter, e Expiry) error {
	switch {
	case f.Title == "":
		return httpx.Unprocessable("Validation failed: Title can't be blank")
	case utf8.RuneCountInString(f.Title) > maxFilterTitle:
		return httpx.Unprocessable("Validation failed: Title is too long (maximum is %d characters)", maxFilterTitle)
	case len(f.Context) == 0:
		return httpx.Unprocessable("Validation failed: Context can't be blank")
	case !f.Action.Valid():
		return httpx.Unprocessable("Validation failed: Filter action is not included in the list")
	case e.In != nil && (*e.In <= 0 || *e.In > maxFilterExpiry):
		return httpx.Unprocessable("Validation failed: Expires in must be a number of seconds from 1 to %d", int64(maxFilterExpiry.Seconds()))
	}
	for _, c := range f.Context {
		if !c.Valid() {
			return httpx.Unprocessable("Validation failed: Context None or invalid context supplied")
		}
	}
	return nil
}

func dedupe(cs []model.FilterContext) []model.FilterContext {
	var out []model.FilterContext
	for _, c := range cs {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func expiresAt(in *time.Duration, now time.Time) *time.Time {
	if in == nil {
		return nil
	}
	t := now.Add(*in).UTC()
	return &t
}

// validKeyword trims and checks a keyword's text.
func validKeyword(k *model.FilterKeyword) error {
	k.Keyword = strings.TrimSpace(k.Keyword)
	if k.Keyword == "" {
		return httpx.Unprocessable("Validation failed: Keyword can't be blank")
	}
	if utf8.RuneCountInString(k.Keyword) > maxFilterKeyword {
		return httpx.Unprocessable("Validation failed: Keyword is too long (maximum is %d characters)", maxFilterKeyword)
	}
	return nil
}

// Filters are the viewer's filters, expired ones included.
func (s *Service) Filters(ctx context.Context, viewer *model.Account) ([]*model.Filter, error) {
	return s.Store.FiltersOf(ctx, viewer.ID)
}

// Filter is one of the viewer's filters; anyone else's is the same 404 as none.
func (s *Service) Filter(ctx context.Context, viewer *model.Account, filterID int64) (*model.Filter, error) {
	f, err := s.Store.OwnedFilter(ctx, viewer.ID, filterID)
	return f, orNotFound(err)
}

// CreateFilter makes a filter for the viewer with its first keywords.
func (s *Service) CreateFilter(ctx context.Context, viewer *model.Account, c FilterChange) (*model.Filter, error) {
	f := &model.Filter{AccountID: viewer.ID, Action: model.FilterWarn}
	if err := c.apply(f, time.Now()); err != nil {
		return nil, err
	}
	for _, kc := range c.Keywords {
		if kc.ID != 0 {
			return nil, ErrNotFound // a new filter has no keywords to edit
		}
		if kc.Destroy {
			continue
		}
		k := newKeyword(kc)
		if err := validKeyword(k); err != nil {
			return nil, err
		}
		f.Keywords = append(f.Keywords, k)
	}
	if err := s.filtersChanged(viewer.ID, s.Store.Tx(ctx, func(q store.Q) error { return q.InsertFilter(ctx, f) })); err != nil {
		return nil, err
	}
	return s.Filter(ctx, viewer, f.ID)
}

func newKeyword(kc KeywordChange) *model.FilterKeyword {
	k := &model.FilterKeyword{WholeWord: true}
	if kc.Keyword != nil {
		k.Keyword = *kc.Keyword
	}
	if kc.WholeWord != nil {
		k.WholeWord = *kc.WholeWord
	}
	return k
}

// UpdateFilter changes one of the viewer's filters and adds, edits or removes keywords.
func (s *Service) UpdateFilter(ctx context.Context, viewer *model.Account, filterID int64, c FilterChange) (*model.Filter, error) {
	err := s.Store.Tx(ctx, func(q store.Q) error {
		f, err := q.OwnedFilter(ctx, viewer.ID, filterID)
		if err != nil {
			return orNotFound(err)
		}
		if err := c.apply(f, time.Now()); err != nil {
			return err
		}
		if err := q.UpdateFilter(ctx, f); err != nil {
			return err
		}
		for _, kc := range c.Keywords {
			if err := changeKeyword(ctx, q, f, kc); err != nil {
				return err
			}
		}
		return nil
	})
	if err := s.filtersChanged(viewer.ID, err); err != nil {
		return nil, err
	}
	return s.Filter(ctx, viewer, filterID)
}

func changeKeyword(ctx context.Context, q store.Q, f *model.Filter, kc KeywordChange) error {
	if kc.ID == 0 {
		if kc.Destroy {
			return nil
		}
		k := newKeyword(kc)
		k.FilterID = f.ID
		if err := validKeyword(k); err != nil {
			return err
		}
		return q.InsertFilterKeyword(ctx, k)
	}
	i := slices.IndexFunc(f.Keywords, func(k *model.FilterKeyword) bool { return k.ID == kc.ID })
	if i < 0 {
		return ErrNotFound
	}
	if kc.Destroy {
		return q.DeleteFilterKeyword(ctx, kc.ID)
	}
	return editKeyword(ctx, q, f.Keywords[i], kc)
}

func editKeyword(ctx context.Context, q store.Q, k *model.FilterKeyword, kc KeywordChange) error {
	if kc.Keyword != nil {
		k.Keyword = *kc.Keyword
	}
	if kc.WholeWord != nil {
		k.WholeWord = *kc.WholeWord
	}
	if err := validKeyword(k); err != nil {
		return err
	}
	return q.UpdateFilterKeyword(ctx, k)
}

// DeleteFilter removes one of the viewer's filters with its keywords and statuses.
func (s *Service) DeleteFilter(ctx context.Context, viewer *model.Account, filterID int64) error {
	return s.filtersChanged(viewer.ID, orNotFound(s.Store.Writer().DeleteFilter(ctx, viewer.ID, filterID)))
}

// AddFilterKeyword adds a keyword to one of the viewer's filters.
func (s *Service) AddFilterKeyword(ctx context.Context, viewer *model.Account, filterID int64, kc KeywordChange) (*model.FilterKeyword, error) {
	f, err := s.Filter(ctx, viewer, filterID)
	if err != nil {
		return nil, err
	}
	k := newKeyword(kc)
	k.FilterID = f.ID
	if err := validKeyword(k); err != nil {
		return nil, err
	}
	return k, s.filtersChanged(viewer.ID, s.Store.Writer().InsertFilterKeyword(ctx, k))
}

// FilterKeyword is a keyword of one of the viewer's filters.
func (s *Service) FilterKeyword(ctx context.Context, viewer *model.Account, keywordID int64) (*model.FilterKeyword, error) {
	k, err := s.Store.OwnedFilterKeyword(ctx, viewer.ID, keywordID)
	return k, orNotFound(err)
}

// UpdateFilterKeyword edits a keyword of one of the viewer's filters.
func (s *Service) UpdateFilterKeyword(ctx context.Context, viewer *model.Account, kc KeywordChange) (*model.FilterKeyword, error) {
	k, err := s.FilterKeyword(ctx, viewer, kc.ID)
	if err != nil {
		return nil, err
	}
	return k, s.filtersChanged(viewer.ID, editKeyword(ctx, s.Store.Writer(), k, kc))
}

// DeleteFilterKeyword removes a keyword of one of the viewer's filters.
func (s *Service) DeleteFilterKeyword(ctx context.Context, viewer *model.Account, keywordID int64) error {
	if _, err := s.FilterKeyword(ctx, viewer, keywordID); err != nil {
		return err
	}
	return s.filtersChanged(viewer.ID, s.Store.Writer().DeleteFilterKeyword(ctx, keywordID))
}

// AddFilterStatus adds a status the viewer can see to one of the viewer's filters.
func (s *Service) AddFilterStatus(ctx context.Context, viewer *model.Account, filterID, statusID int64) (*model.FilterStatus, error) {
	if _, err := s.Filter(ctx, viewer, filterID); err != nil {
		return nil, err
	}
	if _, err := s.VisibleStatus(ctx, viewer, statusID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, httpx.Unprocessable("Validation failed: Status must exist")
		}
		return nil, err
	}
	fs := &model.FilterStatus{FilterID: filterID, StatusID: statusID}
	err := s.filtersChanged(viewer.ID, s.Store.Writer().InsertFilterStatus(ctx, fs))
	if errors.Is(err, store.ErrConflict) {
		return nil, httpx.Unprocessable("Validation failed: Status has already been taken")
	}
	return fs, err
}

// FilterStatus is a status entry of one of the viewer's filters.
func (s *Service) FilterStatus(ctx context.Context, viewer *model.Account, id int64) (*model.FilterStatus, error) {
	fs, err := s.Store.OwnedFilterStatus(ctx, viewer.ID, id)
	return fs, orNotFound(err)
}

// DeleteFilterStatus removes a status entry of one of the viewer's filters.
func (s *Service) DeleteFilterStatus(ctx context.Context, viewer *model.Account, id int64) error {
	if _, err := s.FilterStatus(ctx, viewer, id); err != nil {
		return err
	}
	return s.filtersChanged(viewer.ID, s.Store.Writer().DeleteFilterStatus(ctx, id))
}
