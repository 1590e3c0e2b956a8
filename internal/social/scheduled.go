package social

import (
	"context"
	"errors"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Scheduling limits, Mastodon's.
const (
	MinScheduleAhead      = 5 * time.Minute
	MaxScheduledStatuses  = 300
	MaxScheduledPerDay    = 25
	scheduledPublishSlack = time.Second // a job may run a moment before its time
)

// Schedule validates a status now and stores it to be posted at a later time.
func (s *Service) Schedule(ctx context.Context, author *model.Account, user *model.User, p PostParams, at time.Time) (*model.ScheduledStatus, error) {
	if err := s.validatePost(&p, user); err != nil {
		return nil, err
	}
	if err := scheduleTimeAllowed(at); err != nil {
		return nil, err
	}
	sched := &model.ScheduledStatus{AccountID: author.ID, ScheduledAt: at.UTC(), Params: scheduledParams(p)}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := s.scheduleLimits(ctx, q, author.ID, at); err != nil {
			return err
		}
		if err := q.InsertScheduledStatus(ctx, sched); err != nil {
			return err
		}
		if err := s.reserveMedia(ctx, q, author.ID, sched.ID, p.MediaIDs); err != nil {
			return err
		}
		return s.scheduleJob(ctx, q, PublishScheduledArgs{ID: sched.ID}, sched.ScheduledAt)
	})
	if err != nil {
		return nil, err
	}
	return sched, s.withReservedMedia(ctx, []*model.ScheduledStatus{sched})
}

func scheduleTimeAllowed(at time.Time) error {
	if at.Before(time.Now().Add(MinScheduleAhead)) {
		return httpx.Unprocessable("Validation failed: Scheduled at date must be in the future")
	}
	return nil
}

func (s *Service) scheduleLimits(ctx context.Context, q store.Q, accountID int64, at time.Time) error {
	day := at.UTC().Truncate(24 * time.Hour)
	total, onDay, err := q.CountScheduledStatuses(ctx, accountID, day)
	switch {
	case err != nil:
		return err
	case total >= MaxScheduledStatuses:
		return httpx.Unprocessable("Validation failed: You have exceeded the limit of %d scheduled posts", MaxScheduledStatuses)
	case onDay >= MaxScheduledPerDay:
		return httpx.Unprocessable("Validation failed: You have exceeded the limit of %d scheduled posts for today", MaxScheduledPerDay)
	}
	return nil
}

func scheduledParams(p PostParams) model.ScheduledParams {
	return model.ScheduledParams{Text: p.Text, SpoilerText: p.SpoilerText, Visibility: p.Visibility, Sensitive: *p.Sensitive || p.SpoilerText != "",
		Language: p.Language, InReplyToID: p.InReplyToID, ApplicationID: p.ApplicationID, Idempotency: p.IdempotencyKey, Poll: p.Poll,
		QuotedStatusID: p.QuotedStatusID, QuotePolicy: p.QuotePolicy}
}

func postParams(sp model.ScheduledParams) PostParams {
	sensitive := sp.Sensitive
	return PostParams{Text: sp.Text, SpoilerText: sp.SpoilerText, Visibility: sp.Visibility, Sensitive: &sensitive,
		Language: sp.Language, InReplyToID: sp.InReplyToID, ApplicationID: sp.ApplicationID, Poll: sp.Poll,
		QuotedStatusID: sp.QuotedStatusID, QuotePolicy: sp.QuotePolicy}
}

// ScheduledStatuses lists the account's scheduled statuses.
func (s *Service) ScheduledStatuses(ctx context.Context, owner *model.Account, p httpx.Page) ([]*model.ScheduledStatus, error) {
	list, err := s.Store.ScheduledStatuses(ctx, owner.ID, storePage(p))
	if err != nil {
		return nil, err
	}
	return list, s.withReservedMedia(ctx, list)
}

