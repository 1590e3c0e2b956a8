package federation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/jobs"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// The activities about statuses: Create, Update, Delete, Announce and its Undo, the
// actor's Update, and answers to remote polls. The documents themselves are rendered
// by the same functions that serve them to fetches (render_*.go), so what a server is
// sent is what it would read.

// federateStatus sends the Create (or, after an edit, the Update) of a local status to
// its audience.
func (s *Service) federateStatus(ctx context.Context, q store.Q, st *model.Status, edited bool) error {
	author, err := localAccount(ctx, q, st.AccountID)
	if err != nil || author == nil || st.ReblogOfID != nil {
		return err
	}
	aud, err := s.statusAudience(ctx, q, st, edited)
	if err != nil || len(aud) == 0 {
		return err
	}
	if !edited {
		create, err := s.RenderCreate(ctx, q, st)
		if err != nil {
			return err
		}
		return s.send(ctx, q, author.ID, create, aud)
	}
	note, err := s.RenderStatus(ctx, q, st)
	if err != nil {
		return err
	}
	note.Context = nil
	at := s.now()
	if st.EditedAt != nil {
		at = *st.EditedAt
	}
	update := &Activity{Context: Context, ID: fmt.Sprintf("%s#updates/%d", st.URI, at.Unix()), Type: "Update",
		Actor: s.actorID(author), Published: at.UTC().Format(time.RFC3339), To: note.To, Cc: note.Cc, Object: note}
	return s.send(ctx, q, author.ID, update, aud)
}

// federateDelete sends, before a local status's rows go, its Delete (a Tombstone) to
// everyone who received it, or for a boost the Undo of its Announce.
func (s *Service) federateDelete(ctx context.Context, q store.Q, st *model.Status) error {
	author, err := localAccount(ctx, q, st.AccountID)
	if err != nil || author == nil {
		return err
	}
	if st.ReblogOfID != nil {
		return s.federateUnannounce(ctx, q, author, st)
	}
	aud, err := s.statusAudience(ctx, q, st, true)
	if err != nil || len(aud) == 0 {
		return err
	}
	del := &Activity{Context: Context, ID: st.URI + "#delete", Type: "Delete", Actor: s.actorID(author),
		To: []string{Public}, Object: Tombstone{ID: st.URI, Type: "Tombstone"}}
	return s.send(ctx, q, author.ID, del, aud)
}

// boostAudience is who hears of a boost: the booster's followers and the boosted author.
func (s *Service) boostAudience(ctx context.Context, q store.Q, boost *model.Status) (audience, error) {
	original, err := q.StatusByID(ctx, *boost.ReblogOfID)
	if err != nil {
		return nil, err
	}
	aud := audience{}
	if err := aud.addFollowers(ctx, q, boost.AccountID); err != nil {
		return nil, err
	}
	return aud, aud.addAccounts(ctx, q, original.AccountID)
}

func (s *Service) federateAnnounce(ctx context.Context, q store.Q, boost *model.Status) error {
	booster, err := localAccount(ctx, q, boost.AccountID)
	if err != nil || booster == nil {
		return err
	}
	aud, err := s.boostAudience(ctx, q, boost)
	if err != nil || len(aud) == 0 {
		return err
	}
	announce, err := s.RenderAnnounce(ctx, q, boost)
	if err != nil {
		return err
	}
	return s.send(ctx, q, booster.ID, announce, aud)
}

func (s *Service) federateUnannounce(ctx context.Context, q store.Q, booster *model.Account, boost *model.Status) error {
	aud, err := s.boostAudience(ctx, q, boost)
	if err != nil || len(aud) == 0 {
		return err
	}
	announce, err := s.RenderAnnounce(ctx, q, boost)
	if err != nil {
		return err
	}
	return s.send(ctx, q, booster.ID, s.undo(announce), aud)
}

