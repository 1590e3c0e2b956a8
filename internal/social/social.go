// Package social holds the use cases the client API and federation share: posting,
// deleting, favouriting, boosting, following, reading timelines. Every rule about who
// may see or do what lives here, once.
package social

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/blob"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/emoji"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mail"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/push"
	"github.com/tuskhq/tusk/internal/store"
)

// Service runs the use cases over one store.
type Service struct {
	Store  *store.Store
	Config config.Config
	Log    *slog.Logger
	Jobs   Enqueuer // side effects queued in the change's transaction (poll ends, scheduled statuses, cards, annual reports); nil queues none

	Mail   *mail.Outbox     // staff notices (reports); nil sends none
	Emojis *emoji.Catalogue // the custom emoji statuses and names render with

	Push *push.Service // Web Push; nil sends none
	Bus  pubsub.Bus    // live events for the streaming API; nil publishes none

	Resolver Resolver         // finds remote accounts and statuses for search; nil resolves nothing
	Now      func() time.Time // the clock; nil is time.Now

	Federator Federator // deliveries to other servers; nil federates nothing

	Media  *blob.Media   // where attachments, avatars and headers are stored and served from
	FFmpeg *media.FFmpeg // video and audio processing; nil when the server has no ffmpeg
	// ImageSlots bounds how many images are decoded at once (each 12 MP photo takes about
	// 150 MB while processed); nil means no bound.
	ImageSlots chan struct{}
}

// Errors returned to clients, worded as Mastodon words them.
var (
	ErrNotFound   = httpx.ErrNotFound
	ErrNotAllowed = &httpx.Error{Code: http.StatusForbidden, Msg: "This action is not allowed"}
	// ErrMovedAway: the account moved to another; as on Mastodon, it no longer posts.
	ErrMovedAway = &httpx.Error{Code: http.StatusForbidden, Msg: "Your login is currently disabled"}
)

// orNotFound turns store.ErrNotFound into the client's 404 and keeps other errors.
func orNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// denied is err when looking failed, and the client's 404 when the answer was no.
func denied(err error) error {
	if err != nil {
		return err
	}
	return ErrNotFound
}

// viewerID is the account id of a possibly anonymous viewer.
func viewerID(viewer *model.Account) int64 {
	if viewer == nil {
		return 0
	}
	return viewer.ID
}

// canSee applies model.Visible, loading the facts it needs.
func (s *Service) canSee(ctx context.Context, q store.Q, viewer int64, st *model.Status) (bool, error) {
	if viewer == 0 || viewer == st.AccountID {
		return model.CanSee(viewer, st, false, false), nil
	}
	blockers, err := q.BlockedBySet(ctx, viewer, []int64{st.AccountID})
	if err != nil {
		return false, err
	}
	return s.canSeeUnlessBlocked(ctx, q, viewer, st, blockers[st.AccountID])
}

// canSeeUnlessBlocked is canSee once it is known whether the author blocks the viewer.
func (s *Service) canSeeUnlessBlocked(ctx context.Context, q store.Q, viewer int64, st *model.Status, blocked bool) (bool, error) {
	if viewer == 0 || viewer == st.AccountID || st.Visibility == model.Public || st.Visibility == model.Unlisted {
		return model.Visible(viewer, st, model.Audience{BlockedByAuthor: blocked}), nil
	}
	mentioned, err := q.MentionedIDs(ctx, []int64{st.ID})
	if err != nil {
		return false, err
	}
	isMentioned := false
	for _, id := range mentioned[st.ID] {
		isMentioned = isMentioned || id == viewer
	}
	following, err := q.FollowingSet(ctx, store.Follows, viewer, []int64{st.AccountID})
	if err != nil {
		return false, err
	}
	return model.Visible(viewer, st, model.Audience{Follows: following[st.AccountID] != nil, Mentioned: isMentioned, BlockedByAuthor: blocked}), nil
}

// VisibleStatus loads a status the viewer may see; anything else is the same 404 as a
// status that does not exist. A boost is visible only with its original.
func (s *Service) VisibleStatus(ctx context.Context, viewer *model.Account, id int64) (*model.Status, error) {
	st, err := s.Store.StatusByID(ctx, id)
	if err != nil {
		return nil, orNotFound(err)
	}
	ok, err := s.canSee(ctx, s.Store.Q, viewerID(viewer), st)
	if err != nil || !ok {
		return nil, denied(err)
	}
	if st.ReblogOfID != nil {
		if _, err := s.VisibleStatus(ctx, viewer, *st.ReblogOfID); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// filterVisible keeps the statuses viewer may see, in order.
func (s *Service) filterVisible(ctx context.Context, viewer int64, list []*model.Status) ([]*model.Status, error) {
	blockers, err := s.Store.BlockedBySet(ctx, viewer, authorIDs(list))
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, st := range list {
		ok, err := s.canSeeUnlessBlocked(ctx, s.Store.Q, viewer, st, blockers[st.AccountID])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, st)
		}
	}
	return out, nil
}
