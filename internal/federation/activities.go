package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// The activities about accounts and interactions: Like, Follow, Accept, Reject, Block,
// their Undo, Add/Remove (pins), Flag and poll answers. Each goes to the one remote
// account it concerns, or to the actor's followers; ids are named after the local row,
// so the Undo of an activity names the same id the activity had.

// actorID is an account's ActivityPub id: derived for local accounts, stored for remote ones.
func (s *Service) actorID(a *model.Account) string {
	if a.IsLocal() {
		return s.URLs.Actor(a.Username)
	}
	return a.URI
}

// undo wraps an activity in its Undo, from the same actor to the same recipients.
func (s *Service) undo(inner *Activity) *Activity {
	inner.Context = nil
	return &Activity{Context: Context, ID: s.URLs.Undo(inner.ID), Type: "Undo", Actor: inner.Actor,
		To: inner.To, Cc: inner.Cc, Object: inner}
}

func (s *Service) federateLike(ctx context.Context, q store.Q, e social.Favourited) error {
	actor, err := localAccount(ctx, q, e.AccountID)
	if err != nil || actor == nil {
		return err
	}
	st, err := q.StatusByID(ctx, e.StatusID)
	if err != nil {
		return err
	}
	aud, err := deliveryTo(ctx, q, st.AccountID)
	if err != nil || len(aud) == 0 {
		return err
	}
	favID, err := q.RowIDBetween(ctx, store.Favourites, actor.ID, st.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // an Undo of a like that was not there
	}
	if err != nil {
		return err
	}
	like := &Activity{Context: Context, ID: s.URLs.Activity(actor.Username, "likes", favID), Type: "Like",
		Actor: s.actorID(actor), Object: st.URI}
	if e.Undo {
		return s.send(ctx, q, actor.ID, s.undo(like), aud)
	}
	return s.send(ctx, q, actor.ID, like, aud)
}

// followActivity is the Follow of f, named by its stored id.
func (s *Service) followActivity(f *model.Follow, follower, target *model.Account) *Activity {
	return &Activity{Context: Context, ID: f.URI, Type: "Follow", Actor: s.actorID(follower), Object: s.actorID(target)}
}

// federateFollow sends a local account's Follow of a remote one, naming it after the
// request's row and keeping that id in the request: the remote Accept names it.
func (s *Service) federateFollow(ctx context.Context, q store.Q, f *model.Follow) error {
	follower, target, aud, err := s.followParties(ctx, q, f.AccountID, f.TargetAccountID)
	if err != nil || follower == nil {
		return err
	}
	f.URI = s.URLs.Activity(follower.Username, "follows", f.ID)
	if err := q.SetFollowURI(ctx, store.FollowRequests, f.ID, f.URI); err != nil {
		return err
	}
	return s.send(ctx, q, follower.ID, s.followActivity(f, follower, target), aud)
}

func (s *Service) federateUnfollow(ctx context.Context, q store.Q, f *model.Follow) error {
	follower, target, aud, err := s.followParties(ctx, q, f.AccountID, f.TargetAccountID)
	if err != nil || follower == nil {
		return err
	}
	if f.URI == "" {
		f.URI = s.URLs.Activity(follower.Username, "follows", f.ID)
	}
	return s.send(ctx, q, follower.ID, s.undo(s.followActivity(f, follower, target)), aud)
}

// followParties loads a local account acting towards a remote one, and the remote
// one's inbox. A pair that is not local → remote comes back with a nil actor.
func (s *Service) followParties(ctx context.Context, q store.Q, localID, remoteID int64) (*model.Account, *model.Account, audience, error) {
	local, err := localAccount(ctx, q, localID)
	if err != nil || local == nil {
		return nil, nil, nil, err
	}
	remote, err := q.AccountByID(ctx, remoteID)
	if err != nil || remote.IsLocal() {
		return nil, nil, nil, err
	}
	aud, err := deliveryTo(ctx, q, remote.ID)
	return local, remote, aud, err
}

