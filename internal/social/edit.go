package social

import (
	"context"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// EditParams is a new version of a status. As in Mastodon, a client sends the whole
// status: a missing spoiler text clears it, a missing poll removes it.
type EditParams struct {
	Text        string
	SpoilerText string
	Sensitive   *bool  // nil: sensitive exactly when there is a spoiler text
	Language    string // "": unchanged
	Poll        *model.PollParams
	MediaIDs    []int64 // the status's attachments after the edit; none removes them
}

// EditView is one version of a status, with its author.
type EditView struct {
	*model.StatusEdit
	Account *model.Account
	Media   []*model.MediaAttachment
}

// Edit changes one of the actor's statuses, keeping its earlier versions, and tells
// the local accounts that boosted or favourited it.
func (s *Service) Edit(ctx context.Context, actor *model.Account, statusID int64, p EditParams) (*model.Status, error) {
	if err := s.validateEdit(&p); err != nil {
		return nil, err
	}
	var st *model.Status
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		st, err = q.StatusByID(ctx, statusID)
		if err != nil {
			return orNotFound(err)
		}
		if st.AccountID != actor.ID || st.ReblogOfID != nil {
			return ErrNotFound // others' statuses answer 404, as Mastodon does
		}
		return s.applyEdit(ctx, q, actor, st, p)
	})
	if err != nil {
		return nil, err
	}
	return s.Store.StatusByID(ctx, statusID)
}

func (s *Service) validateEdit(p *EditParams) error {
	p.Text = strings.TrimSpace(p.Text)
	if p.Text == "" && len(p.MediaIDs) == 0 {
		return httpx.Unprocessable("Validation failed: Text can't be blank")
	}
	if n := text.Length(p.Text) + text.Length(p.SpoilerText); n > s.Config.MaxStatusChars {
		return httpx.Unprocessable("Validation failed: Text character limit of %d exceeded", s.Config.MaxStatusChars)
	}
	if len(p.Language) > 16 {
		return httpx.Unprocessable("Validation failed: Language is not a valid ISO 639 code")
	}
	if err := validateMediaIDs(p.MediaIDs, p.Poll); err != nil {
		return err
	}
	if p.Poll != nil {
		return validatePoll(p.Poll)
	}
	return nil
}

func (s *Service) applyEdit(ctx context.Context, q store.Q, actor *model.Account, st *model.Status, p EditParams) error {
	polls, err := q.PollsByStatusIDs(ctx, []int64{st.ID})
	if err != nil {
		return err
	}
	old := polls[st.ID]
	if err := s.keepOriginal(ctx, q, st, old); err != nil {
		return err
	}
	now := time.Now().UTC()
	st.Text, st.SpoilerText, st.EditedAt = p.Text, p.SpoilerText, &now
	st.Sensitive = p.SpoilerText != ""
	if p.Sensitive != nil {
		st.Sensitive = *p.Sensitive || p.SpoilerText != ""
	}
	if p.Language != "" {
		st.Language = &p.Language
	}
	newMentions, err := s.retext(ctx, q, st)
	if err != nil {
		return err
	}
	if err := s.editPoll(ctx, q, st, old, p.Poll); err != nil {
		return err
	}
	if err := s.attachMedia(ctx, q, actor.ID, st.ID, p.MediaIDs); err != nil {
		return err
	}
	version := &model.StatusEdit{StatusID: st.ID, AccountID: st.AccountID, Text: st.Text, Content: st.Content,
		SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: now}
	if p.Poll != nil {
		version.PollOptions = p.Poll.Options
	}
	if err := q.InsertStatusEdit(ctx, version); err != nil {
		return err
	}
	if err := recordEditMedia(ctx, q, version); err != nil {
		return err
	}
	if err := s.streamStatus(ctx, q, st, EventStatusUpdate); err != nil {
		return err
	}
	if err := s.federate(ctx, q, StatusEdited{st}); err != nil {
		return err
	}
	return s.notifyEdit(ctx, q, st, newMentions)
}

