package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// MaxPins is how many statuses a local account may pin, as in Mastodon.
const MaxPins = 5

// Pin features one of the actor's own public, unlisted or private statuses on their profile.
func (s *Service) Pin(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	st, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	if err := pinAllowed(actor, st); err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		pinned, err := q.ViewerFlagsFor(ctx, actor.ID, []int64{st.ID})
		if err != nil || pinned.Pinned[st.ID] {
			return err // pinning twice changes nothing
		}
		n, err := q.CountPins(ctx, actor.ID)
		if err != nil {
			return err
		}
		if n >= MaxPins {
			return httpx.Unprocessable("Validation failed: You have already pinned the maximum number of posts")
		}
		if err := q.PinStatus(ctx, actor.ID, st.ID); err != nil {
			return err
		}
		return s.federate(ctx, q, Pinned{AccountID: actor.ID, StatusID: st.ID})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

func pinAllowed(actor *model.Account, st *model.Status) error {
	switch {
	case st.ReblogOfID != nil:
		return httpx.Unprocessable("Validation failed: A boost cannot be pinned")
	case st.AccountID != actor.ID:
		return httpx.Unprocessable("Validation failed: Someone else's post cannot be pinned")
	case st.Visibility == model.Direct:
		return httpx.Unprocessable("Validation failed: Posts that are only visible to mentioned users cannot be pinned")
	}
	return nil
}

// Unpin takes a status off the actor's profile; unpinning what is not pinned is harmless.
func (s *Service) Unpin(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	st, err := s.VisibleStatus(ctx, actor, statusID)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.UnpinStatus(ctx, actor.ID, st.ID); err != nil {
			return err
		}
		return s.federate(ctx, q, Pinned{AccountID: actor.ID, StatusID: st.ID, Undo: true})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}
