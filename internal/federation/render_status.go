package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// repliesPageSize is how many reply ids one page of a replies collection holds.
const repliesPageSize = 20

// RenderStatus renders a local status as its object: a Note, or a Question when it has
// a poll. Visibility is not checked here: callers render only what the audience may
// see (the document routes serve public and unlisted statuses; deliveries address the
// object to exactly the audience in its to and cc).
func (s *Service) RenderStatus(ctx context.Context, q store.Q, st *model.Status) (*Object, error) {
	obj, err := s.renderStatus(ctx, q, st)
	if err != nil {
		return nil, fmt.Errorf("federation: render status %d: %w", st.ID, err)
	}
	obj.Context = Context
	return obj, nil
}

// renderStatus is RenderStatus without the @context, for objects embedded in another
// document.
func (s *Service) renderStatus(ctx context.Context, q store.Q, st *model.Status) (*Object, error) {
	if st.ReblogOfID != nil {
		return nil, errors.New("a boost renders as an Announce, not an object")
	}
	if !st.Local {
		return nil, errors.New("the status is remote")
	}
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, err
	}
	mentions, err := s.mentionedAccounts(ctx, q, st.ID)
	if err != nil {
		return nil, err
	}
	to, cc := s.addressing(author, st.Visibility, mentions)
	obj := &Object{
		ID: s.statusURI(author, st), Type: "Note", Published: apTime(st.CreatedAt),
		URL: s.URLs.StatusPage(author.Username, st.ID), AttributedTo: s.accountURI(author),
		To: to, Cc: cc, Sensitive: st.Sensitive, Content: st.Content,
		Attachment: []Attachment{}, Tag: []Tag{},
	}
	if st.SpoilerText != "" {
		obj.Summary = &st.SpoilerText
	}
	if st.Language != nil && *st.Language != "" {
		obj.ContentMap = map[string]string{*st.Language: st.Content}
	}
	if st.EditedAt != nil {
		obj.Updated = apTime(*st.EditedAt)
	}
	for _, fill := range []func(context.Context, store.Q, *model.Status, *Object) error{
		s.fillThread, s.fillReplies, s.fillQuote, s.fillMedia, s.fillPoll,
	} {
		if err := fill(ctx, q, st, obj); err != nil {
			return nil, err
		}
	}
	return obj, s.fillTags(ctx, q, st, mentions, obj)
}