// ScheduledStatus loads one of the owner's scheduled statuses; others' are not found.
func (s *Service) ScheduledStatus(ctx context.Context, owner *model.Account, id int64) (*model.ScheduledStatus, error) {
	sched, err := s.Store.ScheduledStatus(ctx, owner.ID, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	return sched, s.withReservedMedia(ctx, []*model.ScheduledStatus{sched})
}

// Reschedule moves one of the owner's scheduled statuses to another time.
func (s *Service) Reschedule(ctx context.Context, owner *model.Account, id int64, at time.Time) (*model.ScheduledStatus, error) {
	if err := scheduleTimeAllowed(at); err != nil {
		return nil, err
	}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.RescheduleStatus(ctx, owner.ID, id, at); err != nil {
			return orNotFound(err)
		}
		// The job at the old time finds the status not yet due and leaves it to this one.
		return s.scheduleJob(ctx, q, PublishScheduledArgs{ID: id}, at.UTC())
	})
	if err != nil {
		return nil, err
	}
	return s.ScheduledStatus(ctx, owner, id)
}

// CancelScheduled deletes one of the owner's scheduled statuses.
func (s *Service) CancelScheduled(ctx context.Context, owner *model.Account, id int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error { return orNotFound(q.DeleteScheduledStatus(ctx, owner.ID, id)) })
}

// PublishScheduled posts a scheduled status that is due, through the same path as a
// status posted at once, and removes it from the schedule in the same transaction.
// A status that can no longer be posted (its reply target is gone) is dropped.
func (s *Service) PublishScheduled(ctx context.Context, id int64) error {
	var owner int64
	err := s.Store.Tx(ctx, func(q store.Q) error {
		sched, err := q.ScheduledStatus(ctx, 0, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil // cancelled, or already published
		}
		if err == nil {
			owner = sched.AccountID
		}
		if err != nil || sched.ScheduledAt.After(time.Now().Add(scheduledPublishSlack)) {
			return err // rescheduled later; that time's job publishes it
		}
		if err := s.publish(ctx, q, sched); err != nil {
			return err
		}
		return q.DeleteScheduledStatus(ctx, sched.AccountID, sched.ID)
	})
	var refused *httpx.Error
	if errors.As(err, &refused) {
		s.Log.Warn("scheduled status dropped", "id", id, "reason", refused.Msg)
		return s.Store.Tx(ctx, func(q store.Q) error { return ignoreNotFound(q.DeleteScheduledStatus(ctx, owner, id)) })
	}
	return err
}

func (s *Service) publish(ctx context.Context, q store.Q, sched *model.ScheduledStatus) error {
	author, err := q.AccountByID(ctx, sched.AccountID)
	if err != nil {
		return err
	}
	user, err := q.UserByAccountID(ctx, author.ID)
	if err != nil {
		return err
	}
	p := postParams(sched.Params)
	if p.MediaIDs, err = q.ReleaseMedia(ctx, sched.ID); err != nil {
		return err
	}
	if err := s.validatePost(&p, user); err != nil {
		return err
	}
	_, err = s.insertPost(ctx, q, author, p)
	return err
}

func ignoreNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// reserveMedia checks a scheduled status's media as posting would (the author's own,
// ready, attached nowhere, reserved by no other scheduled status) and reserves them.
func (s *Service) reserveMedia(ctx context.Context, q store.Q, authorID, scheduledID int64, ids []int64) error {
	ids = uniqueIDs(ids)
	if len(ids) == 0 {
		return nil
	}
	if err := s.checkAttachable(ctx, q, authorID, 0, ids); err != nil {
		return err
	}
	return q.ReserveMedia(ctx, scheduledID, ids)
}

// withReservedMedia loads the media each scheduled status will carry.
func (s *Service) withReservedMedia(ctx context.Context, list []*model.ScheduledStatus) error {
	ids := make([]int64, len(list))
	for i, sched := range list {
		ids[i] = sched.ID
	}
	reserved, err := s.Store.ReservedMedia(ctx, ids)
	for _, sched := range list {
		sched.Media = reserved[sched.ID]
	}
	return err
}
