package social

import (
	"context"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// MaxNoteChars bounds a private note on an account, as Mastodon does.
const MaxNoteChars = 2000

// Block makes actor block target: follows and follow requests end both ways and the
// notifications target caused actor go, as in Mastodon. Blocking oneself does nothing.
func (s *Service) Block(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		if err := s.federateFollowsEnding(ctx, q, actor.ID, targetID); err != nil {
			return err
		}
		if err := s.endFollowsBetween(ctx, q, actor.ID, targetID); err != nil {
			return err
		}
		if err := q.InsertRelation(ctx, store.Blocks, actor.ID, targetID); err != nil {
			return err
		}
		if err := s.federate(ctx, q, Blocked{AccountID: actor.ID, TargetID: targetID}); err != nil {
			return err
		}
		return q.DeleteNotificationsFrom(ctx, actor.ID, targetID)
	})
}

// Unblock lifts actor's block of target; unblocking twice is harmless.
func (s *Service) Unblock(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		// Before the row goes: the Undo names the Block by the block's id.
		if err := s.federate(ctx, q, Blocked{AccountID: actor.ID, TargetID: targetID, Undo: true}); err != nil {
			return err
		}
		return q.DeleteRelation(ctx, store.Blocks, actor.ID, targetID)
	})
}

// federateFollowsEnding tells the other side of a block that the follows between the two
// end: Undo of the blocker's Follow, Reject of the blocked account's. Mastodon sends these
// before its Block; servers that do not end follows on a Block themselves (Fedify-based
// ones) would otherwise keep delivering to, and counting, a follower that is gone here.
func (s *Service) federateFollowsEnding(ctx context.Context, q store.Q, blocker, blocked int64) error {
	for _, table := range []string{store.Follows, store.FollowRequests} {
		if f, err := q.FollowBetween(ctx, table, blocker, blocked); err == nil {
			if err := s.federate(ctx, q, Unfollowed{f}); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if f, err := q.FollowBetween(ctx, table, blocked, blocker); err == nil {
			if err := s.federate(ctx, q, FollowAnswered{Follow: f}); err != nil {
				return err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// endFollowsBetween removes follows and follow requests between a and b, either way.
func (s *Service) endFollowsBetween(ctx context.Context, q store.Q, a, b int64) error {
	for _, pair := range [][2]int64{{a, b}, {b, a}} {
		for _, table := range []string{store.Follows, store.FollowRequests} {
			if err := q.DeleteFollow(ctx, table, pair[0], pair[1]); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		if err := q.DeleteNotificationsFor(ctx, pair[1], pair[0], model.NotifyFollowRequest, nil); err != nil {
			return err
		}
	}
	return nil
}

// MuteOptions are Mastodon's mute parameters.
type MuteOptions struct {
	Notifications bool          // also hide the account's notifications
	Duration      time.Duration // 0 mutes until unmuted
}

// Mute makes actor mute target, or changes an existing mute's options. Muting oneself
// does nothing.
func (s *Service) Mute(ctx context.Context, actor *model.Account, targetID int64, o MuteOptions) (*model.Relationship, error) {
	m := &model.Mute{AccountID: actor.ID, TargetAccountID: targetID, HideNotifications: o.Notifications}
	if o.Duration > 0 {
		m.ExpiresAt = new(time.Now().Add(o.Duration))
	}
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error { return q.UpsertMute(ctx, m) })
}

// Unmute ends actor's mute of target; unmuting twice is harmless.
func (s *Service) Unmute(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		return q.DeleteRelation(ctx, "mutes", actor.ID, targetID)
	})
}

// SetNote stores actor's private comment on target ("" clears it).
func (s *Service) SetNote(ctx context.Context, actor *model.Account, targetID int64, comment string) (*model.Relationship, error) {
	if utf8.RuneCountInString(comment) > MaxNoteChars {
		return nil, httpx.Unprocessable("Validation failed: Comment is too long (maximum is %d characters)", MaxNoteChars)
	}
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		return q.SetAccountNote(ctx, actor.ID, targetID, comment)
	})
}

// RemoveFromFollowers ends target's follow of actor, if there is one.
func (s *Service) RemoveFromFollowers(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		f, err := q.FollowBetween(ctx, store.Follows, targetID, actor.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := q.DeleteFollow(ctx, store.Follows, targetID, actor.ID); err != nil {
			return err
		}
		return s.federate(ctx, q, FollowAnswered{Follow: f})
	})
}

// Endorse features target on actor's profile; only followed accounts can be featured.
func (s *Service) Endorse(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	following, err := s.Store.FollowingSet(ctx, store.Follows, actor.ID, []int64{targetID})
	if err != nil {
		return nil, err
	}
	if following[targetID] == nil {
		if _, err := s.relationTarget(ctx, targetID); err != nil {
			return nil, err
		}
		return nil, httpx.Unprocessable("Validation failed: You can only feature accounts you follow")
	}
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		return q.InsertRelation(ctx, store.Endorsements, actor.ID, targetID)
	})
}

