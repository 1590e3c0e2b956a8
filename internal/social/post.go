package social

import (
	"context"
	"fmt"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// PostParams is a new status as a member writes it.
type PostParams struct {
	Text           string
	SpoilerText    string
	Visibility     model.Visibility // "" means the author's default
	Sensitive      *bool            // nil means the author's default
	Language       string           // "" means the author's default
	InReplyToID    int64
	ApplicationID  *int64
	IdempotencyKey string
	Poll           *model.PollParams
	QuotedStatusID int64
	QuotePolicy    string // "" means anyone may quote a public or unlisted status
	MediaIDs       []int64
}

// Post publishes a status by a local author: stores it with its mentions and tags,
// fans it out to local home feeds and notifies whom it concerns, in one transaction.
func (s *Service) Post(ctx context.Context, author *model.Account, user *model.User, p PostParams) (*model.Status, error) {
	if author.MovedToAccountID != nil {
		return nil, ErrMovedAway
	}
	if p.IdempotencyKey != "" {
		if prior, err := s.Store.IdempotentStatus(ctx, author.ID, p.IdempotencyKey); err == nil {
			return s.Store.StatusByID(ctx, prior)
		}
	}
	if err := s.validatePost(&p, user); err != nil {
		return nil, err
	}
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		st, err = s.insertPost(ctx, q, author, p)
		return err
	})
	return st, err
}

func (s *Service) validatePost(p *PostParams, user *model.User) error {
	p.Text = strings.TrimSpace(p.Text)
	if p.Text == "" && len(p.MediaIDs) == 0 {
		return httpx.Unprocessable("Validation failed: Text can't be blank")
	}
	if n := text.Length(p.Text) + text.Length(p.SpoilerText); n > s.Config.MaxStatusChars {
		return httpx.Unprocessable("Validation failed: Text character limit of %d exceeded", s.Config.MaxStatusChars)
	}
	if err := validateMediaIDs(p.MediaIDs, p.Poll); err != nil {
		return err
	}
	if p.Visibility == "" {
		p.Visibility = model.Public
		if user != nil && user.DefaultVisibility.Valid() {
			p.Visibility = user.DefaultVisibility
		}
	}
	if p.Sensitive == nil {
		p.Sensitive = new(user != nil && user.DefaultSensitive)
	}
	if p.Language == "" && user != nil {
		p.Language = user.DefaultLanguage
	}
	if !p.Visibility.Valid() {
		return httpx.Unprocessable("Validation failed: Visibility is not included in the list")
	}
	if len(p.Language) > 16 {
		return httpx.Unprocessable("Validation failed: Language is not a valid ISO 639 code")
	}
	if !validQuotePolicy(p.QuotePolicy) {
		return httpx.Unprocessable("Validation failed: Quote approval policy is not included in the list")
	}
	if p.Poll != nil {
		return validatePoll(p.Poll)
	}
	return nil
}

func (s *Service) insertPost(ctx context.Context, q store.Q, author *model.Account, p PostParams) (*model.Status, error) {
	st := &model.Status{AccountID: author.ID, Text: p.Text, SpoilerText: p.SpoilerText, Sensitive: *p.Sensitive || p.SpoilerText != "",
		Visibility: p.Visibility, Local: true, ApplicationID: p.ApplicationID}
	if p.Language != "" {
		st.Language = &p.Language
	}
	if err := s.attachReply(ctx, q, author, st, p.InReplyToID); err != nil {
		return nil, err
	}
	quoted, err := s.quoteTarget(ctx, q, author, st, p.QuotedStatusID)
	if err != nil {
		return nil, err
	}
	mentions, tags := s.resolveText(ctx, q, st)
	st.ID = q.NewID()
	st.URI = fmt.Sprintf("%s/users/%s/statuses/%d", s.Config.BaseURL(), author.Username, st.ID)
	st.URL = fmt.Sprintf("%s/@%s/%d", s.Config.BaseURL(), author.Username, st.ID)
	st.CreatedAt = id.Time(st.ID)
	mentionIDs := accountIDs(mentions)
	err = q.InsertStatus(ctx, store.NewStatus{Status: st, MentionIDs: mentionIDs, Tags: tags,
		SearchText: p.SpoilerText + "\n" + p.Text})
	if err != nil {
		return nil, err
	}
	if p.Poll != nil {
		if err := s.createPoll(ctx, q, st, p.Poll); err != nil {
			return nil, err
		}
	}
	if err := s.attachMedia(ctx, q, author.ID, st.ID, p.MediaIDs); err != nil {
		return nil, err
	}
	if err := s.attachQuote(ctx, q, st, quoted, p.QuotePolicy); err != nil {
		return nil, err
	}
	if err := s.notifyPost(ctx, q, st, mentions); err != nil {
		return nil, err
	}
	if err := s.fileDirectMessage(ctx, q, st, mentions); err != nil {
		return nil, err
	}
	if err := s.enqueueCard(ctx, q, st); err != nil {
		return nil, err
	}
	if err := s.streamNewStatus(ctx, q, st, tags); err != nil {
		return nil, err
	}
	if err := s.federate(ctx, q, StatusPosted{st}); err != nil {
		return nil, err
	}
	if p.IdempotencyKey != "" {
		return st, q.RememberIdempotency(ctx, author.ID, p.IdempotencyKey, st.ID)
	}
	return st, nil
}

