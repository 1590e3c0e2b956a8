package social

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Limits on lists, as Mastodon sets them.
const (
	maxListTitle    = 255
	maxListsPerUser = 50
)

// ListChange is what creating or updating a list sets; nil fields stay as they are
// (on create: the title is required, the policy defaults to "list").
type ListChange struct {
	Title         *string
	RepliesPolicy *model.RepliesPolicy
	Exclusive     *bool
}

func (c ListChange) apply(l *model.List) error {
	if c.Title != nil {
		l.Title = strings.TrimSpace(*c.Title)
	}
	if c.RepliesPolicy != nil {
		l.RepliesPolicy = *c.RepliesPolicy
	}
	if c.Exclusive != nil {
		l.Exclusive = *c.Exclusive
	}
	switch {
	case l.Title == "":
		return httpx.Unprocessable("Validation failed: Title can't be blank")
	case utf8.RuneCountInString(l.Title) > maxListTitle:
		return httpx.Unprocessable("Validation failed: Title is too long (maximum is %d characters)", maxListTitle)
	case !l.RepliesPolicy.Valid():
		return httpx.Unprocessable("Validation failed: Replies policy is not included in the list")
	}
	return nil
}

// Lists are the viewer's lists.
func (s *Service) Lists(ctx context.Context, viewer *model.Account) ([]*model.List, error) {
	return s.Store.ListsOf(ctx, viewer.ID)
}

// List is one of the viewer's lists; anyone else's is the same 404 as none.
func (s *Service) List(ctx context.Context, viewer *model.Account, listID int64) (*model.List, error) {
	l, err := s.Store.OwnedList(ctx, viewer.ID, listID)
	return l, orNotFound(err)
}

// CreateList makes a list for the viewer, up to Mastodon's limit of lists per account.
func (s *Service) CreateList(ctx context.Context, viewer *model.Account, c ListChange) (*model.List, error) {
	l := &model.List{AccountID: viewer.ID, RepliesPolicy: model.RepliesList}
	if err := c.apply(l); err != nil {
		return nil, err
	}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		n, err := q.CountLists(ctx, viewer.ID)
		if err != nil {
			return err
		}
		if n >= maxListsPerUser {
			return httpx.Unprocessable("Validation failed: You have reached the maximum of %d lists", maxListsPerUser)
		}
		return q.InsertList(ctx, l)
	})
	return l, err
}

// UpdateList changes one of the viewer's lists.
func (s *Service) UpdateList(ctx context.Context, viewer *model.Account, listID int64, c ListChange) (*model.List, error) {
	l, err := s.List(ctx, viewer, listID)
	if err != nil {
		return nil, err
	}
	if err := c.apply(l); err != nil {
		return nil, err
	}
	return l, s.Store.Writer().UpdateList(ctx, l)
}

// DeleteList removes one of the viewer's lists.
func (s *Service) DeleteList(ctx context.Context, viewer *model.Account, listID int64) error {
	return orNotFound(s.Store.Writer().DeleteList(ctx, viewer.ID, listID))
}

// ListMembers pages through the accounts of one of the viewer's lists, with cursors.
func (s *Service) ListMembers(ctx context.Context, viewer *model.Account, listID int64, p httpx.Page) ([]*model.Account, []int64, error) {
	if _, err := s.List(ctx, viewer, listID); err != nil {
		return nil, nil, err
	}
	return s.Store.ListAccounts(ctx, listID, storePage(p))
}

// AddToList adds accounts to one of the viewer's lists, all or none: each must exist
// and be followed by the viewer (or be the viewer), and not be in the list already.
func (s *Service) AddToList(ctx context.Context, viewer *model.Account, listID int64, accountIDs []int64) error {
	if _, err := s.List(ctx, viewer, listID); err != nil {
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		for _, id := range accountIDs {
			if err := s.addListMember(ctx, q, viewer, listID, id); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) addListMember(ctx context.Context, q store.Q, viewer *model.Account, listID, accountID int64) error {
	if _, err := q.AccountByID(ctx, accountID); err != nil {
		return orNotFound(err)
	}
	var followID *int64
	if accountID != viewer.ID {
		f, err := q.FollowBetween(ctx, store.Follows, viewer.ID, accountID)
		if errors.Is(err, store.ErrNotFound) {
			return httpx.Unprocessable("Validation failed: Account follow relationship missing")
		}
		if err != nil {
			return err
		}
		followID = &f.ID
	}
	err := q.InsertListAccount(ctx, listID, accountID, followID)
	if errors.Is(err, store.ErrConflict) {
		return httpx.Unprocessable("Validation failed: Account has already been taken")
	}
	return err
}

// RemoveFromList takes accounts out of one of the viewer's lists.
func (s *Service) RemoveFromList(ctx context.Context, viewer *model.Account, listID int64, accountIDs []int64) error {
	if _, err := s.List(ctx, viewer, listID); err != nil {
		return err
	}
	return s.Store.Writer().DeleteListAccounts(ctx, listID, accountIDs)
}

// ListsWithAccount are the viewer's lists that have the account as a member.
func (s *Service) ListsWithAccount(ctx context.Context, viewer *model.Account, accountID int64) ([]*model.List, error) {
	if _, err := s.Store.AccountByID(ctx, accountID); err != nil {
		return nil, orNotFound(err)
	}
	return s.Store.ListsContaining(ctx, viewer.ID, accountID)
}

// ListTimeline is the timeline of one of the viewer's lists; its statuses are filtered
// as the home timeline's are.
func (s *Service) ListTimeline(ctx context.Context, viewer *model.Account, listID int64, p httpx.Page) ([]*StatusView, error) {
	l, err := s.List(ctx, viewer, listID)
	if err != nil {
		return nil, err
	}
	list, err := s.Store.ListTimeline(ctx, l, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.filteredViews(ctx, viewer, model.FilterHome, list)
}
