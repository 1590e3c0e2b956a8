package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
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
	act, err := ap.DecodeActivity(body)
	if err != nil {
		return refused("%v", err)
	}
	return s.classify(s.dispatch(ctx, actor, act), act.Type, act.ID)
}

func (s *Service) dispatch(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	switch d.Type {
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
		return s.withLocalTarget(ctx, objectIRI(d), func(t *model.Account) error { return s.Social.ReceiveBlock(ctx, actor, t) })
	case "Flag":
		return s.processFlag(ctx, actor, d)
	case "Move":
		return s.processMove(ctx, actor, d)
	case "Add", "Remove":
		return s.processFeatured(ctx, actor, d)
	}
	return nil // other activities (EmojiReact, View …) are not kept, as Mastodon keeps none
}

func (s *Service) processCreate(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	if d.Object == nil {
		return refused("Create without an object")
	}
	if !d.Object.Embedded() {
		if !ap.SameOrigin(d.Object.IRI, actor.URI) {
			return refused("Create of %s by %s", d.Object.IRI, actor.URI)
		}
		f, err := s.fetchDoc(ctx, d.Object.IRI)
		if err != nil {
			return err
		}
		_, err = s.ingestFetched(ctx, f, 0)
		return err
	}
	if !ap.IsObjectType(d.Object.Type) {
		return nil
	}
	obj, err := ap.DecodeObject(d.Object.Raw)
	if err != nil {
		return refused("%v", err)
	}
	_, err = s.ingestStatus(ctx, actor, obj, 0)
	return err
}

func (s *Service) processUpdate(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	obj := d.Object
	switch {
	case !obj.Embedded():
		return nil
	case ap.IsActorType(obj.Type):
		if obj.IRI != actor.URI {
			return refused("Update of actor %s by %s", obj.IRI, actor.URI)
		}
		// The embedded copy is not trusted with a key: the actor is read again from its
		// own host, whose answer is the one a key may change by.
		_, err := s.RefreshActor(ctx, actor.URI)
		return err
	case ap.IsObjectType(obj.Type):
		o, err := ap.DecodeObject(obj.Raw)
		if err != nil {
			return refused("%v", err)
		}
		return s.updateStatus(ctx, actor, o)
	}
	return nil
}

func (s *Service) processDelete(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	uri := objectIRI(d)
	if uri == actor.URI {
		return s.Social.ReceiveDeleteAccount(ctx, actor)
	}
	return s.Social.ReceiveDeleteStatus(ctx, actor, uri)
}

func (s *Service) processAnnounce(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	if d.ID == "" || !ap.SameOrigin(d.ID, actor.URI) {
		return refused("Announce id %q is not on %s", d.ID, actor.Domain)
	}
	original, err := s.statusByURI(ctx, objectIRI(d), 0)
	if err != nil {
		return err
	}
	if err := s.refuseInvolving(ctx, original.AccountID); err != nil {
		return err
	}
	_, err = s.Social.ReceiveAnnounce(ctx, actor, original, d.ID, d.Published)
	return err
}

func (s *Service) processLike(ctx context.Context, actor *model.Account, d *ap.Activity) error {
	st, err := s.Store.StatusByURI(ctx, objectIRI(d))
	if err != nil {
		return err // a like of a status we do not have concerns nobody here
	}
	return s.Social.ReceiveLike(ctx, actor, st)
}

// updateStatus applies an edit of a remote status; a Question's edit that changes
// nothing but its counts (Mastodon sends one as votes come in) refreshes the counts.
func (s *Service) updateStatus(ctx context.Context, actor *model.Account, obj *ap.Object) error {
	p, err := s.readStatus(ctx, actor, obj, 0)
	if err != nil {
		return err
	}
	_, err = s.Social.ReceiveEdit(ctx, *p)
	return err
}

// objectIRI is the id of an activity's object, "" when it has none.
func objectIRI(d *ap.Activity) string {
	if d.Object == nil {
		return ""
	}
	return d.Object.IRI
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
	policy, err := s.domainPolicy(ctx, a.Domain)
	if err != nil {
		return err
	}
	if policy.Suspended() {
		return refused("involves blocked domain %s", a.Domain)
	}
	return nil
}
