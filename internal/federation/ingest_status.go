package federation

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// Bounds on what one inbound status may make us do or store.
const (
	maxThreadDepth     = 5  // missing ancestors fetched for one reply
	maxMentionFetches  = 10 // unknown mentioned actors fetched for one status
	maxAttachments     = 16
	maxPollOptions     = 500
	maxTags            = 64
	maxDescriptionChar = 1500
)

// statusTypes are the objects kept as statuses; like Mastodon, articles and pages are
// shown as statuses too.
var statusTypes = []string{"Note", "Question", "Article", "Page", "Image", "Video", "Audio", "Event"}

var hashtagName = regexp.MustCompile(`^[\p{L}\p{M}\p{N}_]{1,100}$`)

// ingestStatus stores a remote status its author sent or we fetched.
func (s *Service) ingestStatus(ctx context.Context, author *model.Account, obj doc, depth int) (*model.Status, error) {
	p, err := s.readStatus(ctx, author, obj, depth)
	if err != nil {
		return nil, err
	}
	return s.Social.ReceiveStatus(ctx, *p)
}

// readStatus validates a status object of author and resolves what it refers to.
func (s *Service) readStatus(ctx context.Context, author *model.Account, obj doc, depth int) (*social.RemoteStatus, error) {
	if httpURL(obj.id()) == "" || !sameHost(obj.id(), author.URI) {
		return nil, refused("status %q is not on %s's host", obj.id(), author.URI)
	}
	if owner := obj.ref("attributedTo"); owner != author.URI {
		return nil, refused("status %s attributed to %q, not %s", obj.id(), owner, author.URI)
	}
	content, lang := obj.langString("content")
	summary, _ := obj.langString("summary")
	p := &social.RemoteStatus{URI: obj.id(), URL: httpURL(obj.ref("url")), Author: author,
		Content: text.Sanitize(statusContent(obj, content)), SpoilerText: truncate(text.PlainText(summary), maxNoteChars),
		Sensitive: obj.bool("sensitive"), Language: truncate(lang, 16), Published: obj.time("published")}
	if p.URL == "" {
		p.URL = p.URI
	}
	if t := obj.time("updated"); !t.IsZero() {
		p.Edited = &t
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

// statusContent is what a status shows: its content, or for an article without one
// its title and a link, as Mastodon shows them.
func statusContent(obj doc, content string) string {
	if len(content) > maxNoteChars*5 {
		content = content[:maxNoteChars*5] // the sanitizer closes whatever this cuts
	}
	if content != "" || obj.typ() == "Note" {
		return content
	}
	name, _ := obj.langString("name")
	link := httpURL(obj.ref("url"))
	out := "<p>" + textEscape(truncate(name, maxNameChars)) + "</p>"
	if link != "" {
		out += `<p><a href="` + textEscape(link) + `">` + textEscape(link) + "</a></p>"
	}
	return out
}

func textEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// visibility reads Mastodon's addressing: public in to, public in cc (unlisted), the
// author's followers (private), else only those named (direct).
func (s *Service) visibility(ctx context.Context, author *model.Account, obj doc) (model.Visibility, error) {
	to, cc := obj.refs("to"), obj.refs("cc")
	isPublic := func(v string) bool { return v == Public || v == "as:Public" || v == "Public" }
	switch {
	case slices.ContainsFunc(to, isPublic):
		return model.Public, nil
	case slices.ContainsFunc(cc, isPublic):
		return model.Unlisted, nil
	}
	actor, err := s.Store.ActorByAccountID(ctx, author.ID)
	if err != nil {
		return "", err
	}
	if actor.FollowersURL != "" && (slices.Contains(to, actor.FollowersURL) || slices.Contains(cc, actor.FollowersURL)) {
		return model.Private, nil
	}
	return model.Direct, nil
}

// readReply links a reply to its parent, fetching missing ancestors up to a bound;
// replies to suspended accounts or blocked domains are refused.
func (s *Service) readReply(ctx context.Context, obj doc, p *social.RemoteStatus, depth int) error {
	parentURI := obj.ref("inReplyTo")
	if parentURI == "" {
		return nil
	}
	parent, err := s.statusByURI(ctx, parentURI, depth+1)
	if errors.Is(err, errThreadTooDeep) {
		return nil // kept as a reply to something unknown, like Mastodon's cut-off threads
	}
	if err != nil {
		s.Log.InfoContext(ctx, "federation: parent not fetched", "uri", parentURI, "err", err)
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
	obj, err := s.fetchDoc(ctx, uri)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(statusTypes, obj.typ()) {
		return nil, refused("%s is a %s, not a status", uri, obj.typ())
	}
	authorURI := obj.ref("attributedTo")
	if !sameHost(authorURI, obj.id()) {
		return nil, refused("status %s attributed to %s on another host", obj.id(), authorURI)
	}
	author, err := s.FetchActor(ctx, authorURI)
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
func (s *Service) readTags(ctx context.Context, obj doc) ([]*model.Account, []string) {
	var mentions []*model.Account
	var tags []string
	fetches := 0
	for _, t := range obj.objs("tag") {
		switch t.typ() {
		case "Mention":
			if a := s.mentioned(ctx, t.str("href"), &fetches); a != nil && !slices.ContainsFunc(mentions, func(m *model.Account) bool { return m.ID == a.ID }) {
				mentions = append(mentions, a)
			}
		case "Hashtag":
			name := strings.TrimPrefix(t.str("name"), "#")
			if hashtagName.MatchString(name) && len(tags) < maxTags && !slices.Contains(tags, strings.ToLower(name)) {
				tags = append(tags, strings.ToLower(name))
			}
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
	if httpURL(href) == "" || *fetches >= maxMentionFetches {
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
func (s *Service) readMedia(ctx context.Context, author *model.Account, obj doc) ([]social.RemoteMedia, error) {
	if len(obj.objs("attachment")) == 0 {
		return nil, nil
	}
	policy, err := s.Store.DomainPolicyFor(ctx, author.Domain)
	if err != nil || policy.RejectMedia {
		return nil, err
	}
	var out []social.RemoteMedia
	for _, a := range obj.objs("attachment") {
		m, ok := readAttachment(a)
		if ok && len(out) < maxAttachments {
			out = append(out, m)
		}
	}
	return out, nil
}

func readAttachment(a doc) (social.RemoteMedia, bool) {
	link := httpURL(a.ref("url"))
	if u := a.obj("url"); u != nil && link == "" {
		link = httpURL(u.str("href"))
	}
	if link == "" {
		return social.RemoteMedia{}, false
	}
	mediaType := a.str("mediaType")
	name, _ := a.langString("name")
	m := social.RemoteMedia{URL: link, ContentType: truncate(mediaType, 255), Type: mediaKind(mediaType, a.typ()),
		Description: truncate(name, maxDescriptionChar), Blurhash: truncate(a.str("blurhash"), 100)}
	if w, h := a.int("width"), a.int("height"); w != nil && h != nil && *w < 1<<16 && *h < 1<<16 {
		m.Width, m.Height = int(*w), int(*h)
	}
	return m, true
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

// readPoll reads a Question's options (oneOf or anyOf) and end.
func readPoll(obj doc) *social.RemotePoll {
	if obj.typ() != "Question" {
		return nil
	}
	options, multiple := obj.objs("oneOf"), false
	if len(options) == 0 {
		options, multiple = obj.objs("anyOf"), true
	}
	p := &social.RemotePoll{Multiple: multiple}
	for _, o := range options {
		name, _ := o.langString("name")
		if name != "" && len(p.Options) < maxPollOptions {
			p.Options = append(p.Options, truncate(name, 200))
		}
	}
	if len(p.Options) == 0 {
		return nil
	}
	end := obj.time("endTime")
	if end.IsZero() {
		end = obj.time("closed")
	}
	if !end.IsZero() {
		p.ExpiresAt = &end
	}
	return p
}
