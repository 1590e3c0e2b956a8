package social

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// ErrForeignObject refuses an activity about an object that belongs to another author
// (a Create reusing someone else's status id, an Update or Delete of another's status).
var ErrForeignObject = errors.New("social: object belongs to another account")

// RemoteStatus is a status as another server published it. Federation has validated
// its addresses, sanitized its HTML and resolved its mentions before calling here.
type RemoteStatus struct {
	URI, URL    string
	Author      *model.Account
	Content     string // sanitized HTML
	SpoilerText string
	Sensitive   bool
	Visibility  model.Visibility
	Language    string
	InReplyTo   *model.Status    // the known parent, nil for none or unknown
	Mentions    []*model.Account // accounts named in its Mention tags that we know
	Tags        []string         // hashtag names, without '#', lower-case, each once
	Media       []RemoteMedia
	Poll        *RemotePoll
	Published   time.Time
	Edited      *time.Time
}

// RemoteMedia is an attachment left on its server: we keep its address, not its bytes.
type RemoteMedia struct {
	URL, Type, ContentType, Description, Blurhash string
	Width, Height                                 int
	Focus                                         *model.MediaFocus
}

// RemotePoll is the poll of a remote Question, with the counts its server announces:
// the votes are cast there, so theirs are the figures to show.
type RemotePoll struct {
	Options     []string
	Votes       []int64 // per option, in the order of Options
	VotersCount int64   // distinct voters; 0 when not announced
	Multiple    bool
	ExpiresAt   *time.Time
}

// ReceiveStatus stores a remote status with its mentions, tags, media and poll, then
// notifies and streams it as a local post would be. A status already known from the
// same author is returned as it is; one known from another author is ErrForeignObject.
func (s *Service) ReceiveStatus(ctx context.Context, p RemoteStatus) (*model.Status, error) {
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		st, err = s.insertRemoteStatus(ctx, q, p, &receipt{})
		return err
	})
	if errors.Is(err, store.ErrConflict) { // a concurrent delivery of the same status won
		return s.existingRemote(ctx, s.Store.Q, p)
	}
	return st, err
}