// Unendorse stops featuring target; doing it twice is harmless.
func (s *Service) Unendorse(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
	return s.changeRelation(ctx, actor, targetID, func(q store.Q) error {
		return q.DeleteRelation(ctx, store.Endorsements, actor.ID, targetID)
	})
}

// changeRelation runs change in one transaction once target is known to exist (self is
// left alone, as Mastodon does) and returns the relationship after it.
func (s *Service) changeRelation(ctx context.Context, actor *model.Account, targetID int64, change func(q store.Q) error) (*model.Relationship, error) {
	if _, err := s.relationTarget(ctx, targetID); err != nil {
		return nil, err
	}
	if targetID != actor.ID {
		if err := s.Store.Tx(ctx, change); err != nil {
			return nil, err
		}
	}
	return s.Relationship(ctx, actor, targetID)
}

// relationTarget loads an account others may relate to: existing and not suspended.
func (s *Service) relationTarget(ctx context.Context, id int64) (*model.Account, error) {
	a, err := s.Store.AccountByID(ctx, id)
	if err != nil || a.SuspendedAt != nil {
		return nil, denied(orNotFound(err))
	}
	return a, nil
}

// MutedAccount is an account in the viewer's mute list, with the mute.
type MutedAccount struct {
	*model.Account
	Mute *model.Mute
}

// Blocks lists the accounts viewer blocks, with the cursors Mastodon pages by.
func (s *Service) Blocks(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*model.Account, []int64, error) {
	return s.Store.FollowAccounts(ctx, store.Blocks, viewer.ID, false, storePage(p))
}

// Mutes lists the accounts viewer mutes, expired mutes left out.
func (s *Service) Mutes(ctx context.Context, viewer *model.Account, p httpx.Page) ([]MutedAccount, []int64, error) {
	accounts, mutes, err := s.Store.MutedAccounts(ctx, viewer.ID, time.Now(), storePage(p))
	if err != nil {
		return nil, nil, err
	}
	out := make([]MutedAccount, len(accounts))
	cursors := make([]int64, len(accounts))
	for i, a := range accounts {
		out[i], cursors[i] = MutedAccount{Account: a, Mute: mutes[i]}, mutes[i].ID
	}
	return out, cursors, nil
}

// Endorsements lists the accounts owner features on their profile. An owner who blocks
// the viewer shows them none.
func (s *Service) Endorsements(ctx context.Context, viewer *model.Account, ownerID int64, p httpx.Page) ([]*model.Account, []int64, error) {
	if _, err := s.relationTarget(ctx, ownerID); err != nil {
		return nil, nil, err
	}
	if viewer != nil && viewer.ID != ownerID {
		blocked, err := s.Store.BlockBetween(ctx, ownerID, viewer.ID)
		if err != nil || blocked {
			return nil, nil, err
		}
	}
	return s.Store.FollowAccounts(ctx, store.Endorsements, ownerID, false, storePage(p))
}

// MaxAccountsPerRequest bounds the id[] lists of multi-account endpoints.
const MaxAccountsPerRequest = 40

// Accounts loads the listed accounts in the order asked, leaving out unknown and
// suspended ones.
func (s *Service) Accounts(ctx context.Context, ids []int64) ([]*model.Account, error) {
	if len(ids) > MaxAccountsPerRequest {
		return nil, httpx.Unprocessable("Validation failed: at most %d accounts may be requested at once", MaxAccountsPerRequest)
	}
	found, err := s.Store.AccountsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []*model.Account{}
	seen := map[int64]bool{}
	for _, id := range ids {
		if a := found[id]; a != nil && a.SuspendedAt == nil && !seen[id] {
			seen[id] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// FamiliarFollowers is, for one account, the accounts the viewer follows that follow it.
type FamiliarFollowers struct {
	ID       int64
	Accounts []*model.Account
}

// Familiar answers familiar_followers for each known account among ids, in order.
func (s *Service) Familiar(ctx context.Context, viewer *model.Account, ids []int64) ([]FamiliarFollowers, error) {
	targets, err := s.Accounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	targetIDs := make([]int64, len(targets))
	for i, t := range targets {
		targetIDs[i] = t.ID
	}
	found, err := s.Store.FamiliarFollowers(ctx, viewer.ID, targetIDs)
	if err != nil {
		return nil, err
	}
	out := make([]FamiliarFollowers, len(targetIDs))
	for i, id := range targetIDs {
		out[i] = FamiliarFollowers{ID: id, Accounts: found[id]}
	}
	return out, nil
}
