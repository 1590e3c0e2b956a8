package social

import (
	"context"
	"slices"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// fanOut writes a new status into the home feeds that should show it: the author's,
// and local followers' (only mentioned followers for direct messages; for replies to
// someone else, only followers who also follow that someone — as Mastodon filters them).
func (s *Service) fanOut(ctx context.Context, q store.Q, st *model.Status, mentionIDs []int64) error {
	followers, err := q.LocalFollowerIDs(ctx, st.AccountID)
	if err != nil {
		return err
	}
	recipients, err := s.feedFilter(ctx, q, st, followers, mentionIDs)
	if err != nil {
		return err
	}
	if isLocal(ctx, q, st.AccountID) {
		recipients = append(recipients, st.AccountID)
	}
	slices.Sort(recipients) // one lock order for every writer (see store.LocalFollowerIDs)
	// Feeds grow past their cap between runs of the periodic trim job (jobs.TrimFeedsArgs):
	// trimming here would double the cost of every post.
	return q.AddToHomeFeeds(ctx, st.ID, recipients)
}

func isLocal(ctx context.Context, q store.Q, accountID int64) bool {
	a, err := q.AccountByID(ctx, accountID)
	return err == nil && a.IsLocal()
}

func (s *Service) feedFilter(ctx context.Context, q store.Q, st *model.Status, followers, mentionIDs []int64) ([]int64, error) {
	switch {
	case st.Visibility == model.Direct:
		return intersect(followers, mentionIDs), nil
	case st.ReblogOfID != nil:
		return s.showingReblogs(ctx, q, st.AccountID, followers)
	case st.InReplyToAccountID != nil && *st.InReplyToAccountID != st.AccountID:
		return s.alsoFollowing(ctx, q, *st.InReplyToAccountID, followers)
	}
	return followers, nil
}

// showingReblogs keeps the followers who have not turned off boosts from the booster.
func (s *Service) showingReblogs(ctx context.Context, q store.Q, booster int64, followers []int64) ([]int64, error) {
	hiding, err := q.FollowersHidingReblogs(ctx, booster)
	if err != nil {
		return nil, err
	}
	out := followers[:0]
	for _, f := range followers {
		if !hiding[f] {
			out = append(out, f)
		}
	}
	return out, nil
}

// alsoFollowing keeps the followers who follow (or are) the replied-to account.
func (s *Service) alsoFollowing(ctx context.Context, q store.Q, repliedTo int64, followers []int64) ([]int64, error) {
	following, err := q.FollowedBySet(ctx, store.Follows, repliedTo, followers)
	if err != nil {
		return nil, err
	}
	out := followers[:0]
	for _, f := range followers {
		if following[f] || f == repliedTo {
			out = append(out, f)
		}
	}
	return out, nil
}

func intersect(a, b []int64) []int64 {
	var out []int64
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// notifyPost tells mentioned local accounts, and followers who asked to be notified of
// the author's posts.
func (s *Service) notifyPost(ctx context.Context, q store.Q, st *model.Status, mentions []*model.Account) error {
	for _, a := range mentions {
		if a.IsLocal() && a.ID != st.AccountID {
			if err := s.notify(ctx, q, a.ID, st.AccountID, model.NotifyMention, &st.ID); err != nil {
				return err
			}
		}
	}
	if st.Visibility == model.Direct || (st.InReplyToAccountID != nil && *st.InReplyToAccountID != st.AccountID) {
		return nil
	}
	watchers, err := q.NotifyingFollowerIDs(ctx, st.AccountID)
	if err != nil {
		return err
	}
	for _, w := range watchers {
		if err := s.notify(ctx, q, w, st.AccountID, model.NotifyStatus, &st.ID); err != nil {
			return err
		}
	}
	return nil
}

// notify records a notification for a local recipient.
func (s *Service) notify(ctx context.Context, q store.Q, to, from int64, typ string, statusID *int64) error {
	if to == from || !isLocal(ctx, q, to) {
		return nil
	}
	return q.InsertNotification(ctx, &model.Notification{AccountID: to, FromAccountID: from, Type: typ, StatusID: statusID})
}
