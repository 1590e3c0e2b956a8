package federation

import (
	"context"
	"slices"
	"strings"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// maxFlagComment bounds the comment a remote report brings.
const maxFlagComment = 1000

func (s *Service) processFollow(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	return s.withLocalTarget(ctx, objectIRI(d), func(t *model.Account) error {
		return s.Social.ReceiveFollow(ctx, actor, t, d.ID)
	})
}

// processFollowAnswer applies an Accept or Reject of a local account's Follow. The
// Follow is found by its id, or read from the embedded copy, whose object must be the
// answering actor: nobody answers for another.
func (s *Service) processFollowAnswer(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	follower, err := s.answeredFollower(ctx, actor, d)
	if err != nil {
		return err
	}
	if d.Type == "Accept" {
		return s.Social.ReceiveFollowAccepted(ctx, follower, actor)
	}
	return s.Social.ReceiveFollowRejected(ctx, follower, actor)
}

func (s *Service) answeredFollower(ctx context.Context, actor *model.Account, d *ap.Activity) (*model.Account, error) {
	if d.Object.Embedded() {
		inner, err := ap.DecodeActivity(d.Object.Raw)
		if err != nil {
			return nil, refused("%s: %v", d.Type, err)
		}
		if inner.Type != "Follow" || objectIRI(inner) != actor.URI {
			return nil, refused("%s of something other than a Follow of %s", d.Type, actor.URI)
		}
		return s.localAccountByURI(ctx, inner.Actor)
	}
	for _, table := range []string{store.FollowRequests, store.Follows} {
		f, err := s.Store.FollowByURI(ctx, table, objectIRI(d))
		if err == nil && f.TargetAccountID == actor.ID {
			return s.Store.AccountByID(ctx, f.AccountID)
		}
	}
	return nil, refused("%s of unknown Follow %s", d.Type, objectIRI(d))
}

func (s *Service) processUndo(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	if !d.Object.Embedded() {
		return s.undoByID(ctx, actor, objectIRI(d))
	}
	inner, err := ap.DecodeActivity(d.Object.Raw)
	if err != nil {
		return refused("Undo: %v", err)
	}
	if inner.Actor != actor.URI {
		return refused("Undo of %s's activity by %s", inner.Actor, actor.URI)
	}
	switch inner.Type {
	case "Follow":
		return s.withLocalTarget(ctx, objectIRI(inner), func(t *model.Account) error { return s.Social.ReceiveUndoFollow(ctx, actor, t) })
	case "Block":
		return s.withLocalTarget(ctx, objectIRI(inner), func(t *model.Account) error { return s.Social.ReceiveUndoBlock(ctx, actor, t) })
	case "Like":
		st, err := s.Store.StatusByURI(ctx, objectIRI(inner))
		if err != nil {
			return err
		}
		return s.Social.ReceiveUndoLike(ctx, actor, st)
	case "Announce":
		return s.Social.ReceiveUndoAnnounce(ctx, actor, inner.ID)
	}
	return nil
}

// undoByID undoes an activity named only by id: a boost or a follow are findable.
func (s *Service) undoByID(ctx context.Context, actor *model.Account, id string) error {
	if f, err := s.Store.FollowByURI(ctx, store.Follows, id); err == nil && f.AccountID == actor.ID {
		target, err := s.Store.AccountByID(ctx, f.TargetAccountID)
		if err != nil {
			return err
		}
		return s.Social.ReceiveUndoFollow(ctx, actor, target)
	}
	return s.Social.ReceiveUndoAnnounce(ctx, actor, id)
}

// processFlag files a remote report: the first local account among the objects is
// the one reported, the local statuses among them are the evidence.
func (s *Service) processFlag(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	var target *model.Account
	var statusIDs []int64
	for _, ref := range d.Objects {
		if a, err := s.localAccountByURI(ctx, ref.IRI); err == nil && target == nil {
			target = a
			continue
		}
		if st, err := s.Store.StatusByURI(ctx, ref.IRI); err == nil && st.Local {
			statusIDs = append(statusIDs, st.ID)
		}
	}
	if target == nil {
		return refused("Flag names no local account")
	}
	_, err := s.Social.ReceiveFlag(ctx, actor, target, statusIDs, truncate(d.Content, maxFlagComment))
	return err
}

// processMove follows the account's new home, which must claim the old one as an alias.
func (s *Service) processMove(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	if objectIRI(d) != actor.URI {
		return refused("Move of %s by %s", objectIRI(d), actor.URI)
	}
	if d.Target == nil {
		return refused("Move of %s without a target", actor.URI)
	}
	target, err := s.moveTargetOf(ctx, d.Target.IRI)
	if err != nil {
		return err
	}
	targetActor, err := s.Store.ActorByAccountID(ctx, target.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(targetActor.AlsoKnownAs, actor.URI) {
		return refused("Move target %s does not name %s among its aliases", target.URI, actor.URI)
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.SetAccountMovedTo(ctx, actor.ID, target.ID); err != nil {
			return err
		}
		return q.SetActorMovedTo(ctx, actor.ID, d.Target.IRI)
	})
	if err != nil {
		return err
	}
	return s.Social.ReceiveMove(ctx, actor, target)
}

// moveTargetOf loads the account a Move goes to: a local one as it is here, a remote
// one fetched afresh, since the alias it must carry may be minutes old.
func (s *Service) moveTargetOf(ctx context.Context, uri string) (*model.Account, error) {
	if strings.HasPrefix(uri, s.URLs.Base+"/users/") {
		return s.localAccountByURI(ctx, uri)
	}
	return s.RefreshActor(ctx, uri)
}

// processFeatured applies an Add or Remove to the actor's featured (pinned) collection.
func (s *Service) processFeatured(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	remote, err := s.actorOf(ctx, actor)
	if err != nil {
		return err
	}
	if remote.FeaturedURL == "" || d.Target == nil || d.Target.IRI != remote.FeaturedURL {
		return nil // only the featured collection is kept
	}
	st, err := s.Store.StatusByURI(ctx, objectIRI(d))
	if err != nil {
		return err
	}
	if d.Type == "Add" {
		return s.Social.ReceivePin(ctx, actor, st)
	}
	return s.Social.ReceiveUnpin(ctx, actor, st)
}
