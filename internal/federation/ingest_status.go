package federation

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/tuskhq/tusk/internal/ap"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// Bounds on what one inbound status may make us do or store. ap bounds the rest
// (attachments, poll options, tags, lengths).
const (
	maxThreadDepth    = 5  // missing ancestors fetched for one reply
	maxMentionFetches = 10 // unknown mentioned actors fetched for one status
	maxHashtags       = 64
	maxLanguageChars  = 16
)

var hashtagName = regexp.MustCompile(`^[\p{L}\p{M}\p{N}_]{1,100}$`)

// ingestStatus stores a remote status its author sent or we fetched.
func (s *Service) ingestStatus(ctx context.Context, author *model.Account, obj *ap.Object, depth int) (*model.Status, error) {
	p, err := s.readStatus(ctx, author, obj, depth)
	if err != nil {
		return nil, err
	}
	return s.Social.ReceiveStatus(ctx, *p)
}

// readStatus validates a status object of author and resolves what it refers to.
func (s *Service) readStatus(ctx context.Context, author *model.Account, obj *ap.Object, depth int) (*social.RemoteStatus, error) {
	if !ap.SameOrigin(obj.ID, author.URI) {
		return nil, refused("status %q is not on %s's host", obj.ID, author.URI)
	}
	if obj.AttributedTo != author.URI {
		return nil, refused("status %s attributed to %q, not %s", obj.ID, obj.AttributedTo, author.URI)
	}
	p := &social.RemoteStatus{URI: obj.ID, URL: obj.URL, Author: author, Content: obj.Content,
		SpoilerText: obj.Summary, Sensitive: obj.Sensitive, Language: truncate(obj.Language, maxLanguageChars),
		Published: obj.Published}
	if p.URL == "" {
		p.URL = p.URI
	}
	if !obj.Updated.IsZero() {
		p.Edited = &obj.Updated
	}
	var err error
	if p.Visibility, err = s.visibility(ctx, author, obj); err != nil {
		return nil, err
	}
	if err := s.readReply(ctx, obj, p, depth); err != nil {
		return nil, err
	}
	p.Mentions, p.Tags = s.readTags(ctx, obj)
	if p.Media, err = s.readMedia(ctx, author, obj); err != nil {
		return nil, err
	}
	p.Poll = readPoll(obj)
	return p, nil
}

// visibility reads Mastodon's addressing with ap's rule; only the author's followers
// collection, from the stored actor, is ours to supply.
func (s *Service) visibility(ctx context.Context, author *model.Account, obj *ap.Object) (model.Visibility, error) {
	followers := ""
	if !ap.Addresses(obj.To, obj.Cc, ap.PublicCollection) {
		actor, err := s.actorOf(ctx, author)
		if err != nil {
			return "", err
		}
		followers = actor.FollowersURL
	}
	return model.Visibility(ap.VisibilityOf(obj.To, obj.Cc, followers)), nil
}

// readReply links a reply to its parent, fetching missing ancestors up to a bound;
// replies to suspended accounts or blocked domains are refused.
func (s *Service) readReply(ctx context.Context, obj *ap.Object, p *social.RemoteStatus, depth int) error {
	if obj.InReplyTo == "" {
		return nil
	}
	parent, err := s.statusByURI(ctx, obj.InReplyTo, depth+1)
	if errors.Is(err, errThreadTooDeep) {
		return nil // kept as a reply to something unknown, like Mastodon's cut-off threads
	}
	if err != nil {
		s.Log.InfoContext(ctx, "federation: parent not fetched", "uri", obj.InReplyTo, "err", err)
		return nil
	}
	if err := s.refuseInvolving(ctx, parent.AccountID); err != nil {
		return err
	}
	p.InReplyTo = parent
	return nil
}

var errThreadTooDeep = errors.New("federation: thread deeper than fetched")

// statusByURI finds a status by id, fetching it (with its author) when unknown.
func (s *Service) statusByURI(ctx context.Context, uri string, depth int) (*model.Status, error) {
	st, err := s.Store.StatusByURI(ctx, uri)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return st, err
	}
	if depth > maxThreadDepth {
		return nil, errThreadTooDeep
	}
	return s.fetchStatus(ctx, uri, depth)
}

// fetchStatus fetches a status and its author, whose host must be the status's.
func (s *Service) fetchStatus(ctx context.Context, uri string, depth int) (*model.Status, error) {
	if st, err := s.Store.StatusByURI(ctx, uri); err == nil {
		return st, nil
	}
	d, err := s.fetchDoc(ctx, uri)
	if err != nil {
		return nil, err
	}
	return s.ingestFetched(ctx, d, depth)
}