// federateProfile queues the Update of a local actor. The document is rendered by the
// job rather than here: rendering may have to make the account's key, a write that
// cannot wait inside this transaction on SQLite's one writer, and the job sends the
// profile as it is then, so quick successive edits send the latest.
func (s *Service) federateProfile(ctx context.Context, q store.Q, accountID int64) error {
	a, err := localAccount(ctx, q, accountID)
	if err != nil || a == nil {
		return err
	}
	aud := audience{}
	if err := aud.addFollowers(ctx, q, a.ID); err != nil || len(aud) == 0 {
		return err
	}
	if s.Jobs == nil {
		return errors.New("federation: no job queue to deliver with")
	}
	return s.Jobs.Enqueue(ctx, q, UpdateActorArgs{AccountID: a.ID}, &river.InsertOpts{Queue: jobs.Push})
}

// UpdateActorArgs is the job that sends a local actor's current document to its
// followers' servers.
type UpdateActorArgs struct {
	AccountID int64 `json:"account_id,string"`
}

// Kind names the job.
func (UpdateActorArgs) Kind() string { return "federation.update_actor" }

type updateActorWorker struct {
	river.WorkerDefaults[UpdateActorArgs]
	s *Service
}

func (w *updateActorWorker) Work(ctx context.Context, job *river.Job[UpdateActorArgs]) error {
	return w.s.SendActorUpdate(ctx, job.Args.AccountID)
}

// SendActorUpdate renders a local actor and queues its Update to every follower's server.
func (s *Service) SendActorUpdate(ctx context.Context, accountID int64) error {
	a, err := s.Store.AccountByID(ctx, accountID)
	if err != nil || !a.IsLocal() {
		return err
	}
	if _, err := s.Keys.Account(ctx, a); err != nil { // made here, outside the transaction
		return err
	}
	return s.Store.Tx(ctx, func(q store.Q) error {
		aud := audience{}
		if err := aud.addFollowers(ctx, q, a.ID); err != nil || len(aud) == 0 {
			return err
		}
		doc, err := s.RenderActor(ctx, q, a)
		if err != nil {
			return err
		}
		doc.Context = nil
		update := &Activity{Context: Context, ID: fmt.Sprintf("%s#updates/%d", s.actorID(a), s.now().UnixMilli()),
			Type: "Update", Actor: s.actorID(a), To: []string{Public}, Object: doc}
		return s.send(ctx, q, a.ID, update, aud)
	})
}

// federateVote sends a local account's answers to a remote poll to the poll's author,
// one Create of a Note named after the option per choice, as Mastodon does.
func (s *Service) federateVote(ctx context.Context, q store.Q, e social.Voted) error {
	voter, err := localAccount(ctx, q, e.AccountID)
	if err != nil || voter == nil {
		return err
	}
	question, err := q.StatusByID(ctx, e.Poll.StatusID)
	if err != nil || question.Local {
		return err
	}
	author, err := q.AccountByID(ctx, question.AccountID)
	if err != nil {
		return err
	}
	aud, err := deliveryTo(ctx, q, author.ID)
	if err != nil || len(aud) == 0 {
		return err
	}
	for _, choice := range e.Choices {
		if err := s.send(ctx, q, voter.ID, s.voteActivity(voter, author, question, e.Poll, choice), aud); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) voteActivity(voter, author *model.Account, question *model.Status, poll *model.Poll, choice int) *Activity {
	id := s.URLs.Activity(voter.Username, fmt.Sprintf("votes/%d", poll.ID), int64(choice))
	to := []string{s.actorID(author)}
	answer := &VoteNote{ID: id, Type: "Note", Name: poll.Options[choice], AttributedTo: s.actorID(voter),
		InReplyTo: question.URI, To: to}
	return &Activity{Context: Context, ID: id + "/activity", Type: "Create", Actor: s.actorID(voter), To: to, Object: answer}
}

// VoteNote is one answer to a poll: a Note whose name is the option chosen.
type VoteNote struct {
	ID           string   `json:"id"`
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	AttributedTo string   `json:"attributedTo"`
	InReplyTo    string   `json:"inReplyTo"`
	To           []string `json:"to"`
}
