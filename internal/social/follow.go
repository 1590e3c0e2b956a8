package social

import (
	"context"
	"errors"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// FollowOptions are the per-follow settings Mastodon offers.
type FollowOptions struct {
	Reblogs   *bool
	Notify    *bool
	Languages []string
}

// Follow makes actor follow target, or request to when target is locked. Following
// again only updates the options.
func (s *Service) Follow(ctx context.Context, actor *model.Account, targetID int64, o FollowOptions) (*model.Relationship, error) {
	target, err := s.Store.AccountByID(ctx, targetID)
	if err != nil || target.SuspendedAt != nil {
		return nil, denied(orNotFound(err))
	}
	if target.ID == actor.ID {
		return nil, httpx.Unprocessable("Validation failed: You cannot follow yourself")
	}
	if target.MovedToAccountID != nil {
		return nil, ErrNotAllowed // Mastodon refuses to follow an account that moved away
	}
	if err := s.followRefused(ctx, actor, target); err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error { return s.follow(ctx, q, actor, target, o) })
	if err != nil {
		return nil, err
	}
	return s.Relationship(ctx, actor, target.ID)
}

func (s *Service) follow(ctx context.Context, q store.Q, actor, target *model.Account, o FollowOptions) error {
	for _, table := range []string{store.Follows, store.FollowRequests} {
		existing, err := q.FollowBetween(ctx, table, actor.ID, target.ID)
		if err == nil {
			applyOptions(existing, o)
			return q.UpdateFollowOptions(ctx, table, existing)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	f := &model.Follow{AccountID: actor.ID, TargetAccountID: target.ID, ShowReblogs: true}
	applyOptions(f, o)
	if !target.IsLocal() {
		// A remote account's server answers with Accept or Reject; until then it is a
		// request, whether or not the account is locked.
		if err := q.InsertFollow(ctx, store.FollowRequests, f); err != nil {
			return err
		}
		return s.federate(ctx, q, FollowRequested{f})
	}
	if target.Locked {
		if err := q.InsertFollow(ctx, store.FollowRequests, f); err != nil {
			return err
		}
		return s.notify(ctx, q, target.ID, actor.ID, model.NotifyFollowRequest, nil)
	}
	return s.acceptFollow(ctx, q, f)
}

// acceptFollow stores an accepted follow and notifies; the follower's home timeline
// shows the account's statuses from then on, past ones included, as it is read.
func (s *Service) acceptFollow(ctx context.Context, q store.Q, f *model.Follow) error {
	if err := q.InsertFollow(ctx, store.Follows, f); err != nil {
		return err
	}
	if err := s.federate(ctx, q, FollowAnswered{Follow: f, Accepted: true}); err != nil {
		return err
	}
	return s.notify(ctx, q, f.TargetAccountID, f.AccountID, model.NotifyFollow, nil)
}

func applyOptions(f *model.Follow, o FollowOptions) {
	if o.Reblogs != nil {
		f.ShowReblogs = *o.Reblogs
	}
	if o.Notify != nil {
		f.Notify = *o.Notify
	}
	if o.Languages != nil {
		f.Languages = o.Languages
	}
}

// Unfollow ends a follow or withdraws a pending request.
func (s *Service) Unfollow(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	if _, err := s.Store.AccountByID(ctx, targetID); err != nil {
		return nil, orNotFound(err)
	}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		for _, table := range []string{store.FollowRequests, store.Follows} {
			f, err := q.FollowBetween(ctx, table, actor.ID, targetID)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := q.DeleteFollow(ctx, table, actor.ID, targetID); err != nil {
				return err
			}
			if err := s.federate(ctx, q, Unfollowed{f}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Relationship(ctx, actor, targetID)
}

// AuthorizeFollowRequest accepts requesterID's pending request to follow target.
func (s *Service) AuthorizeFollowRequest(ctx context.Context, target *model.Account, requesterID int64) (*model.Relationship, error) {
	err := s.Store.Tx(ctx, func(q store.Q) error {
		req, err := q.FollowBetween(ctx, store.FollowRequests, requesterID, target.ID)
		if err != nil {
			return orNotFound(err)
		}
		if err := q.DeleteFollow(ctx, store.FollowRequests, requesterID, target.ID); err != nil {
			return err
		}
		if err := q.DeleteNotificationsFor(ctx, target.ID, requesterID, model.NotifyFollowRequest, nil); err != nil {
			return err
		}
		f := &model.Follow{AccountID: requesterID, TargetAccountID: target.ID, ShowReblogs: req.ShowReblogs, Notify: req.Notify,
			Languages: req.Languages, URI: req.URI}
		return s.acceptFollow(ctx, q, f)
	})
	if err != nil {
		return nil, err
	}
	return s.Relationship(ctx, target, requesterID)
}

// RejectFollowRequest refuses requesterID's pending request.
func (s *Service) RejectFollowRequest(ctx context.Context, target *model.Account, requesterID int64) (*model.Relationship, error) {
	err := s.Store.Tx(ctx, func(q store.Q) error {
		req, err := q.FollowBetween(ctx, store.FollowRequests, requesterID, target.ID)
		if err != nil {
			return orNotFound(err)
		}
		if err := q.DeleteFollow(ctx, store.FollowRequests, requesterID, target.ID); err != nil {
			return err
		}
		if err := s.federate(ctx, q, FollowAnswered{Follow: req}); err != nil {
			return err
		}
		return q.DeleteNotificationsFor(ctx, target.ID, requesterID, model.NotifyFollowRequest, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Relationship(ctx, target, requesterID)
}

// Relationship is viewer's relationship with one account.
func (s *Service) Relationship(ctx context.Context, viewer *model.Account, targetID int64) (*model.Relationship, error) {
	rels, err := s.Relationships(ctx, viewer, []int64{targetID})
	if err != nil {
		return nil, err
	}
	return rels[0], nil
}

// Relationships describes viewer's relationship with each target, in order.
func (s *Service) Relationships(ctx context.Context, viewer *model.Account, targets []int64) ([]*model.Relationship, error) {
	following, err := s.Store.FollowingSet(ctx, store.Follows, viewer.ID, targets)
	if err != nil {
		return nil, err
	}
	requested, err := s.Store.FollowingSet(ctx, store.FollowRequests, viewer.ID, targets)
	if err != nil {
		return nil, err
	}
	followedBy, err := s.Store.FollowedBySet(ctx, store.Follows, viewer.ID, targets)
	if err != nil {
		return nil, err
	}
	requestedBy, err := s.Store.FollowedBySet(ctx, store.FollowRequests, viewer.ID, targets)
	if err != nil {
		return nil, err
	}
	out := make([]*model.Relationship, len(targets))
	for i, t := range targets {
		r := &model.Relationship{TargetID: t, FollowedBy: followedBy[t], RequestedBy: requestedBy[t]}
		if f := following[t]; f != nil {
			r.Following, r.ShowingReblogs, r.Notifying, r.Languages = true, f.ShowReblogs, f.Notify, f.Languages
		} else if f := requested[t]; f != nil {
			r.Requested, r.ShowingReblogs, r.Notifying, r.Languages = true, f.ShowReblogs, f.Notify, f.Languages
		}
		out[i] = r
	}
	return out, s.fillRestrictions(ctx, viewer, targets, out)
}