// ingestFetched stores a fetched status document with its author, fetched too when
// unknown; the author must live where the status does.
func (s *Service) ingestFetched(ctx context.Context, d *fetched, depth int) (*model.Status, error) {
	if !ap.IsObjectType(d.Type) {
		return nil, refused("%s is a %s, not a status", d.ID, d.Type)
	}
	obj, err := ap.DecodeObject(d.Body)
	if err != nil {
		return nil, refused("%s: %v", d.ID, err)
	}
	if st, err := s.Store.StatusByURI(ctx, obj.ID); err == nil {
		return st, nil
	}
	if !ap.SameOrigin(obj.AttributedTo, obj.ID) {
		return nil, refused("status %s attributed to %q on another host", obj.ID, obj.AttributedTo)
	}
	author, err := s.FetchActor(ctx, obj.AttributedTo)
	if err != nil {
		return nil, err
	}
	if author.SuspendedAt != nil {
		return nil, refused("author %s is suspended", author.URI)
	}
	return s.ingestStatus(ctx, author, obj, depth)
}

// readTags resolves Mention tags (known accounts, and a few unknown ones fetched) and
// collects Hashtag names.
func (s *Service) readTags(ctx context.Context, obj *ap.Object) ([]*model.Account, []string) {
	var mentions []*model.Account
	fetches := 0
	for _, m := range obj.Tags.Mentions {
		if a := s.mentioned(ctx, m.Href, &fetches); a != nil && !slices.ContainsFunc(mentions, func(m *model.Account) bool { return m.ID == a.ID }) {
			mentions = append(mentions, a)
		}
	}
	var tags []string
	for _, h := range obj.Tags.Hashtags {
		name := strings.ToLower(h.Name)
		if hashtagName.MatchString(name) && len(tags) < maxHashtags && !slices.Contains(tags, name) {
			tags = append(tags, name)
		}
	}
	return mentions, tags
}

func (s *Service) mentioned(ctx context.Context, href string, fetches *int) *model.Account {
	if href == "" {
		return nil
	}
	if a, err := s.localAccountByURI(ctx, href); err == nil {
		return a
	}
	if a, err := s.Store.AccountByURI(ctx, href); err == nil {
		return a
	}
	if *fetches >= maxMentionFetches {
		return nil
	}
	*fetches++
	a, err := s.FetchActor(ctx, href)
	if err != nil {
		return nil
	}
	return a
}

// readMedia keeps attachments as remote addresses; a domain whose media is rejected
// gets none kept.
func (s *Service) readMedia(ctx context.Context, author *model.Account, obj *ap.Object) ([]social.RemoteMedia, error) {
	if len(obj.Attachments) == 0 {
		return nil, nil
	}
	policy, err := s.domainPolicy(ctx, author.Domain)
	if err != nil || policy.RejectMedia {
		return nil, err
	}
	out := make([]social.RemoteMedia, 0, len(obj.Attachments))
	for _, a := range obj.Attachments {
		out = append(out, readAttachment(a))
	}
	return out, nil
}

func readAttachment(a ap.Attachment) social.RemoteMedia {
	m := social.RemoteMedia{URL: a.URL, ContentType: truncate(a.MediaType, 255), Type: mediaKind(a.MediaType, a.Type),
		Description: a.Name, Blurhash: a.Blurhash}
	if a.Width > 0 && a.Height > 0 && a.Width < 1<<16 && a.Height < 1<<16 {
		m.Width, m.Height = a.Width, a.Height
	}
	if a.FocalPoint != nil {
		m.Focus = &model.MediaFocus{X: a.FocalPoint[0], Y: a.FocalPoint[1]}
	}
	return m
}

func mediaKind(mediaType, typ string) string {
	switch {
	case strings.HasPrefix(mediaType, "image/gif"):
		return "gifv"
	case strings.HasPrefix(mediaType, "image/"), typ == "Image":
		return "image"
	case strings.HasPrefix(mediaType, "video/"), typ == "Video":
		return "video"
	case strings.HasPrefix(mediaType, "audio/"), typ == "Audio":
		return "audio"
	}
	return "unknown"
}

// readPoll keeps a Question's options, end and announced counts. A single-choice poll
// whose server announces no voters has as many voters as votes.
func readPoll(obj *ap.Object) *social.RemotePoll {
	if obj.Poll == nil || len(obj.Poll.Options) == 0 {
		return nil
	}
	poll := obj.Poll
	p := &social.RemotePoll{Multiple: poll.Multiple, VotersCount: poll.VotersCount}
	var votes int64
	for _, o := range poll.Options {
		p.Options = append(p.Options, o.Name)
		p.Votes = append(p.Votes, o.Votes)
		votes += o.Votes
	}
	if p.VotersCount == 0 && !p.Multiple {
		p.VotersCount = votes
	}
	end := poll.EndTime
	if end.IsZero() {
		end = poll.Closed
	}
	if end.IsZero() && poll.ClosedFlag {
		end = obj.Published // closed without saying when: over since it was published
	}
	if !end.IsZero() {
		p.ExpiresAt = &end
	}
	return p
}
