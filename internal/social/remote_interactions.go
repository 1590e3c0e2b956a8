package social

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// ReceiveFollow records a remote account's Follow of a local one. A locked target gets
// a follow request to decide on; any other is followed at once through the same path
// as an authorized request, which is where the Accept goes back to the follower.
func (s *Service) ReceiveFollow(ctx context.Context, follower, target *model.Account, followURI string) error {
	if !target.IsLocal() || target.SuspendedAt != nil {
		return ErrNotFound
	}
	if target.MovedToAccountID != nil {
		return ErrNotAllowed // it moved away: its followers are to follow the new account
	}
	if blocked, err := s.Store.BlockBetween(ctx, target.ID, follower.ID); err != nil || blocked {
		return denied(err)
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		for _, table := range []string{store.Follows, store.FollowRequests} {
			existing, err := q.FollowBetween(ctx, table, follower.ID, target.ID)
			if err == nil { // a repeated Follow: keep its newest id for the Undo to name
				if err := q.SetFollowURI(ctx, table, existing.ID, followURI); err != nil || table != store.Follows {
					return err
				}
				// Accepted already: the follower's server may have missed the Accept.
				existing.URI = followURI
				return s.federate(ctx, q, FollowAnswered{Follow: existing, Accepted: true})
			}
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		f := &model.Follow{AccountID: follower.ID, TargetAccountID: target.ID, ShowReblogs: true, URI: followURI}
		if target.Locked {
			if err := q.InsertFollow(ctx, store.FollowRequests, f); err != nil {
				return err
			}
			return s.notify(ctx, q, target.ID, follower.ID, model.NotifyFollowRequest, nil)
		}
		return s.acceptFollow(ctx, q, f)
	})
}

// ReceiveUndoFollow ends a remote account's follow or withdraws its request.
func (s *Service) ReceiveUndoFollow(ctx context.Context, follower, target *model.Account) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		for _, table := range []string{store.Follows, store.FollowRequests} {
			if err := q.DeleteFollow(ctx, table, follower.ID, target.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return q.DeleteNotificationsFor(ctx, target.ID, follower.ID, model.NotifyFollowRequest, nil)
	})
}

// ReceiveFollowAccepted turns a local account's pending request to follow a remote
// one into a follow, when the remote side sends Accept.
func (s *Service) ReceiveFollowAccepted(ctx context.Context, follower, target *model.Account) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		req, err := q.FollowBetween(ctx, store.FollowRequests, follower.ID, target.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // already accepted, or withdrawn meanwhile
		}
		if err != nil {
			return err
		}
		if err := q.DeleteFollow(ctx, store.FollowRequests, follower.ID, target.ID); err != nil {
			return err
		}
		f := &model.Follow{AccountID: follower.ID, TargetAccountID: target.ID, ShowReblogs: req.ShowReblogs,
			Notify: req.Notify, Languages: req.Languages, URI: req.URI}
		return q.InsertFollow(ctx, store.Follows, f)
	})
}

// ReceiveFollowRejected drops a local account's request (or follow) of a remote one.
func (s *Service) ReceiveFollowRejected(ctx context.Context, follower, target *model.Account) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		for _, table := range []string{store.FollowRequests, store.Follows} {
			if err := q.DeleteFollow(ctx, table, follower.ID, target.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
}

// ReceiveLike records a remote account's favourite of a status and notifies its author.
func (s *Service) ReceiveLike(ctx context.Context, actor *model.Account, st *model.Status) error {
	if ok, err := s.canSee(ctx, s.Store.Q, actor.ID, st); err != nil || !ok {
		return denied(err)
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		added, err := q.AddMark(ctx, store.Favourites, actor.ID, st.ID)
		if err != nil || !added {
			return err
		}
		return s.notify(ctx, q, st.AccountID, actor.ID, model.NotifyFavourite, &st.ID)
	})
}

// ReceiveUndoLike removes a remote account's favourite.
func (s *Service) ReceiveUndoLike(ctx context.Context, actor *model.Account, st *model.Status) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if _, err := q.RemoveMark(ctx, store.Favourites, actor.ID, st.ID); err != nil {
			return err
		}
		return q.DeleteNotificationsFor(ctx, st.AccountID, actor.ID, model.NotifyFavourite, &st.ID)
	})
}

// ReceiveAnnounce stores a remote account's boost of a status (a boost of a boost
// boosts the original). Only public and unlisted statuses can be boosted by others.
func (s *Service) ReceiveAnnounce(ctx context.Context, actor *model.Account, original *model.Status, uri string, published time.Time) (*model.Status, error) {
	if original.ReblogOfID != nil {
		var err error
		if original, err = s.Store.StatusByID(ctx, *original.ReblogOfID); err != nil {
			return nil, err
		}
	}
	if original.Visibility != model.Public && original.Visibility != model.Unlisted && original.AccountID != actor.ID {
		return nil, ErrNotAllowed
	}
	if prior, err := s.Store.ReblogBy(ctx, actor.ID, original.ID); err == nil {
		return prior, nil
	}
	boost := &model.Status{URI: uri, AccountID: actor.ID, ReblogOfID: &original.ID, Visibility: original.Visibility,
		CreatedAt: clampPublished(published, s.now())}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertStatus(ctx, store.NewStatus{Status: boost}); err != nil {
			return err
		}
		if err := s.streamStatus(ctx, q, boost, EventUpdate); err != nil {
			return err
		}
		return s.notify(ctx, q, original.AccountID, actor.ID, model.NotifyReblog, &original.ID)
	})
	if errors.Is(err, store.ErrConflict) {
		return s.Store.ReblogBy(ctx, actor.ID, original.ID)
	}
	return boost, err
}