// ReceiveStatuses stores several remote statuses in one transaction, as ReceiveStatus
// stores one: inbound federation commits a burst of posts at once. Any failure rolls
// them all back, and the caller stores them one by one to learn which one failed.
//
// The commit does not wait for the disk (store.Q.LazyCommit): the caller is the job
// that holds these statuses, and its completion commits after this transaction, so
// flushing that completion flushes these rows too; a crash in between loses both, and
// the job runs again.
func (s *Service) ReceiveStatuses(ctx context.Context, ps []RemoteStatus) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.LazyCommit(ctx); err != nil {
			return err
		}
		r, err := s.newReceipt(ctx, q, ps)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if _, err := s.insertRemoteStatus(ctx, q, p, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// receipt is what one transaction storing remote statuses knows: for a batch, the
// statuses its ids already name, read at once.
type receipt struct {
	known map[string]*model.Status // nil: look each status up alone
}

func (s *Service) newReceipt(ctx context.Context, q store.Q, ps []RemoteStatus) (*receipt, error) {
	uris := make([]string, len(ps))
	for i, p := range ps {
		uris[i] = p.URI
	}
	known, err := q.StatusesByURIs(ctx, uris)
	return &receipt{known: known}, err
}

// prior is the stored status with p's id, or store.ErrNotFound.
func (r *receipt) prior(ctx context.Context, q store.Q, p RemoteStatus) (*model.Status, error) {
	if r.known == nil {
		return q.StatusByURI(ctx, p.URI)
	}
	if st, ok := r.known[p.URI]; ok {
		return st, nil
	}
	return nil, fmt.Errorf("status %s: %w", p.URI, store.ErrNotFound)
}

// stored adds a status this transaction wrote, so a second copy in the batch finds it.
func (r *receipt) stored(st *model.Status) {
	if r.known != nil {
		r.known[st.URI] = st
	}
}

func (s *Service) existingRemote(ctx context.Context, q store.Q, p RemoteStatus) (*model.Status, error) {
	prior, err := q.StatusByURI(ctx, p.URI)
	return ownedBy(p, prior, err)
}

// ownedBy passes on the status found with p's id only when p's author owns it.
func ownedBy(p RemoteStatus, prior *model.Status, err error) (*model.Status, error) {
	if err != nil {
		return nil, err
	}
	if prior.AccountID != p.Author.ID {
		return nil, fmt.Errorf("%w: status %s", ErrForeignObject, p.URI)
	}
	return prior, nil
}

// insertRemoteStatus stores p unless r or the store knows it, and announces it.
func (s *Service) insertRemoteStatus(ctx context.Context, q store.Q, p RemoteStatus, r *receipt) (*model.Status, error) {
	prior, err := r.prior(ctx, q, p)
	if prior, err = ownedBy(p, prior, err); err == nil || !errors.Is(err, store.ErrNotFound) {
		return prior, err
	}
	st := &model.Status{URI: p.URI, URL: p.URL, AccountID: p.Author.ID, Content: p.Content,
		SpoilerText: p.SpoilerText, Sensitive: p.Sensitive || p.SpoilerText != "", Visibility: p.Visibility,
		CreatedAt: clampPublished(p.Published, s.now())}
	if p.Language != "" {
		st.Language = &p.Language
	}
	if p.InReplyTo != nil {
		st.InReplyToID, st.InReplyToAccountID = &p.InReplyTo.ID, &p.InReplyTo.AccountID
	}
	if err := q.InsertStatus(ctx, store.NewStatus{Status: st, MentionIDs: accountIDs(p.Mentions), Tags: p.Tags,
		SearchText: p.SpoilerText + "\n" + text.PlainText(p.Content)}); err != nil {
		return nil, err
	}
	r.stored(st)
	if err := s.attachRemoteExtras(ctx, q, st, p); err != nil {
		return nil, err
	}
	return st, s.announceNewStatus(ctx, q, st, p.Mentions, p.Tags)
}

func (s *Service) attachRemoteExtras(ctx context.Context, q store.Q, st *model.Status, p RemoteStatus) error {
	if p.Poll != nil {
		poll := &model.Poll{StatusID: st.ID, AccountID: st.AccountID, Options: p.Poll.Options,
			Multiple: p.Poll.Multiple, ExpiresAt: p.Poll.ExpiresAt}
		if err := q.InsertPoll(ctx, poll); err != nil {
			return err
		}
		if err := s.storeRemoteCounts(ctx, q, poll.ID, p.Poll); err != nil {
			return err
		}
	}
	return s.insertRemoteMedia(ctx, q, st, p.Media)
}

func (s *Service) insertRemoteMedia(ctx context.Context, q store.Q, st *model.Status, media []RemoteMedia) error {
	ids := make([]int64, 0, len(media))
	for _, m := range media {
		row := &model.MediaAttachment{ID: q.NewID(), AccountID: st.AccountID, Type: m.Type,
			ContentType: m.ContentType, RemoteURL: m.URL, Description: m.Description, Blurhash: m.Blurhash,
			State: model.MediaReady}
		if m.Width > 0 && m.Height > 0 {
			row.Meta.Original = &model.MediaSize{Width: m.Width, Height: m.Height}
		}
		row.Meta.Focus = m.Focus
		if err := q.InsertMedia(ctx, row); err != nil {
			return err
		}
		ids = append(ids, row.ID)
	}
	if len(ids) == 0 {
		return nil
	}
	return q.AttachMedia(ctx, st.ID, ids) // in order: the position is the index
}

// announceNewStatus runs what follows a new status wherever it came from: notifications,
// the direct-message conversation and the live streams.
func (s *Service) announceNewStatus(ctx context.Context, q store.Q, st *model.Status, mentions []*model.Account, tags []string) error {
	if err := s.notifyPost(ctx, q, st, mentions); err != nil {
		return err
	}
	if err := s.fileDirectMessage(ctx, q, st, mentions); err != nil {
		return err
	}
	return s.streamNewStatus(ctx, q, st, tags)
}

// clampPublished keeps a remote status's time from the future, where it would sort
// above everything posted until then.
func clampPublished(published, now time.Time) time.Time {
	if published.IsZero() || published.After(now) {
		return now.UTC()
	}
	return published.UTC()
}

// ReceiveEdit applies an Update of a remote status by its author, keeping the history.
// An Update that changes nothing but a poll's counts (servers send one as votes come
// in) refreshes the counts and is no edit.
func (s *Service) ReceiveEdit(ctx context.Context, p RemoteStatus) (*model.Status, error) {
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		if st, err = q.StatusByURI(ctx, p.URI); err != nil {
			return err
		}
		if st.AccountID != p.Author.ID || st.ReblogOfID != nil {
			return fmt.Errorf("%w: status %s", ErrForeignObject, p.URI)
		}
		polls, err := q.PollsByStatusIDs(ctx, []int64{st.ID})
		if err != nil {
			return err
		}
		poll := polls[st.ID]
		if poll != nil && p.Poll != nil {
			if err := s.storeRemoteCounts(ctx, q, poll.ID, p.Poll); err != nil {
				return err
			}
		}
		if !remoteEdited(st, poll, p) {
			return nil
		}
		return s.applyRemoteEdit(ctx, q, st, poll, p)
	})
	return st, err
}