// attachReply links st to the status it answers, which the author must be able to see.
func (s *Service) attachReply(ctx context.Context, q store.Q, author *model.Account, st *model.Status, parentID int64) error {
	if parentID == 0 {
		return nil
	}
	parent, err := q.StatusByID(ctx, parentID)
	if err != nil {
		return orNotFound(err)
	}
	if ok, err := s.canSee(ctx, q, author.ID, parent); err != nil || !ok {
		return denied(err)
	}
	if parent.ReblogOfID != nil {
		return httpx.Unprocessable("Validation failed: cannot reply to a boost")
	}
	st.InReplyToID, st.InReplyToAccountID = &parent.ID, &parent.AccountID
	return nil
}

// resolveText finds the mentioned accounts and tags in st.Text and renders st.Content.
func (s *Service) resolveText(ctx context.Context, q store.Q, st *model.Status) ([]*model.Account, []string) {
	found := map[string]*model.Account{}
	opts := text.Options{
		ResolveMention: func(m text.Mention) (text.ResolvedMention, bool) {
			a, err := s.lookupMention(ctx, q, m)
			if err != nil {
				return text.ResolvedMention{}, false
			}
			found[strings.ToLower(a.Acct())] = a
			return text.ResolvedMention{Username: a.Username, Acct: a.Acct(), URL: s.profileURL(a)}, true
		},
		TagURL: func(tag string) string { return s.Config.BaseURL() + "/tags/" + tag },
	}
	st.Content = text.Format(st.Text, opts)
	_, tags, _ := text.Parse(st.Text)
	mentions := make([]*model.Account, 0, len(found))
	for _, a := range found {
		mentions = append(mentions, a)
	}
	return mentions, tags
}

// lookupMention resolves @user (local) or @user@domain (local or already known remote).
func (s *Service) lookupMention(ctx context.Context, q store.Q, m text.Mention) (*model.Account, error) {
	domain := strings.ToLower(m.Domain)
	if domain == s.Config.LocalDomain || domain == s.Config.WebDomain {
		domain = ""
	}
	return q.AccountByHandle(ctx, m.Username, domain)
}

func (s *Service) profileURL(a *model.Account) string {
	if a.URL != "" {
		return a.URL
	}
	return s.Config.BaseURL() + "/@" + a.Acct()
}

func accountIDs(list []*model.Account) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.ID
	}
	return out
}

// Delete removes a status of the actor's and returns it as it was, for "delete and redraft".
func (s *Service) Delete(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error) {
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		st, err = q.StatusByID(ctx, statusID)
		if err != nil {
			return orNotFound(err)
		}
		if st.AccountID != actor.ID {
			return ErrNotFound // others' statuses answer 404 like invisible ones, as Mastodon does
		}
		if err := s.streamStatus(ctx, q, st, EventDelete); err != nil {
			return err
		}
		if err := s.federate(ctx, q, StatusDeleted{st}); err != nil {
			return err
		}
		// Its media stay, unattached, for a day: "delete and redraft" attaches them again.
		if err := q.AttachMedia(ctx, st.ID, nil); err != nil {
			return err
		}
		if err := q.DeleteStatus(ctx, st); err != nil || st.ReblogOfID == nil {
			return err
		}
		// Deleting one's boost is undoing it (Mastodon allows both ways).
		original, err := q.StatusByID(ctx, *st.ReblogOfID)
		if err != nil {
			return orNotFound(err)
		}
		return q.DeleteNotificationsFor(ctx, original.AccountID, actor.ID, model.NotifyReblog, &original.ID)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}
