package social

import (
	"context"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Poll limits, Mastodon's defaults; the instance entity advertises them.
const (
	MaxPollOptions     = 4
	MaxPollOptionChars = 50
	MinPollExpiry      = 300     // seconds
	MaxPollExpiry      = 2629746 // seconds, about a month
)

// PollView is a poll with its counts and what the viewer did with it.
type PollView struct {
	*model.Poll
	Tally    *model.PollTally
	Expired  bool
	Voted    bool  // the viewer voted, or wrote the poll
	OwnVotes []int // the viewer's choices
	Owned    bool  // the viewer wrote the poll
}

// validatePoll checks a poll as Mastodon does, with its messages.
func validatePoll(p *model.PollParams) error {
	switch {
	case len(p.Options) < 2:
		return httpx.Unprocessable("Validation failed: Poll options must have more than one item")
	case len(p.Options) > MaxPollOptions:
		return httpx.Unprocessable("Validation failed: Poll options can't contain more than %d items", MaxPollOptions)
	}
	seen := map[string]bool{}
	for _, o := range p.Options {
		if utf8.RuneCountInString(o) > MaxPollOptionChars {
			return httpx.Unprocessable("Validation failed: Poll options cannot be longer than %d characters each", MaxPollOptionChars)
		}
		if seen[o] {
			return httpx.Unprocessable("Validation failed: Poll options contain duplicate items")
		}
		seen[o] = true
	}
	switch {
	case p.ExpiresIn == 0:
		return httpx.Unprocessable("Validation failed: Poll expires at can't be blank")
	case p.ExpiresIn < MinPollExpiry:
		return httpx.Unprocessable("Validation failed: Poll expires at is too soon")
	case p.ExpiresIn > MaxPollExpiry:
		return httpx.Unprocessable("Validation failed: Poll expires at is too far into the future")
	}
	return nil
}

// createPoll stores a new status's poll and schedules the announcement of its end.
func (s *Service) createPoll(ctx context.Context, q store.Q, st *model.Status, p *model.PollParams) error {
	expires := time.Now().UTC().Add(time.Duration(p.ExpiresIn) * time.Second)
	poll := &model.Poll{StatusID: st.ID, AccountID: st.AccountID, Options: p.Options, Multiple: p.Multiple,
		HideTotals: p.HideTotals, ExpiresAt: &expires}
	if err := q.InsertPoll(ctx, poll); err != nil {
		return err
	}
	return s.scheduleJob(ctx, q, ClosePollArgs{PollID: poll.ID}, expires)
}

// editPoll applies an edit's poll: a new poll, a changed one (whose votes are reset
// when its options change, as Mastodon does) or none (the poll is removed).
func (s *Service) editPoll(ctx context.Context, q store.Q, st *model.Status, old *model.Poll, p *model.PollParams) error {
	switch {
	case p == nil && old == nil:
		return nil
	case p == nil:
		return q.DeletePoll(ctx, old.ID)
	case old == nil:
		return s.createPoll(ctx, q, st, p)
	}
	if !slices.Equal(old.Options, p.Options) {
		if err := q.DeletePollVotes(ctx, old.ID); err != nil {
			return err
		}
	}
	expires := time.Now().UTC().Add(time.Duration(p.ExpiresIn) * time.Second)
	old.Options, old.Multiple, old.HideTotals, old.ExpiresAt = p.Options, p.Multiple, p.HideTotals, &expires
	if err := q.UpdatePoll(ctx, old); err != nil {
		return err
	}
	return s.scheduleJob(ctx, q, ClosePollArgs{PollID: old.ID}, expires)
}

// Poll loads a poll whose status the viewer may see.
func (s *Service) Poll(ctx context.Context, viewer *model.Account, pollID int64) (*PollView, error) {
	poll, err := s.Store.PollByID(ctx, pollID)
	if err != nil {
		return nil, orNotFound(err)
	}
	if _, err := s.VisibleStatus(ctx, viewer, poll.StatusID); err != nil {
		return nil, err
	}
	views, err := s.pollViews(ctx, s.Store.Q, viewerID(viewer), map[int64]*model.Poll{poll.StatusID: poll})
	if err != nil {
		return nil, err
	}
	return views[poll.StatusID], nil
}

// Vote records the voter's choices in a poll of a status they may see.
func (s *Service) Vote(ctx context.Context, voter *model.Account, pollID int64, choices []int) (*PollView, error) {
	poll, err := s.Store.PollByID(ctx, pollID)
	if err != nil {
		return nil, orNotFound(err)
	}
	if _, err := s.VisibleStatus(ctx, voter, poll.StatusID); err != nil {
		return nil, err
	}
	if err := voteAllowed(voter, poll, choices); err != nil {
		return nil, err
	}
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := s.insertVotes(ctx, q, voter, poll, choices); err != nil {
			return err
		}
		return s.federate(ctx, q, Voted{AccountID: voter.ID, Poll: poll, Choices: choices})
	})
	if err != nil {
		return nil, err
	}
	return s.Poll(ctx, voter, pollID)
}

