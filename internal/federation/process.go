package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// errRefused marks an activity processing will not apply, whatever the retries.
var errRefused = errors.New("federation: activity refused")

func refused(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errRefused, fmt.Sprintf(format, args...))
}

// Process applies one verified inbound activity of the account actorID.
func (s *Service) Process(ctx context.Context, actorID int64, body []byte) error {
	actor, err := s.Store.AccountByID(ctx, actorID)
	if err != nil {
		return err
	}
	if actor.SuspendedAt != nil {
		return refused("actor %s is suspended", actor.URI)
	}
	d, err := parseDoc(body)
	if err != nil {
		return refused("%v", err)
	}
	err = s.dispatch(ctx, actor, d)
	if errors.Is(err, social.ErrForeignObject) || errors.Is(err, ErrOriginMismatch) || errors.Is(err, ErrBlockedDomain) ||
		errors.Is(err, social.ErrNotFound) || errors.Is(err, social.ErrNotAllowed) || errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %s %s: %v", errRefused, d.typ(), d.id(), err)
	}
	return err
}

func (s *Service) dispatch(ctx context.Context, actor *model.Account, d doc) error {
	switch d.typ() {
	case "Create":
		return s.processCreate(ctx, actor, d)
	case "Update":
		return s.processUpdate(ctx, actor, d)
	case "Delete":
		return s.processDelete(ctx, actor, d)
	case "Announce":
		return s.processAnnounce(ctx, actor, d)
	case "Like":
		return s.processLike(ctx, actor, d)
	case "Follow":
		return s.processFollow(ctx, actor, d)
	case "Accept", "Reject":
		return s.processFollowAnswer(ctx, actor, d)
	case "Undo":
		return s.processUndo(ctx, actor, d)
	case "Block":
		return s.withLocalTarget(ctx, d.ref("object"), func(t *model.Account) error { return s.Social.ReceiveBlock(ctx, actor, t) })
	case "Flag":
		return s.processFlag(ctx, actor, d)
	case "Move":
		return s.processMove(ctx, actor, d)
	case "Add", "Remove":
		return s.processFeatured(ctx, actor, d)
	}
	return nil // other activities (EmojiReact, View …) are not kept, as Mastodon keeps none
}

func (s *Service) processCreate(ctx context.Context, actor *model.Account, d doc) error {
	obj := d.obj("object")
	if obj == nil {
		uri := d.ref("object")
		if !sameHost(uri, actor.URI) {
			return refused("Create of %s by %s", uri, actor.URI)
		}
		fetched, err := s.fetchDoc(ctx, uri)
		if err != nil {
			return err
		}
		obj = fetched
	}
	if !slices.Contains(statusTypes, obj.typ()) {
		return nil
	}
	_, err := s.ingestStatus(ctx, actor, obj, 0)
	return err
}

func (s *Service) processUpdate(ctx context.Context, actor *model.Account, d doc) error {
	obj := d.obj("object")
	switch {
	case obj == nil:
		return nil
	case slices.Contains(actorTypes, obj.typ()):
		if obj.id() != actor.URI {
			return refused("Update of actor %s by %s", obj.id(), actor.URI)
		}
		// The embedded copy is not trusted with a key: the actor is read again from its
		// own host, whose answer is the one a key may change by.
		_, err := s.RefreshActor(ctx, actor.URI)
		return err
	case slices.Contains(statusTypes, obj.typ()):
		p, err := s.readStatus(ctx, actor, obj, 0)
		if err != nil {
			return err
		}
		_, err = s.Social.ReceiveEdit(ctx, *p)
		return err
	}
	return nil
}

func (s *Service) processDelete(ctx context.Context, actor *model.Account, d doc) error {
	uri := d.ref("object")
	if uri == actor.URI {
		return s.Social.ReceiveDeleteAccount(ctx, actor)
	}
	return s.Social.ReceiveDeleteStatus(ctx, actor, uri)
}

func (s *Service) processAnnounce(ctx context.Context, actor *model.Account, d doc) error {
	original, err := s.statusByURI(ctx, d.ref("object"), 0)
	if err != nil {
		return err
	}
	if err := s.refuseInvolving(ctx, original.AccountID); err != nil {
		return err
	}
	if httpURL(d.id()) == "" || !sameHost(d.id(), actor.URI) {
		return refused("Announce id %q is not on %s", d.id(), actor.Domain)
	}
	_, err = s.Social.ReceiveAnnounce(ctx, actor, original, d.id(), d.time("published"))
	return err
}

func (s *Service) processLike(ctx context.Context, actor *model.Account, d doc) error {
	st, err := s.Store.StatusByURI(ctx, d.ref("object"))
	if err != nil {
		return err // a like of a status we do not have concerns nobody here
	}
	return s.Social.ReceiveLike(ctx, actor, st)
}

func (s *Service) processFollow(ctx context.Context, actor *model.Account, d doc) error {
	return s.withLocalTarget(ctx, d.ref("object"), func(t *model.Account) error {
		return s.Social.ReceiveFollow(ctx, actor, t, d.id())
	})
}

