package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// fileDirectMessage files a new direct status in the conversations of its author and
// of each local account it mentions: unread for the recipients, read for the author.
// Each one's conversation is the thread with the same set of other participants.
func (s *Service) fileDirectMessage(ctx context.Context, q store.Q, st *model.Status, mentions []*model.Account) error {
	if st.Visibility != model.Direct {
		return nil
	}
	thread, err := q.ThreadRoot(ctx, st.ID)
	if err != nil {
		return err
	}
	everyone := append([]int64{st.AccountID}, accountIDs(mentions)...)
	owners := []int64{st.AccountID}
	for _, a := range mentions {
		if a.IsLocal() && a.ID != st.AccountID {
			owners = append(owners, a.ID)
		}
	}
	for _, owner := range owners {
		if err := q.AddToConversation(ctx, owner, thread, othersThan(everyone, owner), st.ID, owner != st.AccountID); err != nil {
			return err
		}
	}
	s.streamConversation(q, st, owners)
	return nil
}

func othersThan(ids []int64, self int64) []int64 {
	var out []int64
	seen := map[int64]bool{self: true}
	for _, v := range ids {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// ConversationView is a conversation with its participants and last status.
type ConversationView struct {
	*model.Conversation
	Accounts   []*model.Account
	LastStatus *StatusView
}

// Conversations lists the viewer's conversations, most recently active first.
func (s *Service) Conversations(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*ConversationView, error) {
	list, err := s.Store.Conversations(ctx, viewer.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	return s.conversationViews(ctx, viewer, list)
}

// ReadConversation marks one of the viewer's conversations read and returns it.
func (s *Service) ReadConversation(ctx context.Context, viewer *model.Account, id int64) (*ConversationView, error) {
	if err := s.Store.Writer().MarkConversationRead(ctx, viewer.ID, id); err != nil {
		return nil, orNotFound(err)
	}
	c, err := s.Store.ConversationByID(ctx, viewer.ID, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	views, err := s.conversationViews(ctx, viewer, []*model.Conversation{c})
	if err != nil || len(views) == 0 {
		return nil, denied(err)
	}
	return views[0], nil
}

// DeleteConversation removes one of the viewer's conversations; its statuses remain.
func (s *Service) DeleteConversation(ctx context.Context, viewer *model.Account, id int64) error {
	return orNotFound(s.Store.Writer().DeleteConversation(ctx, viewer.ID, id))
}

func (s *Service) conversationViews(ctx context.Context, viewer *model.Account, list []*model.Conversation) ([]*ConversationView, error) {
	var accountIDs, statusIDs []int64
	for _, c := range list {
		accountIDs = append(accountIDs, c.ParticipantIDs...)
		statusIDs = append(statusIDs, c.LastStatusID)
	}
	accounts, err := s.Store.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	statuses, err := s.statusViewsByID(ctx, viewer, statusIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*ConversationView, 0, len(list))
	for _, c := range list {
		v := &ConversationView{Conversation: c, LastStatus: statuses[c.LastStatusID]}
		for _, aid := range c.ParticipantIDs {
			if a := accounts[aid]; a != nil {
				v.Accounts = append(v.Accounts, a)
			}
		}
		if len(v.Accounts) == 0 {
			v.Accounts = []*model.Account{viewer} // a note to oneself, shown as Mastodon does
		}
		out = append(out, v)
	}
	return out, nil
}

// Direct is the deprecated direct timeline: direct statuses the viewer wrote or is
// mentioned in, newest first.
func (s *Service) Direct(ctx context.Context, viewer *model.Account, p httpx.Page) ([]*StatusView, error) {
	list, err := s.Store.DirectTimeline(ctx, viewer.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	if list, err = s.filterVisible(ctx, viewer.ID, list); err != nil {
		return nil, err
	}
	return s.Views(ctx, viewer, list)
}