// federateFollowAnswer sends the Accept or Reject of a remote account's Follow of a
// local one; the Follow is embedded, so the follower's server need not remember its id.
func (s *Service) federateFollowAnswer(ctx context.Context, q store.Q, f *model.Follow, accepted bool) error {
	target, follower, aud, err := s.followParties(ctx, q, f.TargetAccountID, f.AccountID)
	if err != nil || target == nil {
		return err
	}
	kind, typ := "rejects/follows", "Reject"
	if accepted {
		kind, typ = "accepts/follows", "Accept"
	}
	follow := s.followActivity(f, follower, target)
	follow.Context = nil
	answer := &Activity{Context: Context, ID: s.URLs.Activity(target.Username, kind, f.ID), Type: typ,
		Actor: s.actorID(target), Object: follow}
	return s.send(ctx, q, target.ID, answer, aud)
}

func (s *Service) federateBlock(ctx context.Context, q store.Q, e social.Blocked) error {
	actor, target, aud, err := s.followParties(ctx, q, e.AccountID, e.TargetID)
	if err != nil || actor == nil {
		return err
	}
	blockID, err := q.RowIDBetween(ctx, store.Blocks, actor.ID, target.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // unblocking an account that was not blocked
	}
	if err != nil {
		return err
	}
	block := &Activity{Context: Context, ID: s.URLs.Activity(actor.Username, "blocks", blockID), Type: "Block",
		Actor: s.actorID(actor), Object: s.actorID(target)}
	if e.Undo {
		return s.send(ctx, q, actor.ID, s.undo(block), aud)
	}
	return s.send(ctx, q, actor.ID, block, aud)
}

// federatePin sends Add (or Remove) of a status to the author's featured collection,
// to the followers, as Mastodon does; direct statuses cannot be pinned.
func (s *Service) federatePin(ctx context.Context, q store.Q, e social.Pinned) error {
	actor, err := localAccount(ctx, q, e.AccountID)
	if err != nil || actor == nil {
		return err
	}
	st, err := q.StatusByID(ctx, e.StatusID)
	if err != nil {
		return err
	}
	aud := audience{}
	if err := aud.addFollowers(ctx, q, actor.ID); err != nil {
		return err
	}
	typ, kind := "Add", fmt.Sprintf("pins/%d", st.ID)
	if e.Undo {
		typ, kind = "Remove", fmt.Sprintf("unpins/%d", st.ID)
	}
	// Pinned again after an unpin is a new activity: the time keeps the ids apart.
	act := &Activity{Context: Context, ID: s.URLs.Activity(actor.Username, kind, s.now().UnixMilli()), Type: typ,
		Actor: s.actorID(actor), Object: st.URI, Target: s.URLs.Featured(actor.Username)}
	return s.send(ctx, q, actor.ID, act, aud)
}

// federateReport forwards a report to the reported account's server as a Flag from the
// instance actor, so the reporter stays anonymous there, as in Mastodon.
func (s *Service) federateReport(ctx context.Context, q store.Q, r *model.Report) error {
	target, err := q.AccountByID(ctx, r.TargetAccountID)
	if err != nil || target.IsLocal() {
		return err
	}
	objects := []string{target.URI}
	for _, id := range r.StatusIDs {
		st, err := q.StatusByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		objects = append(objects, st.URI)
	}
	aud, err := deliveryTo(ctx, q, target.ID)
	if err != nil {
		return err
	}
	flag := &Flag{Context: Context, ID: fmt.Sprintf("%s#flags/%d", s.URLs.InstanceActor(), r.ID), Type: "Flag",
		Actor: s.URLs.InstanceActor(), Content: r.Comment, Object: objects}
	return s.send(ctx, q, 0, flag, aud)
}

// Flag is a report as ActivityPub carries it: the account and statuses as objects.
type Flag struct {
	Context any      `json:"@context,omitempty"`
	ID      string   `json:"id"`
	Type    string   `json:"type"`
	Actor   string   `json:"actor"`
	Content string   `json:"content"`
	Object  []string `json:"object"`
}