// processFollowAnswer applies an Accept or Reject of a local account's Follow. The
// Follow is found by its id, or read from the embedded copy, whose object must be the
// answering actor: nobody answers for another.
func (s *Service) processFollowAnswer(ctx context.Context, actor *model.Account, d doc) error {
	follower, err := s.answeredFollower(ctx, actor, d)
	if err != nil {
		return err
	}
	if d.typ() == "Accept" {
		return s.Social.ReceiveFollowAccepted(ctx, follower, actor)
	}
	return s.Social.ReceiveFollowRejected(ctx, follower, actor)
}

func (s *Service) answeredFollower(ctx context.Context, actor *model.Account, d doc) (*model.Account, error) {
	if inner := d.obj("object"); inner != nil {
		if inner.typ() != "Follow" || inner.ref("object") != actor.URI {
			return nil, refused("%s of something other than a Follow of %s", d.typ(), actor.URI)
		}
		return s.localAccountByURI(ctx, inner.ref("actor"))
	}
	for _, table := range []string{store.FollowRequests, store.Follows} {
		f, err := s.Store.FollowByURI(ctx, table, d.ref("object"))
		if err == nil && f.TargetAccountID == actor.ID {
			return s.Store.AccountByID(ctx, f.AccountID)
		}
	}
	return nil, refused("%s of unknown Follow %s", d.typ(), d.ref("object"))
}

func (s *Service) processUndo(ctx context.Context, actor *model.Account, d doc) error {
	inner := d.obj("object")
	if inner == nil {
		return s.undoByID(ctx, actor, d.ref("object"))
	}
	if inner.ref("actor") != actor.URI {
		return refused("Undo of %s's activity by %s", inner.ref("actor"), actor.URI)
	}
	switch inner.typ() {
	case "Follow":
		return s.withLocalTarget(ctx, inner.ref("object"), func(t *model.Account) error { return s.Social.ReceiveUndoFollow(ctx, actor, t) })
	case "Block":
		return s.withLocalTarget(ctx, inner.ref("object"), func(t *model.Account) error { return s.Social.ReceiveUndoBlock(ctx, actor, t) })
	case "Like":
		st, err := s.Store.StatusByURI(ctx, inner.ref("object"))
		if err != nil {
			return err
		}
		return s.Social.ReceiveUndoLike(ctx, actor, st)
	case "Announce":
		return s.Social.ReceiveUndoAnnounce(ctx, actor, inner.id())
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

func (s *Service) processFlag(ctx context.Context, actor *model.Account, d doc) error {
	var target *model.Account
	var statusIDs []int64
	for _, uri := range d.refs("object") {
		if a, err := s.localAccountByURI(ctx, uri); err == nil && target == nil {
			target = a
			continue
		}
		if st, err := s.Store.StatusByURI(ctx, uri); err == nil && st.Local {
			statusIDs = append(statusIDs, st.ID)
		}
	}
	if target == nil {
		return refused("Flag names no local account")
	}
	comment, _ := d.langString("content")
	_, err := s.Social.ReceiveFlag(ctx, actor, target, statusIDs, truncate(comment, 1000))
	return err
}

// processMove follows the account's new home, which must claim the old one as an alias.
func (s *Service) processMove(ctx context.Context, actor *model.Account, d doc) error {
	if d.ref("object") != actor.URI {
		return refused("Move of %s by %s", d.ref("object"), actor.URI)
	}
	target, err := s.RefreshActor(ctx, d.ref("target"))
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
	return s.Social.ReceiveMove(ctx, actor, target)
}

// processFeatured applies an Add or Remove to the actor's featured (pinned) collection.
func (s *Service) processFeatured(ctx context.Context, actor *model.Account, d doc) error {
	remote, err := s.Store.ActorByAccountID(ctx, actor.ID)
	if err != nil {
		return err
	}
	if remote.FeaturedURL == "" || d.ref("target") != remote.FeaturedURL {
		return nil // only the featured collection is kept
	}
	st, err := s.Store.StatusByURI(ctx, d.ref("object"))
	if err != nil {
		return err
	}
	if d.typ() == "Add" {
		return s.Social.ReceivePin(ctx, actor, st)
	}
	return s.Social.ReceiveUnpin(ctx, actor, st)
}

func (s *Service) withLocalTarget(ctx context.Context, uri string, fn func(*model.Account) error) error {
	target, err := s.localAccountByURI(ctx, uri)
	if err != nil {
		return err
	}
	return fn(target)
}

// localAccountByURI finds a local account by its actor id, which tusk does not store
// for local accounts: it is derived from the username.
func (s *Service) localAccountByURI(ctx context.Context, uri string) (*model.Account, error) {
	prefix := s.URLs.Base + "/users/"
	if len(uri) <= len(prefix) || uri[:len(prefix)] != prefix {
		return nil, refused("%s is not a local account", uri)
	}
	return s.Store.AccountByHandle(ctx, uri[len(prefix):], "")
}

// refuseInvolving refuses activities that involve a suspended account or an account of
// a suspended domain (a boost of its post, a reply to it).
func (s *Service) refuseInvolving(ctx context.Context, accountID int64) error {
	a, err := s.Store.AccountByID(ctx, accountID)
	if err != nil {
		return err
	}
	if a.SuspendedAt != nil {
		return refused("involves suspended account %s", a.Acct())
	}
	if a.IsLocal() {
		return nil
	}
	policy, err := s.Store.DomainPolicyFor(ctx, a.Domain)
	if err != nil {
		return err
	}
	if policy.Suspended() {
		return refused("involves blocked domain %s", a.Domain)
	}
	return nil
}