func voteAllowed(voter *model.Account, poll *model.Poll, choices []int) error {
	switch {
	case poll.Expired(time.Now()):
		return httpx.Unprocessable("Validation failed: The poll has already ended")
	case poll.AccountID == voter.ID:
		return httpx.Unprocessable("Validation failed: You cannot vote in your own polls")
	case len(choices) > 1 && !poll.Multiple:
		return errAlreadyVoted
	}
	for _, c := range choices {
		if c < 0 || c >= len(poll.Options) {
			return httpx.Unprocessable("Validation failed: The chosen vote option does not exist")
		}
	}
	return nil
}

var errAlreadyVoted = httpx.Unprocessable("Validation failed: You have already voted on this poll")

// insertVotes adds the choices; a single-choice poll takes one vote per voter, a
// multiple-choice poll one vote per voter and option.
func (s *Service) insertVotes(ctx context.Context, q store.Q, voter *model.Account, poll *model.Poll, choices []int) error {
	prior, err := q.VotesBy(ctx, voter.ID, []int64{poll.ID})
	if err != nil {
		return err
	}
	if len(prior[poll.ID]) > 0 && !poll.Multiple {
		return errAlreadyVoted
	}
	for _, c := range choices {
		err := q.InsertVote(ctx, poll.ID, voter.ID, c)
		if errors.Is(err, store.ErrConflict) {
			return errAlreadyVoted
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// pollViews hydrates polls keyed by status id for viewer (0 = anonymous).
func (s *Service) pollViews(ctx context.Context, q store.Q, viewer int64, polls map[int64]*model.Poll) (map[int64]*PollView, error) {
	out := make(map[int64]*PollView, len(polls))
	if len(polls) == 0 {
		return out, nil
	}
	list := make([]*model.Poll, 0, len(polls))
	ids := make([]int64, 0, len(polls))
	for _, p := range polls {
		list, ids = append(list, p), append(ids, p.ID)
	}
	tallies, err := q.PollTallies(ctx, list)
	if err != nil {
		return nil, err
	}
	votes, err := q.VotesBy(ctx, viewer, ids)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	for statusID, p := range polls {
		owned := viewer != 0 && viewer == p.AccountID
		out[statusID] = &PollView{Poll: p, Tally: tallies[p.ID], Expired: p.Expired(now), OwnVotes: votes[p.ID],
			Voted: owned || len(votes[p.ID]) > 0, Owned: owned}
	}
	return out, nil
}

// ClosePoll announces the end of a poll that is due: each local voter and its local
// author get a poll notification, once. A poll whose end moved (it was edited) waits
// for the job scheduled at its new end.
func (s *Service) ClosePoll(ctx context.Context, pollID int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		poll, err := q.PollByID(ctx, pollID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // the poll or its status was deleted
		}
		if err != nil || !poll.Expired(time.Now()) {
			return err
		}
		now := time.Now().UTC()
		if closed, err := q.ClosePoll(ctx, poll.ID, now); err != nil || !closed {
			return err
		}
		return s.notifyPollEnded(ctx, q, poll)
	})
}

func (s *Service) notifyPollEnded(ctx context.Context, q store.Q, poll *model.Poll) error {
	voters, err := q.PollVoterIDs(ctx, poll.ID)
	if err != nil {
		return err
	}
	for _, v := range voters {
		if err := s.notify(ctx, q, v, poll.AccountID, model.NotifyPoll, &poll.StatusID); err != nil {
			return err
		}
	}
	if !isLocal(ctx, q, poll.AccountID) {
		return nil
	}
	// The author hears of their own poll's end too, which notify skips as self-notification.
	n := &model.Notification{AccountID: poll.AccountID, FromAccountID: poll.AccountID, Type: model.NotifyPoll, StatusID: &poll.StatusID}
	if err := q.InsertNotification(ctx, n); err != nil {
		return err
	}
	s.streamNotification(q, n)
	return s.queuePush(ctx, q, n)
}

// scheduleJob enqueues a job to run at a time, in q's transaction.
func (s *Service) scheduleJob(ctx context.Context, q store.Q, args river.JobArgs, at time.Time) error {
	if s.Jobs == nil {
		return errors.New("social: no job queue to schedule " + args.Kind())
	}
	return s.Jobs.Enqueue(ctx, q, args, &river.InsertOpts{ScheduledAt: at})
}
