package federation

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// actorStaleness is how old a stored actor may be before it is fetched again.
const actorStaleness = 24 * time.Hour

// ErrNotActor: the document is not an actor, or lacks what every actor must have.
var ErrNotActor = errors.New("federation: not a usable actor document")

// FetchActor returns the remote account with ActivityPub id uri, fetching its actor
// document when it is unknown or stale.
func (s *Service) FetchActor(ctx context.Context, uri string) (*model.Account, error) {
	a, err := s.Store.AccountByURI(ctx, uri)
	if err == nil && (a.IsLocal() || !s.actorStale(ctx, a)) {
		return a, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	fresh, fetchErr := s.RefreshActor(ctx, uri)
	if fetchErr != nil && a != nil {
		return a, nil // a stale copy beats none while its server is down
	}
	return fresh, fetchErr
}

func (s *Service) actorStale(ctx context.Context, a *model.Account) bool {
	actor, err := s.Store.ActorByAccountID(ctx, a.ID)
	return err != nil || actor.FetchedAt == nil || s.now().Sub(*actor.FetchedAt) > actorStaleness
}

// RefreshActor fetches an actor document and stores what it says, key included: the
// document came from the actor's own host, so its key is the one to trust.
func (s *Service) RefreshActor(ctx context.Context, uri string) (*model.Account, error) {
	d, err := s.fetchDoc(ctx, uri)
	if err != nil {
		return nil, err
	}
	if !ap.SameOrigin(uri, d.ID) {
		return nil, fmt.Errorf("%w: asked for %s, got %s", ErrOriginMismatch, uri, d.ID)
	}
	a, err := ap.DecodeActor(d.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrNotActor, uri, err)
	}
	return s.storeActor(ctx, a)
}

// storeActor validates an actor document and inserts or updates its account and actor.
func (s *Service) storeActor(ctx context.Context, a *ap.Actor) (*model.Account, error) {
	acct, actor, err := s.readActor(a)
	if err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		existing, err := q.AccountByURI(ctx, acct.URI)
		switch {
		case err == nil && existing.IsLocal():
			return fmt.Errorf("%w: %s is local", ErrNotActor, acct.URI)
		case err == nil:
			acct.ID = existing.ID
			acct.Username, acct.Domain = existing.Username, existing.Domain
			if err := q.UpdateRemoteAccount(ctx, acct, store.RemoteCounts{}); err != nil {
				return err
			}
		case errors.Is(err, store.ErrNotFound):
			if err := q.InsertAccount(ctx, acct); err != nil {
				return err // ErrConflict: the handle belongs to another actor id
			}
		default:
			return err
		}
		actor.AccountID = acct.ID
		return q.UpsertActor(ctx, actor)
	})
	if err != nil {
		return nil, fmt.Errorf("federation: store actor %s: %w", acct.URI, err)
	}
	s.remoteKeys.forgetOwner(acct.URI)
	return s.Store.AccountByID(ctx, acct.ID)
}

// readActor maps a decoded actor to an account and its actor row. ap has applied the
// limits (username, lengths, 50 fields, valid links, sanitized HTML); what is left is
// that the actor has a key of its own.
func (s *Service) readActor(a *ap.Actor) (*model.Account, *model.Actor, error) {
	key := a.PublicKey
	if key.PEM == "" || !ap.SameOrigin(key.ID, a.ID) || (key.Owner != "" && key.Owner != a.ID) {
		return nil, nil, fmt.Errorf("%w: %q has no key of its own", ErrNotActor, a.ID)
	}
	acct := &model.Account{Username: a.PreferredUsername, Domain: hostOf(a.ID), URI: a.ID, URL: a.URL,
		DisplayName: a.Name, Note: a.Summary, Fields: readFields(a.Fields), Locked: a.ManuallyApprovesFollowers,
		Bot: a.Type == "Service" || a.Type == "Application", Discoverable: a.Discoverable,
		AvatarRemoteURL: a.Icon.URL, HeaderRemoteURL: a.Image.URL}
	now := s.now().UTC()
	actor := &model.Actor{Type: a.Type, InboxURL: a.Inbox, OutboxURL: a.Outbox, SharedInboxURL: a.SharedInbox,
		FollowersURL: a.Followers, FollowingURL: a.Following, FeaturedURL: a.Featured, FeaturedTagsURL: a.FeaturedTags,
		PublicKeyID: key.ID, PublicKeyPEM: key.PEM, MovedToURI: a.MovedTo, Indexable: a.Indexable,
		FetchedAt: &now, AlsoKnownAs: a.AlsoKnownAs}
	return acct, actor, nil
}

func readFields(fields []ap.Field) []model.Field {
	out := make([]model.Field, 0, len(fields))
	for _, f := range fields {
		out = append(out, model.Field{Name: f.Name, Value: f.Value})
	}
	return out
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
