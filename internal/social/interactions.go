package social

import (
	"context"
	"errors"
	"fmt"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Favourite marks a visible status as liked by actor and notifies its author.
func (s *Service) Favourite(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.mark(ctx, actor, statusID, store.Favourites, true)
}

// Unfavourite undoes Favourite; unfavouriting twice is harmless.
func (s *Service) Unfavourite(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.mark(ctx, actor, statusID, store.Favourites, false)
}

// Bookmark saves a visible status to actor's bookmarks.
func (s *Service) Bookmark(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.mark(ctx, actor, statusID, store.Bookmarks, true)
}

// Unbookmark removes a bookmark.
func (s *Service) Unbookmark(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	return s.mark(ctx, actor, statusID, store.Bookmarks, false)
}

// mark adds or removes a favourite or bookmark on the original of a (possibly boosted) status.
func (s *Service) mark(ctx context.Context, actor *model.Account, statusID int64, table string, add bool) (*model.Status, error) {
	st, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		statusID = *st.ReblogOfID
	}
	if err := s.refuseIfBlockingAuthor(ctx, actor, statusID, add && table == store.Favourites); err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if table == store.Favourites && !add {
			// Before the row goes: the Undo names the Like by the favourite's id.
			if err := s.federate(ctx, q, Favourited{AccountID: actor.ID, StatusID: statusID, Undo: true}); err != nil {
				return err
			}
		}
		changed, err := s.applyMark(ctx, q, actor.ID, statusID, table, add)
		if err != nil || !changed || table != store.Favourites {
			return err
		}
		author, err := q.StatusByID(ctx, statusID)
		if err != nil {
			return err
		}
		if add {
			if err := s.federate(ctx, q, Favourited{AccountID: actor.ID, StatusID: statusID}); err != nil {
				return err
			}
			return s.notify(ctx, q, author.AccountID, actor.ID, model.NotifyFavourite, &statusID)
		}
		return q.DeleteNotificationsFor(ctx, author.AccountID, actor.ID, model.NotifyFavourite, &statusID)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.StatusByID(ctx, statusID)
}

func (s *Service) applyMark(ctx context.Context, q store.Q, actor, statusID int64, table string, add bool) (bool, error) {
	if add {
		return q.AddMark(ctx, table, actor, statusID)
	}
	return q.RemoveMark(ctx, table, actor, statusID)
}

// Reblog boosts a visible status. Private and direct statuses cannot be boosted
// (except private ones by their author); boosting twice returns the existing boost.
func (s *Service) Reblog(ctx context.Context, actor *model.Account, statusID int64, vis model.Visibility) (*model.Status, error) {
	original, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	if original.ReblogOfID != nil {
		if original, err = s.Store.StatusByID(ctx, *original.ReblogOfID); err != nil {
			return nil, orNotFound(err)
		}
	}
	if err := reblogAllowed(actor, original, &vis); err != nil {
		return nil, err
	}
	if err := s.refuseIfBlockingAuthor(ctx, actor, original.ID, true); err != nil {
		return nil, err
	}
	if prior, err := s.Store.ReblogBy(ctx, actor.ID, original.ID); err == nil {
		return prior, nil
	}
	var boost *model.Status
	err = s.Store.Tx(ctx, func(q store.Q) error {
		boost, err = s.insertReblog(ctx, q, actor, original, vis)
		return err
	})
	return boost, err
}

func reblogAllowed(actor *model.Account, original *model.Status, vis *model.Visibility) error {
	switch {
	case original.Visibility == model.Direct:
		return ErrNotAllowed
	case original.Visibility == model.Private && original.AccountID != actor.ID:
		return ErrNotAllowed
	case original.Visibility == model.Private:
		*vis = model.Private
	case *vis == "" || *vis == model.Direct:
		*vis = model.Public
	}
	return nil
}

func (s *Service) insertReblog(ctx context.Context, q store.Q, actor *model.Account, original *model.Status, vis model.Visibility) (*model.Status, error) {
	boost := &model.Status{ID: q.NewID(), AccountID: actor.ID, ReblogOfID: &original.ID, Visibility: vis, Local: true}
	boost.URI = fmt.Sprintf("%s/users/%s/statuses/%d/activity", s.Config.BaseURL(), actor.Username, boost.ID)
	boost.CreatedAt = id.Time(boost.ID)
	if err := q.InsertStatus(ctx, store.NewStatus{Status: boost}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return q.ReblogBy(ctx, actor.ID, original.ID) // a concurrent boost won
		}
		return nil, err
	}
	if err := s.streamStatus(ctx, q, boost, EventUpdate); err != nil {
		return nil, err
	}
	if err := s.federate(ctx, q, Reblogged{boost}); err != nil {
		return nil, err
	}
	return boost, s.notify(ctx, q, original.AccountID, actor.ID, model.NotifyReblog, &original.ID)
}

// Unreblog removes actor's boost of a status and returns the original.
func (s *Service) Unreblog(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	original, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		boost, err := q.ReblogBy(ctx, actor.ID, original.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // nothing to undo
		}
		if err != nil {
			return err
		}
		if err := s.streamStatus(ctx, q, boost, EventDelete); err != nil {
			return err
		}
		if err := s.federate(ctx, q, StatusDeleted{boost}); err != nil {
			return err
		}
		if err := q.DeleteStatus(ctx, boost); err != nil {
			return err
		}
		return q.DeleteNotificationsFor(ctx, original.AccountID, actor.ID, model.NotifyReblog, &original.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.StatusByID(ctx, original.ID)
}
