package social

import (
	"context"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Federator turns local actions into deliveries to other servers. It is called inside
// the action's transaction (q), so the deliveries it queues commit with the change or
// not at all. It decides itself whether an event concerns any other server: actions of
// remote accounts, and actions among local accounts only, send nothing.
type Federator interface {
	Federate(ctx context.Context, q store.Q, e FedEvent) error
}

// FedEvent is a local action other servers may need to hear of. The types below are the
// events; each names the rows as they are at the moment of the call.
type FedEvent interface{ federationEvent() }

// StatusPosted: a status was published (Create).
type StatusPosted struct{ Status *model.Status }

// StatusEdited: a status was changed (Update).
type StatusEdited struct{ Status *model.Status }

// StatusDeleted: a status or boost is about to be removed (Delete, or Undo of the
// Announce); sent before the rows go, so its audience can still be computed.
type StatusDeleted struct{ Status *model.Status }

// Reblogged: a boost was made (Announce).
type Reblogged struct{ Boost *model.Status }

// Favourited: AccountID liked StatusID, or (Undo) is about to stop liking it.
type Favourited struct {
	AccountID, StatusID int64
	Undo                bool
}

// FollowRequested: a local account asked to follow a remote one (Follow). The
// federator stores the Follow's activity id in the request.
type FollowRequested struct{ Follow *model.Follow }

// Unfollowed: a follow or pending request was withdrawn (Undo Follow).
type Unfollowed struct{ Follow *model.Follow }

// FollowAnswered: a local account accepted or refused (or later removed) a follower
// (Accept or Reject of the Follow).
type FollowAnswered struct {
	Follow   *model.Follow
	Accepted bool
}

// Blocked: AccountID blocked TargetID, or (Undo) is about to unblock it.
type Blocked struct {
	AccountID, TargetID int64
	Undo                bool
}

// ProfileUpdated: a local account's profile changed (Update of the actor).
type ProfileUpdated struct{ AccountID int64 }

// Pinned: a status was pinned to (or, Undo, taken off) its author's profile (Add/Remove).
type Pinned struct {
	AccountID, StatusID int64
	Undo                bool
}

// ReportFiled: a report about a remote account to forward to its server (Flag).
type ReportFiled struct{ Report *model.Report }

// Voted: a local account voted in a poll (answers to a remote poll go to its server).
type Voted struct {
	AccountID int64
	Poll      *model.Poll
	Choices   []int
}

// AccountMoved: local account AccountID moved to TargetID (Move to its followers).
type AccountMoved struct{ AccountID, TargetID int64 }

func (StatusPosted) federationEvent()    {}
func (StatusEdited) federationEvent()    {}
func (StatusDeleted) federationEvent()   {}
func (Reblogged) federationEvent()       {}
func (Favourited) federationEvent()      {}
func (FollowRequested) federationEvent() {}
func (Unfollowed) federationEvent()      {}
func (FollowAnswered) federationEvent()  {}
func (Blocked) federationEvent()         {}
func (ProfileUpdated) federationEvent()  {}
func (Pinned) federationEvent()          {}
func (ReportFiled) federationEvent()     {}
func (Voted) federationEvent()           {}
func (AccountMoved) federationEvent()    {}

// federate hands e to the federator, if the server has one.
func (s *Service) federate(ctx context.Context, q store.Q, e FedEvent) error {
	if s.Federator == nil {
		return nil
	}
	return s.Federator.Federate(ctx, q, e)
}