// ReceiveUndoAnnounce removes a remote account's boost, named by its activity id.
func (s *Service) ReceiveUndoAnnounce(ctx context.Context, actor *model.Account, uri string) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		boost, err := q.StatusByURI(ctx, uri)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if boost.AccountID != actor.ID || boost.ReblogOfID == nil {
			return fmt.Errorf("%w: boost %s", ErrForeignObject, uri)
		}
		if err := s.streamStatus(ctx, q, boost, EventDelete); err != nil {
			return err
		}
		if err := q.DeleteStatus(ctx, boost); err != nil {
			return err
		}
		original, err := q.StatusByID(ctx, *boost.ReblogOfID)
		if err != nil {
			return err
		}
		return q.DeleteNotificationsFor(ctx, original.AccountID, actor.ID, model.NotifyReblog, &original.ID)
	})
}

// ReceiveBlock records a remote account's block of a local one: follows both ways end,
// and nobody is notified, as Mastodon does.
func (s *Service) ReceiveBlock(ctx context.Context, actor, target *model.Account) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := s.endFollowsBetween(ctx, q, actor.ID, target.ID); err != nil {
			return err
		}
		if err := q.InsertRelation(ctx, store.Blocks, actor.ID, target.ID); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
		return nil
	})
}

// ReceiveUndoBlock lifts a remote account's block.
func (s *Service) ReceiveUndoBlock(ctx context.Context, actor, target *model.Account) error {
	return s.Store.Writer().DeleteRelation(ctx, store.Blocks, actor.ID, target.ID)
}

// ReceiveFlag files a remote server's report about a local account for the moderators,
// through the same path as a member's report.
func (s *Service) ReceiveFlag(ctx context.Context, reporter, target *model.Account, statusIDs []int64, comment string) (*model.Report, error) {
	if len(comment) > maxReportComment {
		comment = comment[:maxReportComment]
	}
	if len(statusIDs) > maxReportItems {
		statusIDs = statusIDs[:maxReportItems]
	}
	r := &model.Report{AccountID: reporter.ID, TargetAccountID: target.ID, Comment: comment,
		StatusIDs: uniqueIDs(statusIDs), Category: "other"}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.InsertReport(ctx, r); err != nil {
			return err
		}
		return mail.NotifyNewReport(ctx, s.Mail, q, mail.Report{ID: r.ID, Reporter: reporter.Acct(), Target: target.Acct(),
			Statuses: len(r.StatusIDs), Comment: r.Comment})
	})
	return r, err
}

// ReceiveMove moves the local followers of a remote account to its new account, which
// must name the old one among its aliases (the caller checks alsoKnownAs).
func (s *Service) ReceiveMove(ctx context.Context, from, to *model.Account) error {
	followers, err := s.Store.LocalFollowerIDs(ctx, from.ID)
	if err != nil {
		return err
	}
	for _, id := range followers {
		follower, err := s.Store.AccountByID(ctx, id)
		if err != nil {
			return err
		}
		if blocked, err := s.Store.BlockBetween(ctx, follower.ID, to.ID); err != nil || blocked {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := s.Follow(ctx, follower, to.ID, FollowOptions{}); err != nil && !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("social: move follower %d to %d: %w", id, to.ID, err)
		}
	}
	return nil
}

// ReceivePin records a remote account's pin (an Add to its featured collection).
func (s *Service) ReceivePin(ctx context.Context, actor *model.Account, st *model.Status) error {
	if st.AccountID != actor.ID {
		return fmt.Errorf("%w: pin of status %d", ErrForeignObject, st.ID)
	}
	err := s.Store.Writer().PinStatus(ctx, actor.ID, st.ID)
	if errors.Is(err, store.ErrConflict) {
		return nil
	}
	return err
}

// ReceiveUnpin removes a remote account's pin.
func (s *Service) ReceiveUnpin(ctx context.Context, actor *model.Account, st *model.Status) error {
	err := s.Store.Writer().UnpinStatus(ctx, actor.ID, st.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// ReceiveDeleteAccount removes a remote account that deleted itself: its statuses go,
// and the account is kept suspended so its handle is not taken over.
func (s *Service) ReceiveDeleteAccount(ctx context.Context, a *model.Account) error {
	if a.IsLocal() {
		return ErrNotAllowed
	}
	for {
		ids, err := s.Store.StatusIDsBy(ctx, a.ID, 200)
		if err != nil || len(ids) == 0 {
			if err != nil {
				return err
			}
			break
		}
		if err := s.removeStatuses(ctx, ids); err != nil {
			return err
		}
	}
	now := s.now().UTC()
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := s.endAllFollows(ctx, q, a.ID); err != nil {
			return err
		}
		return q.SetAccountSuspended(ctx, a.ID, &now)
	})
}

func (s *Service) removeStatuses(ctx context.Context, ids []int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		for _, id := range ids {
			st, err := q.StatusByID(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // a boost of one removed just before
			}
			if err != nil {
				return err
			}
			if err := s.removeStatus(ctx, q, st); err != nil {
				return err
			}
		}
		return nil
	})
}

// endAllFollows removes a departing account's follows and followers.
func (s *Service) endAllFollows(ctx context.Context, q store.Q, accountID int64) error {
	followers, err := q.LocalFollowerIDs(ctx, accountID)
	if err != nil {
		return err
	}
	following, err := q.FollowingIDs(ctx, accountID)
	if err != nil {
		return err
	}
	for _, other := range slices.Concat(followers, following) {
		if err := s.endFollowsBetween(ctx, q, accountID, other); err != nil {
			return err
		}
	}
	return nil
}
