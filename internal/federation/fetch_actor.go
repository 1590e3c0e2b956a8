package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// Limits on remote profiles, as Mastodon's FEDERATION.md states them.
const (
	maxNameChars   = 2048
	maxNoteChars   = 20 << 10
	maxFields      = 50
	maxFieldChars  = 2048
	maxAliases     = 256
	actorStaleness = 24 * time.Hour // a stored actor older than this is fetched again
)

// ErrNotActor: the document is not an actor, or lacks what every actor must have.
var ErrNotActor = errors.New("federation: not a usable actor document")

var actorTypes = []string{"Person", "Service", "Application", "Group", "Organization"}

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
	if d.id() != uri && hostOf(uri) != hostOf(d.id()) {
		return nil, fmt.Errorf("%w: asked for %s, got %s", ErrOriginMismatch, uri, d.id())
	}
	return s.storeActor(ctx, d)
}

// storeActor validates an actor document and inserts or updates its account and actor.
func (s *Service) storeActor(ctx context.Context, d doc) (*model.Account, error) {
	acct, actor, counts, err := s.readActor(d)
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
			if err := q.UpdateRemoteAccount(ctx, acct, counts); err != nil {
				return err
			}
		case errors.Is(err, store.ErrNotFound):
			if err := q.InsertAccount(ctx, acct); err != nil {
				return err // ErrConflict: the handle belongs to another actor id
			}
			if err := q.SetRemoteCounts(ctx, acct.ID, counts); err != nil {
				return err
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

// readActor maps an actor document to an account and its actor row.
func (s *Service) readActor(d doc) (*model.Account, *model.Actor, store.RemoteCounts, error) {
	var counts store.RemoteCounts
	id, username := d.id(), d.str("preferredUsername")
	if !slices.Contains(actorTypes, d.typ()) || httpURL(id) == "" || !validUsername(username) || httpURL(d.str("inbox")) == "" {
		return nil, nil, counts, fmt.Errorf("%w: %q", ErrNotActor, id)
	}
	key := d.obj("publicKey")
	if key == nil || key.str("publicKeyPem") == "" || !sameHost(key.id(), id) || (key.str("owner") != "" && key.str("owner") != id) {
		return nil, nil, counts, fmt.Errorf("%w: %q has no key of its own", ErrNotActor, id)
	}
	acct := &model.Account{Username: username, Domain: hostOf(id), URI: id, URL: httpURL(d.ref("url")),
		DisplayName: truncate(d.str("name"), maxNameChars), Note: text.Sanitize(truncate(d.str("summary"), maxNoteChars)),
		Fields: readFields(d), Locked: d.bool("manuallyApprovesFollowers"), Bot: d.typ() == "Service" || d.typ() == "Application",
		Discoverable: d.bool("discoverable"), AvatarRemoteURL: imageURL(d, "icon"), HeaderRemoteURL: imageURL(d, "image")}
	now := s.now().UTC()
	endpoints := d.obj("endpoints")
	actor := &model.Actor{Type: d.typ(), InboxURL: httpURL(d.str("inbox")), OutboxURL: httpURL(d.ref("outbox")),
		FollowersURL: httpURL(d.ref("followers")), FollowingURL: httpURL(d.ref("following")),
		FeaturedURL: httpURL(d.ref("featured")), FeaturedTagsURL: httpURL(d.ref("featuredTags")),
		PublicKeyID: key.id(), PublicKeyPEM: key.str("publicKeyPem"), MovedToURI: httpURL(d.ref("movedTo")),
		Indexable: d.bool("indexable"), FetchedAt: &now, AlsoKnownAs: readAliases(d)}
	if endpoints != nil {
		actor.SharedInboxURL = httpURL(endpoints.str("sharedInbox"))
	}
	counts.Statuses, counts.Followers, counts.Following = totalOf(d, "outbox"), totalOf(d, "followers"), totalOf(d, "following")
	return acct, actor, counts, nil
}

// validUsername bounds a remote username and keeps out what would break a handle.
func validUsername(u string) bool {
	return u != "" && utf8.RuneCountInString(u) <= maxNameChars && !strings.ContainsAny(u, "@/ \t\r\n")
}

func readFields(d doc) []model.Field {
	var out []model.Field
	for _, a := range d.objs("attachment") {
		if a.typ() != "PropertyValue" || len(out) == maxFields {
			continue
		}
		out = append(out, model.Field{Name: truncate(a.str("name"), maxFieldChars),
			Value: text.Sanitize(truncate(a.str("value"), maxFieldChars))})
	}
	return out
}

func readAliases(d doc) []string {
	var out []string
	for _, a := range d.refs("alsoKnownAs") {
		if httpURL(a) != "" && len(out) < maxAliases {
			out = append(out, a)
		}
	}
	return out
}

// imageURL is the address of an icon or image, which may be a URL or an Image object.
func imageURL(d doc, key string) string {
	if img := d.obj(key); img != nil {
		return httpURL(img.ref("url"))
	}
	return httpURL(d.str(key))
}

func totalOf(d doc, key string) *int64 {
	if c := d.obj(key); c != nil {
		return c.int("totalItems")
	}
	return nil
}

func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
