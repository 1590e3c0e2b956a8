package federation

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"path"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// RenderActor renders a local account as its actor document: a Person, or a Service for
// a bot, with Mastodon's extensions. A suspended account renders as Mastodon's minimal
// actor (no profile, suspended: true), so servers that fetch it learn of the suspension.
// An account without a key yet gets one, made through q (inside q's transaction, if any).
func (s *Service) RenderActor(ctx context.Context, q store.Q, a *model.Account) (*ActorDoc, error) {
	if !a.IsLocal() {
		return nil, fmt.Errorf("federation: render actor: account %d is remote", a.ID)
	}
	actor, err := s.localActor(ctx, q, a)
	if err != nil {
		return nil, fmt.Errorf("federation: render actor %d: %w", a.ID, err)
	}
	doc := s.actorSkeleton(a, actor)
	if a.SuspendedAt != nil {
		doc.Suspended = true
		return doc, nil
	}
	if err := s.fillProfile(ctx, q, doc, a); err != nil {
		return nil, err
	}
	doc.AlsoKnownAs = actor.AlsoKnownAs
	doc.MovedTo = actor.MovedToURI
	return doc, nil
}

// localActor loads a local account's actor row, making its key pair first when it has
// none. Only the public half is rendered, so this reads and writes through q alone: on
// SQLite a second connection inside a write transaction would wait on itself.
func (s *Service) localActor(ctx context.Context, q store.Q, a *model.Account) (*model.Actor, error) {
	actor, err := q.ActorByAccountID(ctx, a.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if actor != nil && actor.PublicKeyPEM != "" {
		return actor, nil
	}
	if q.SQLTx() == nil {
		if _, err := s.Keys.Account(ctx, a); err != nil {
			return nil, err
		}
	} else {
		priv, pub, err := newKeyPEM()
		if err != nil {
			return nil, err
		}
		if err := q.SetLocalKeys(ctx, a.ID, s.URLs.KeyID(a.Username), pub, priv); err != nil {
			return nil, err
		}
	}
	return q.ActorByAccountID(ctx, a.ID)
}

// actorSkeleton is what every local actor document has, suspended or not.
func (s *Service) actorSkeleton(a *model.Account, actor *model.Actor) *ActorDoc {
	u := s.URLs
	typ := "Person"
	if a.Bot {
		typ = "Service"
	}
	return &ActorDoc{
		Context: Context, ID: u.Actor(a.Username), Type: typ,
		Following: u.Following(a.Username), Followers: u.Followers(a.Username),
		Inbox: u.Inbox(a.Username), Outbox: u.Outbox(a.Username),
		Featured: u.Featured(a.Username), FeaturedTags: u.FeaturedTags(a.Username),
		PreferredUsername: a.Username, URL: u.Profile(a.Username),
		ManuallyApprovesFollowers: a.Locked,
		Published:                 apDay(a.CreatedAt),
		PublicKey:                 PublicKey{ID: actor.PublicKeyID, Owner: u.Actor(a.Username), PublicKeyPEM: actor.PublicKeyPEM},
		Tag:                       []Tag{}, Attachment: []Attachment{},
		Endpoints: Endpoints{SharedInbox: u.SharedInbox()},
	}
}

// fillProfile adds what the member chose to show: name, bio, fields, pictures, emoji.
func (s *Service) fillProfile(ctx context.Context, q store.Q, doc *ActorDoc, a *model.Account) error {
	doc.Name, doc.Summary = a.DisplayName, a.Note
	// This server lets members be indexed exactly when they are discoverable (social's
	// validateSettings), so the client API and the actor agree.
	doc.Discoverable, doc.Indexable = a.Discoverable, a.Discoverable
	for _, f := range a.Fields {
		name := f.Name
		doc.Attachment = append(doc.Attachment, Attachment{Type: "PropertyValue", Name: &name, Value: fieldValueHTML(f.Value)})
	}
	doc.Icon = s.profileImage(a.AvatarKey)
	doc.Image = s.profileImage(a.HeaderKey)
	texts := []string{a.DisplayName, a.Note}
	for _, f := range a.Fields {
		texts = append(texts, f.Name, f.Value)
	}
	tags, err := s.emojiTags(ctx, q, texts...)
	if err != nil {
		return fmt.Errorf("federation: render actor %d: %w", a.ID, err)
	}
	doc.Tag = append(doc.Tag, tags...)
	return nil
}

// fieldValueHTML renders a profile field's typed text as Mastodon sends it: escaped,
// links made clickable, without the paragraph around it.
func fieldValueHTML(v string) string {
	out := text.Format(v, text.Options{})
	out = strings.TrimPrefix(out, "<p>")
	return strings.TrimSuffix(out, "</p>")
}

// profileImage is an avatar or header as an Image; nil when the member has none.
func (s *Service) profileImage(key string) *Image {
	url := s.mediaURL(key)
	if url == "" {
		return nil
	}
	return &Image{Type: "Image", MediaType: mime.TypeByExtension(path.Ext(key)), URL: url}
}

// mediaURL is the public URL of a stored object; "" for none or without media storage.
func (s *Service) mediaURL(key string) string {
	if key == "" || s.Social == nil || s.Social.Media == nil {
		return ""
	}
	return s.Social.Media.URL(key)
}

// emojiTags are the Emoji tags of the local custom emoji used in texts, as Mastodon tags
// them so remote servers can show the pictures.
func (s *Service) emojiTags(ctx context.Context, q store.Q, texts ...string) ([]Tag, error) {
	var out []Tag
	for _, code := range emoji.Shortcodes(texts...) {
		e, err := q.LocalEmoji(ctx, code)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if e.Disabled {
			continue
		}
		out = append(out, s.emojiTag(e))
	}
	return out, nil
}

func (s *Service) emojiTag(e *model.CustomEmoji) Tag {
	return Tag{ID: s.URLs.Emoji(e.ID), Type: "Emoji", Name: ":" + e.Shortcode + ":", Updated: apTime(e.UpdatedAt),
		Icon: &Image{Type: "Image", MediaType: e.ContentType, URL: s.Config.MediaBaseURL() + "/" + emoji.Key(e.File)}}
}

// RenderInstanceActor renders the instance actor, the Application that signs fetches
// made on behalf of the server.
func (s *Service) RenderInstanceActor(ctx context.Context) (*ActorDoc, error) {
	key, err := s.Keys.Instance(ctx)
	if err != nil {
		return nil, fmt.Errorf("federation: render instance actor: %w", err)
	}
	u := s.URLs
	return &ActorDoc{
		Context: Context, ID: u.InstanceActor(), Type: "Application",
		Inbox: u.InstanceActor() + "/inbox", Outbox: u.InstanceActor() + "/outbox",
		PreferredUsername: u.Domain, URL: u.Base,
		ManuallyApprovesFollowers: true,
		PublicKey:                 PublicKey{ID: key.ID, Owner: u.InstanceActor(), PublicKeyPEM: key.PublicPEM},
		Tag:                       []Tag{}, Attachment: []Attachment{},
		Endpoints: Endpoints{SharedInbox: u.SharedInbox()},
	}, nil
}

// apTime renders a time as Mastodon's documents do: UTC, whole seconds.
func apTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// apDay renders an account's creation as Mastodon does, to the day, so a document does
// not reveal when exactly someone signed up.
func apDay(t time.Time) string {
	return t.UTC().Truncate(24 * time.Hour).Format("2006-01-02T15:04:05Z")
}
