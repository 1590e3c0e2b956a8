package social

import (
	"context"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// authorIDs lists the distinct authors of statuses.
func authorIDs(list []*model.Status) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, st := range list {
		if !seen[st.AccountID] {
			seen[st.AccountID] = true
			out = append(out, st.AccountID)
		}
	}
	return out
}

// dropScreened keeps the statuses model.Screen lets through to viewer, in order: the
// Go form of the screen the timelines apply in SQL, for lists built in Go (threads).
func (s *Service) dropScreened(ctx context.Context, viewer int64, list []*model.Status) ([]*model.Status, error) {
	if viewer == 0 || len(list) == 0 {
		return list, nil
	}
	screens, err := s.Store.Screens(ctx, viewer, authorIDs(list), time.Now())
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, st := range list {
		if !screens[st.AccountID].HidesStatuses() {
			out = append(out, st)
		}
	}
	return out, nil
}

// notificationScreened reports whether a notification from "from" would be hidden from
// its recipient anyway; such notifications are not created, as in Mastodon.
func (s *Service) notificationScreened(ctx context.Context, q store.Q, to, from int64) (bool, error) {
	return q.NotificationScreened(ctx, to, from)
}

// followRefused is ErrNotAllowed when a block stands between actor and target either
// way, or actor blocks target's domain: such follows are refused, as in Mastodon.
func (s *Service) followRefused(ctx context.Context, actor, target *model.Account) error {
	blocked, err := s.Store.BlockBetween(ctx, actor.ID, target.ID)
	if err != nil {
		return err
	}
	domainBlocked, err := s.Store.DomainBlockedSet(ctx, actor.ID, []int64{target.ID})
	if err != nil {
		return err
	}
	if blocked || domainBlocked[target.ID] {
		return ErrNotAllowed
	}
	return nil
}

// fillRestrictions adds blocks, mutes, domain blocks, endorsements and notes to
// viewer's relationships with rels' targets.
func (s *Service) fillRestrictions(ctx context.Context, viewer *model.Account, targets []int64, rels []*model.Relationship) error {
	blocking, err := s.Store.RelationSet(ctx, store.Blocks, viewer.ID, targets)
	if err != nil {
		return err
	}
	blockedBy, err := s.Store.BlockedBySet(ctx, viewer.ID, targets)
	if err != nil {
		return err
	}
	mutes, err := s.Store.MuteSet(ctx, viewer.ID, targets, time.Now())
	if err != nil {
		return err
	}
	domainBlocked, err := s.Store.DomainBlockedSet(ctx, viewer.ID, targets)
	if err != nil {
		return err
	}
	endorsed, err := s.Store.RelationSet(ctx, store.Endorsements, viewer.ID, targets)
	if err != nil {
		return err
	}
	notes, err := s.Store.AccountNotes(ctx, viewer.ID, targets)
	if err != nil {
		return err
	}
	for i, t := range targets {
		r := rels[i]
		r.Blocking, r.BlockedBy, r.DomainBlocking, r.Endorsed, r.Note = blocking[t], blockedBy[t], domainBlocked[t], endorsed[t], notes[t]
		if m := mutes[t]; m != nil {
			r.Muting, r.MutingNotif, r.MuteExpiresAt = true, m.HideNotifications, m.ExpiresAt
		}
	}
	return nil
}

// refuseIfBlockingAuthor is ErrNotAllowed when actor blocks the author of the status it
// would favourite or boost (when applies): as in Mastodon, one does not interact with
// those one blocks. Undoing and bookmarking stay allowed.
func (s *Service) refuseIfBlockingAuthor(ctx context.Context, actor *model.Account, statusID int64, applies bool) error {
	if !applies {
		return nil
	}
	st, err := s.Store.StatusByID(ctx, statusID)
	if err != nil {
		return orNotFound(err)
	}
	blocking, err := s.Store.RelationSet(ctx, store.Blocks, actor.ID, []int64{st.AccountID})
	if err != nil {
		return err
	}
	if blocking[st.AccountID] {
		return ErrNotAllowed
	}
	return nil
}