// storeRemoteCounts keeps the counts a remote poll's server announced.
func (s *Service) storeRemoteCounts(ctx context.Context, q store.Q, pollID int64, p *RemotePoll) error {
	if len(p.Votes) == 0 {
		return nil
	}
	return q.SetRemotePollCounts(ctx, pollID, p.Votes, p.VotersCount, s.now())
}

// remoteEdited reports whether an Update changes what a status shows.
func remoteEdited(st *model.Status, poll *model.Poll, p RemoteStatus) bool {
	if st.Content != p.Content || st.SpoilerText != p.SpoilerText || st.Sensitive != (p.Sensitive || p.SpoilerText != "") {
		return true
	}
	if (poll == nil) != (p.Poll == nil) {
		return true
	}
	return poll != nil && !slices.Equal(poll.Options, p.Poll.Options)
}

func (s *Service) applyRemoteEdit(ctx context.Context, q store.Q, st *model.Status, poll *model.Poll, p RemoteStatus) error {
	if err := s.keepOriginal(ctx, q, st, poll); err != nil {
		return err
	}
	edited := s.now().UTC()
	if p.Edited != nil && p.Edited.Before(edited) {
		edited = p.Edited.UTC()
	}
	st.Content, st.SpoilerText, st.EditedAt = p.Content, p.SpoilerText, &edited
	st.Sensitive = p.Sensitive || p.SpoilerText != ""
	if p.Language != "" {
		st.Language = &p.Language
	}
	added, err := s.newMentions(ctx, q, st.ID, p.Mentions)
	if err != nil {
		return err
	}
	err = q.UpdateStatusText(ctx, store.StatusEdit{Status: st, NewMentionIDs: accountIDs(added), Tags: p.Tags,
		SearchText: p.SpoilerText + "\n" + text.PlainText(p.Content)})
	if err != nil {
		return err
	}
	if err := s.replaceRemotePoll(ctx, q, poll, p.Poll); err != nil {
		return err
	}
	version := &model.StatusEdit{StatusID: st.ID, AccountID: st.AccountID, Content: st.Content,
		SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: edited}
	if p.Poll != nil {
		version.PollOptions = p.Poll.Options
	}
	if err := q.InsertStatusEdit(ctx, version); err != nil {
		return err
	}
	if err := s.streamStatus(ctx, q, st, EventStatusUpdate); err != nil {
		return err
	}
	return s.notifyEdit(ctx, q, st, added)
}

// replaceRemotePoll applies an edit's new options to the stored poll; votes cast here
// for the old options no longer mean anything and go.
func (s *Service) replaceRemotePoll(ctx context.Context, q store.Q, poll *model.Poll, p *RemotePoll) error {
	if poll == nil || p == nil || slices.Equal(poll.Options, p.Options) {
		return nil
	}
	poll.Options, poll.Multiple, poll.ExpiresAt = p.Options, p.Multiple, p.ExpiresAt
	if err := q.UpdatePoll(ctx, poll); err != nil {
		return err
	}
	return q.DeletePollVotes(ctx, poll.ID)
}

func (s *Service) newMentions(ctx context.Context, q store.Q, statusID int64, mentions []*model.Account) ([]*model.Account, error) {
	known, err := q.MentionedIDs(ctx, []int64{statusID})
	if err != nil {
		return nil, err
	}
	var added []*model.Account
	for _, a := range mentions {
		if !containsID(known[statusID], a.ID) {
			added = append(added, a)
		}
	}
	return added, nil
}

// ReceiveDeleteStatus removes a remote status at its author's request, with its boosts.
// A status that is unknown is not an error: deletes often arrive for posts never seen.
func (s *Service) ReceiveDeleteStatus(ctx context.Context, author *model.Account, uri string) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		st, err := q.StatusByURI(ctx, uri)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if st.AccountID != author.ID {
			return fmt.Errorf("%w: status %s", ErrForeignObject, uri)
		}
		return s.removeStatus(ctx, q, st)
	})
}

// removeStatus deletes a status and its boosts, telling the live streams.
func (s *Service) removeStatus(ctx context.Context, q store.Q, st *model.Status) error {
	boosts, err := q.ReblogsOf(ctx, st.ID)
	if err != nil {
		return err
	}
	for _, b := range append(boosts, st) {
		if err := s.streamStatus(ctx, q, b, EventDelete); err != nil {
			return err
		}
		if err := q.DeleteStatus(ctx, b); err != nil {
			return err
		}
	}
	return nil
}