// mentionedAccounts loads the accounts a status mentions.
func (s *Service) mentionedAccounts(ctx context.Context, q store.Q, statusID int64) ([]*model.Account, error) {
	ids, err := q.MentionedIDs(ctx, []int64{statusID})
	if err != nil {
		return nil, err
	}
	byID, err := q.AccountsByIDs(ctx, ids[statusID])
	if err != nil {
		return nil, err
	}
	out := make([]*model.Account, 0, len(byID))
	for _, id := range ids[statusID] {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// addressing is Mastodon's to and cc for a status of each visibility: public is to
// everyone with the followers in cc; unlisted the other way round; followers-only to the
// followers; direct only to the mentioned. Mentioned accounts are in cc except on direct
// statuses, where they are the whole audience.
func (s *Service) addressing(author *model.Account, vis model.Visibility, mentions []*model.Account) (to, cc []string) {
	followers := s.URLs.Followers(author.Username)
	to, cc = []string{}, []string{}
	switch vis {
	case model.Public:
		to, cc = append(to, Public), append(cc, followers)
	case model.Unlisted:
		to, cc = append(to, followers), append(cc, Public)
	case model.Private:
		to = append(to, followers)
	}
	mentioned := make([]string, 0, len(mentions))
	for _, m := range mentions {
		mentioned = append(mentioned, s.accountURI(m))
	}
	if vis == model.Direct {
		return append(to, mentioned...), cc
	}
	return to, append(cc, mentioned...)
}

// accountURI is an account's actor id.
func (s *Service) accountURI(a *model.Account) string {
	if a.IsLocal() {
		return s.URLs.Actor(a.Username)
	}
	return a.URI
}

// statusURI is a status's object id.
func (s *Service) statusURI(author *model.Account, st *model.Status) string {
	if st.Local && st.ReblogOfID == nil {
		return s.URLs.Status(author.Username, st.ID)
	}
	return st.URI
}

// fillThread sets inReplyTo (the parent's id, local or remote) and the conversation.
func (s *Service) fillThread(ctx context.Context, q store.Q, st *model.Status, obj *Object) error {
	if st.InReplyToID != nil {
		parent, err := q.StatusByID(ctx, *st.InReplyToID)
		switch {
		case err == nil:
			uri := parent.URI
			obj.InReplyTo = &uri
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	root, err := q.ThreadRoot(ctx, st.ID)
	if err != nil {
		return err
	}
	obj.Conversation = s.conversationURI(root, st)
	return nil
}

// conversationURI names a thread as Mastodon's ostatus tag URIs do, by its root status.
func (s *Service) conversationURI(rootID int64, st *model.Status) string {
	return fmt.Sprintf("tag:%s,%s:objectId=%d:objectType=Conversation", s.URLs.Domain, st.CreatedAt.UTC().Format("2006-01-02"), rootID)
}

// fillReplies embeds the first page of the replies collection as Mastodon does: the
// author's own replies (a thread), and a link on to the other accounts' replies.
func (s *Service) fillReplies(ctx context.Context, q store.Q, st *model.Status, obj *Object) error {
	author, err := q.AccountByID(ctx, st.AccountID)
	if err != nil {
		return err
	}
	first, err := s.repliesPage(ctx, q, author, st, false, 0)
	if err != nil {
		return err
	}
	first.ID = ""
	obj.Replies = &Collection{ID: s.URLs.Replies(author.Username, st.ID), Type: "Collection", First: first}
	return nil
}

// repliesPage is one page of a status's public and unlisted replies: by its author
// (others=false) or by everyone else, oldest first, after the reply id after.
func (s *Service) repliesPage(ctx context.Context, q store.Q, author *model.Account, st *model.Status, others bool, after int64) (*Collection, error) {
	list, err := q.PublicReplies(ctx, st.ID, st.AccountID, others, after, repliesPageSize)
	if err != nil {
		return nil, err
	}
	base := s.URLs.Replies(author.Username, st.ID)
	page := &Collection{ID: repliesPageURL(base, others, after), Type: "CollectionPage", PartOf: base, Items: []any{}}
	for _, r := range list {
		page.Items = append(page.Items, r.URI)
	}
	switch {
	case len(list) == repliesPageSize:
		page.Next = repliesPageURL(base, others, list[len(list)-1].ID)
	case !others:
		page.Next = repliesPageURL(base, true, 0)
	}
	return page, nil
}

func repliesPageURL(base string, others bool, after int64) string {
	u := base + "?page=true"
	if others {
		u = base + "?only_other_accounts=true&page=true"
	}
	if after > 0 {
		u += fmt.Sprintf("&min_id=%d", after)
	}
	return u
}

// fillQuote sets quoteUri when the status quotes another that still exists.
func (s *Service) fillQuote(ctx context.Context, q store.Q, st *model.Status, obj *Object) error {
	quotes, err := q.QuotesByStatusIDs(ctx, []int64{st.ID})
	if err != nil {
		return err
	}
	qt := quotes[st.ID]
	if qt == nil || qt.QuotedStatusID == nil || qt.State == model.QuoteRejected || qt.State == model.QuoteRevoked {
		return nil
	}
	quoted, err := q.StatusByID(ctx, *qt.QuotedStatusID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	obj.QuoteURI = quoted.URI
	return nil
}

// fillMedia adds the attachments as Documents; ones still being processed have no
// file yet and are left out, as Mastodon leaves them out.
func (s *Service) fillMedia(ctx context.Context, q store.Q, st *model.Status, obj *Object) error {
	media, err := q.MediaOf(ctx, []int64{st.ID})
	if err != nil {
		return err
	}
	for _, m := range media[st.ID] {
		if d, ok := s.document(m); ok {
			obj.Attachment = append(obj.Attachment, d)
		}
	}
	return nil
}

func (s *Service) document(m *model.MediaAttachment) (Attachment, bool) {
	url := s.mediaURL(m.FileKey)
	if url == "" {
		url = m.RemoteURL
	}
	if url == "" {
		return Attachment{}, false
	}
	d := Attachment{Type: "Document", MediaType: m.ContentType, URL: url, Blurhash: m.Blurhash}
	if m.Description != "" {
		desc := m.Description
		d.Name = &desc
	}
	if f := m.Meta.Focus; f != nil {
		d.FocalPoint = []float64{f.X, f.Y}
	}
	if o := m.Meta.Original; o != nil {
		d.Width, d.Height = o.Width, o.Height
	}
	return d, true
}

// fillPoll turns the object into a Question: options with their vote counts, the end
// time, and when it closed.
func (s *Service) fillPoll(ctx context.Context, q store.Q, st *model.Status, obj *Object) error {
	polls, err := q.PollsByStatusIDs(ctx, []int64{st.ID})
	if err != nil {
		return err
	}
	p := polls[st.ID]
	if p == nil {
		return nil
	}
	tallies, err := q.PollTallies(ctx, []*model.Poll{p})
	if err != nil {
		return err
	}
	tally := tallies[p.ID]
	options := make([]PollOption, len(p.Options))
	for i, name := range p.Options {
		n := tally.PerOption[i]
		options[i] = PollOption{Type: "Note", Name: name, Replies: Collection{Type: "Collection", TotalItems: &n}}
	}
	obj.Type = "Question"
	if p.Multiple {
		obj.AnyOf = options
	} else {
		obj.OneOf = options
	}
	if p.ExpiresAt != nil {
		obj.EndTime = apTime(*p.ExpiresAt)
	}
	switch {
	case p.ClosedAt != nil:
		obj.Closed = apTime(*p.ClosedAt)
	case p.Expired(s.now()):
		obj.Closed = apTime(*p.ExpiresAt)
	}
	voters := tally.Voters
	obj.VotersCount = &voters
	return nil
}

// fillTags adds the Mention, Hashtag and Emoji tags.
func (s *Service) fillTags(ctx context.Context, q store.Q, st *model.Status, mentions []*model.Account, obj *Object) error {
	for _, m := range mentions {
		obj.Tag = append(obj.Tag, Tag{Type: "Mention", Href: s.accountURI(m), Name: "@" + s.fullHandle(m)})
	}
	names, err := q.TagNames(ctx, []int64{st.ID})
	if err != nil {
		return err
	}
	for _, name := range names[st.ID] {
		obj.Tag = append(obj.Tag, Tag{Type: "Hashtag", Href: s.URLs.Tag(name), Name: "#" + name})
	}
	emojis, err := s.emojiTags(ctx, q, st.SpoilerText, st.Content)
	if err != nil {
		return err
	}
	obj.Tag = append(obj.Tag, emojis...)
	return nil
}

// fullHandle is user@domain for local and remote accounts alike.
func (s *Service) fullHandle(a *model.Account) string {
	if a.IsLocal() {
		return a.Username + "@" + s.URLs.Domain
	}
	return a.Acct()
}

// RenderCreate renders the Create of a local status, addressed as the status is.
func (s *Service) RenderCreate(ctx context.Context, q store.Q, st *model.Status) (*Activity, error) {
	obj, err := s.renderStatus(ctx, q, st)
	if err != nil {
		return nil, fmt.Errorf("federation: render create %d: %w", st.ID, err)
	}
	return &Activity{
		Context: Context, ID: obj.ID + "/activity", Type: "Create", Actor: obj.AttributedTo,
		Published: obj.Published, To: obj.To, Cc: obj.Cc, Object: obj,
	}, nil
}

// RenderAnnounce renders a local boost as an Announce of the boosted status's id,
// addressed per the boost's visibility with the boosted author in cc, as Mastodon does.
func (s *Service) RenderAnnounce(ctx context.Context, q store.Q, boost *model.Status) (*Activity, error) {
	a, err := s.renderAnnounce(ctx, q, boost)
	if err != nil {
		return nil, fmt.Errorf("federation: render announce %d: %w", boost.ID, err)
	}
	a.Context = Context
	return a, nil
}

func (s *Service) renderAnnounce(ctx context.Context, q store.Q, boost *model.Status) (*Activity, error) {
	if boost.ReblogOfID == nil {
		return nil, errors.New("the status is not a boost")
	}
	booster, err := q.AccountByID(ctx, boost.AccountID)
	if err != nil {
		return nil, err
	}
	original, err := q.StatusByID(ctx, *boost.ReblogOfID)
	if err != nil {
		return nil, err
	}
	origAuthor, err := q.AccountByID(ctx, original.AccountID)
	if err != nil {
		return nil, err
	}
	to, cc := s.addressing(booster, boost.Visibility, nil)
	cc = append([]string{s.accountURI(origAuthor)}, cc...)
	return &Activity{
		ID: s.URLs.StatusActivity(booster.Username, boost.ID), Type: "Announce", Actor: s.accountURI(booster),
		Published: apTime(boost.CreatedAt), To: to, Cc: cc, Object: s.statusURI(origAuthor, original),
	}, nil
}