// keepOriginal records the status as first posted, before its first edit.
func (s *Service) keepOriginal(ctx context.Context, q store.Q, st *model.Status, poll *model.Poll) error {
	edits, err := q.StatusEdits(ctx, st.ID)
	if err != nil || len(edits) > 0 {
		return err
	}
	original := &model.StatusEdit{StatusID: st.ID, AccountID: st.AccountID, Text: st.Text, Content: st.Content,
		SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt}
	if poll != nil {
		original.PollOptions = poll.Options
	}
	if err := q.InsertStatusEdit(ctx, original); err != nil {
		return err
	}
	return recordEditMedia(ctx, q, original)
}

// retext renders the new text and saves it with its tags and new mentions, which it returns.
func (s *Service) retext(ctx context.Context, q store.Q, st *model.Status) ([]*model.Account, error) {
	mentions, tags := s.resolveText(ctx, q, st)
	known, err := q.MentionedIDs(ctx, []int64{st.ID})
	if err != nil {
		return nil, err
	}
	var added []*model.Account
	for _, a := range mentions {
		if !containsID(known[st.ID], a.ID) {
			added = append(added, a)
		}
	}
	err = q.UpdateStatusText(ctx, store.StatusEdit{Status: st, NewMentionIDs: accountIDs(added), Tags: tags,
		SearchText: st.SpoilerText + "\n" + st.Text})
	return added, err
}

func containsID(ids []int64, v int64) bool {
	for _, id := range ids {
		if id == v {
			return true
		}
	}
	return false
}

// notifyEdit tells newly mentioned local accounts they were mentioned, and the local
// accounts that boosted, favourited or quoted the status that it changed.
func (s *Service) notifyEdit(ctx context.Context, q store.Q, st *model.Status, newMentions []*model.Account) error {
	for _, a := range newMentions {
		if a.IsLocal() {
			if err := s.notify(ctx, q, a.ID, st.AccountID, model.NotifyMention, &st.ID); err != nil {
				return err
			}
		}
	}
	interactors, err := q.LocalInteractors(ctx, st.ID)
	if err != nil {
		return err
	}
	for _, id := range interactors {
		if err := s.notify(ctx, q, id, st.AccountID, model.NotifyUpdate, &st.ID); err != nil {
			return err
		}
	}
	return s.notifyQuoters(ctx, q, st)
}

// History lists the versions of a status the viewer may see, oldest first; a status
// never edited has one version, itself.
func (s *Service) History(ctx context.Context, viewer *model.Account, statusID int64) ([]*EditView, error) {
	st, err := s.VisibleStatus(ctx, viewer, statusID)
	if err != nil {
		return nil, err
	}
	author, err := s.Store.AccountByID(ctx, st.AccountID)
	if err != nil {
		return nil, orNotFound(err)
	}
	edits, err := s.Store.StatusEdits(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	if len(edits) == 0 {
		current, err := s.currentVersion(ctx, st)
		if err != nil {
			return nil, err
		}
		edits = append(edits, current)
	}
	out := make([]*EditView, len(edits))
	for i, e := range edits {
		out[i] = &EditView{StatusEdit: e, Account: author}
	}
	return out, s.loadEditMedia(ctx, st.ID, out)
}

func (s *Service) currentVersion(ctx context.Context, st *model.Status) (*model.StatusEdit, error) {
	polls, err := s.Store.PollsByStatusIDs(ctx, []int64{st.ID})
	if err != nil {
		return nil, err
	}
	e := &model.StatusEdit{StatusID: st.ID, AccountID: st.AccountID, Text: st.Text, Content: st.Content,
		SpoilerText: st.SpoilerText, Sensitive: st.Sensitive, CreatedAt: st.CreatedAt}
	if p := polls[st.ID]; p != nil {
		e.PollOptions = p.Options
	}
	return e, nil
}

// Source is a status the viewer may see, for its source text.
func (s *Service) Source(ctx context.Context, viewer *model.Account, statusID int64) (*model.Status, error) {
	st, err := s.VisibleStatus(ctx, viewer, statusID)
	if err != nil {
		return nil, err
	}
	if st.ReblogOfID != nil {
		return nil, ErrNotFound
	}
	return st, nil
}
