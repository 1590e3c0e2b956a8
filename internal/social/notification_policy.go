package social

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Mastodon's thresholds for the policy: accounts younger than newAccountAge are new,
// and a follower of less than followerSettling does not count as one yet.
const (
	newAccountAge    = 30 * 24 * time.Hour
	followerSettling = 3 * 24 * time.Hour
)

// unfilterableTypes are never held back: they come from the instance, not a stranger.
var unfilterableTypes = map[string]bool{"admin.sign_up": true, "admin.report": true, "poll": true, "update": true,
	"moderation_warning": true, "severed_relationships": true, "annual_report": true}

// screenNotification applies the recipient's notification policy to n before it is
// stored, and gives it its group key. It returns false when the policy drops n.
func (s *Service) screenNotification(ctx context.Context, q store.Q, n *model.Notification) (bool, error) {
	verdict, err := s.policyVerdict(ctx, q, n)
	if err != nil || verdict == model.PolicyDrop {
		return false, err
	}
	if verdict == model.PolicyFilter {
		n.Filtered = true // filtered notifications are never grouped, as in Mastodon
		return true, q.TouchNotificationRequest(ctx, n.AccountID, n.FromAccountID)
	}
	n.GroupKey, err = s.groupKey(ctx, q, n)
	return true, err
}

// policyVerdict is the strictest answer of the recipient's policy for n's sender.
func (s *Service) policyVerdict(ctx context.Context, q store.Q, n *model.Notification) (model.Policy, error) {
	if unfilterableTypes[n.Type] {
		return model.PolicyAccept, nil
	}
	policy, err := s.policyOf(ctx, q, n.AccountID)
	if err != nil || acceptsAll(policy, n) {
		return model.PolicyAccept, err
	}
	if ok, err := q.NotificationPermitted(ctx, n.AccountID, n.FromAccountID); err != nil || ok {
		return model.PolicyAccept, err
	}
	sender, err := q.AccountByID(ctx, n.FromAccountID)
	if err != nil {
		return "", err
	}
	if sender.IsLocal() {
		if u, err := q.UserByAccountID(ctx, sender.ID); err == nil && u.IsStaff() {
			return model.PolicyAccept, nil
		}
	}
	answers, err := s.policyAnswers(ctx, q, policy, n, sender)
	if err != nil {
		return "", err
	}
	verdict := model.PolicyAccept
	for _, a := range answers {
		if a == model.PolicyDrop || (a == model.PolicyFilter && verdict == model.PolicyAccept) {
			verdict = a
		}
	}
	return verdict, nil
}

// acceptsAll reports whether no rule of p can hold n back, which spares the lookups
// about its sender in the common case (Mastodon's default policy, anything but a mention).
// No account is limited by moderators yet, so for_limited_accounts cannot apply.
func acceptsAll(p *model.NotificationPolicy, n *model.Notification) bool {
	return p.ForNotFollowing == model.PolicyAccept && p.ForNotFollowers == model.PolicyAccept &&
		p.ForNewAccounts == model.PolicyAccept && (n.Type != model.NotifyMention || p.ForPrivateMentions == model.PolicyAccept)
}

// policyAnswers lists what each rule of the policy that concerns the sender says.
func (s *Service) policyAnswers(ctx context.Context, q store.Q, p *model.NotificationPolicy, n *model.Notification, sender *model.Account) ([]model.Policy, error) {
	following, err := s.followOrNil(ctx, q, n.AccountID, sender.ID)
	if err != nil {
		return nil, err
	}
	follower, err := s.followOrNil(ctx, q, sender.ID, n.AccountID)
	if err != nil {
		return nil, err
	}
	var out []model.Policy
	if following == nil {
		out = append(out, p.ForNotFollowing)
	}
	if follower == nil || time.Since(follower.CreatedAt) < followerSettling {
		out = append(out, p.ForNotFollowers)
	}
	if time.Since(sender.CreatedAt) < newAccountAge {
		out = append(out, p.ForNewAccounts)
	}
	if following == nil {
		private, err := s.unsolicitedPrivateMention(ctx, q, n)
		if err != nil {
			return nil, err
		}
		if private {
			out = append(out, p.ForPrivateMentions)
		}
	}
	return out, nil
}

// followOrNil is from's follow of to, or nil when there is none.
func (s *Service) followOrNil(ctx context.Context, q store.Q, from, to int64) (*model.Follow, error) {
	f, err := q.FollowBetween(ctx, store.Follows, from, to)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return f, err
}

// unsolicitedPrivateMention reports whether n is a mention in a direct message that
// does not answer one of the recipient's statuses.
func (s *Service) unsolicitedPrivateMention(ctx context.Context, q store.Q, n *model.Notification) (bool, error) {
	if n.Type != model.NotifyMention || n.StatusID == nil {
		return false, nil
	}
	st, err := q.StatusByID(ctx, *n.StatusID)
	if err != nil {
		return false, err
	}
	if st.Visibility != model.Direct {
		return false, nil
	}
	return st.InReplyToAccountID == nil || *st.InReplyToAccountID != n.AccountID, nil
}

func (s *Service) policyOf(ctx context.Context, q store.Q, accountID int64) (*model.NotificationPolicy, error) {
	p, err := q.NotificationPolicy(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		return model.DefaultNotificationPolicy(accountID), nil
	}
	return p, err
}

// Grouping as Mastodon does it: favourites and boosts of one status, and follows, share
// a group while they keep coming within groupSpan hours of the group's first hour.
const groupSpan = 12

// groupKey gives n its group: "<type>-<status id>-<hour>" for favourites and boosts,
// "follow-<hour>" for follows; others stay ungrouped (InsertNotification keys them).
func (s *Service) groupKey(ctx context.Context, q store.Q, n *model.Notification) (string, error) {
	var prefix string
	switch {
	case (n.Type == model.NotifyFavourite || n.Type == model.NotifyReblog) && n.StatusID != nil:
		prefix = fmt.Sprintf("%s-%d", n.Type, *n.StatusID)
	case n.Type == model.NotifyFollow:
		prefix = n.Type
	default:
		return "", nil
	}
	now := time.Now()
	hour := now.Unix() / 3600
	prev, err := q.LatestGroupKey(ctx, n.AccountID, n.Type, n.StatusID, id.Lower(now.Add(-groupSpan*time.Hour)))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	var prevHour int64
	if _, scanErr := fmt.Sscan(strings.TrimPrefix(prev, prefix+"-"), &prevHour); err == nil && scanErr == nil && hour < prevHour+groupSpan {
		hour = prevHour
	}
	return fmt.Sprintf("%s-%d", prefix, hour), nil
}

// PolicyView is a member's notification policy with the summary of what it holds back.
type PolicyView struct {
	*model.NotificationPolicy
	PendingRequests, PendingNotifications int64
}

// maxCountedRequests caps the pending request count, as Mastodon's summary does.
const maxCountedRequests = 100

// NotificationPolicy returns the viewer's policy and its summary.
func (s *Service) NotificationPolicy(ctx context.Context, viewer *model.Account) (*PolicyView, error) {
	p, err := s.policyOf(ctx, s.Store.Q, viewer.ID)
	if err != nil {
		return nil, err
	}
	v := &PolicyView{NotificationPolicy: p}
	v.PendingRequests, v.PendingNotifications, err = s.Store.PendingRequestSummary(ctx, viewer.ID, maxCountedRequests)
	return v, err
}

// PolicyChange holds the rules a member changes; nil leaves a rule as it is.
type PolicyChange struct {
	ForNotFollowing, ForNotFollowers, ForNewAccounts, ForPrivateMentions, ForLimitedAccounts *model.Policy
}

// UpdateNotificationPolicy changes the viewer's policy and returns it.
func (s *Service) UpdateNotificationPolicy(ctx context.Context, viewer *model.Account, c PolicyChange) (*PolicyView, error) {
	err := s.Store.Tx(ctx, func(q store.Q) error {
		p, err := s.policyOf(ctx, q, viewer.ID)
		if err != nil {
			return err
		}
		for _, f := range []struct{ dst, src *model.Policy }{{&p.ForNotFollowing, c.ForNotFollowing},
			{&p.ForNotFollowers, c.ForNotFollowers}, {&p.ForNewAccounts, c.ForNewAccounts},
			{&p.ForPrivateMentions, c.ForPrivateMentions}, {&p.ForLimitedAccounts, c.ForLimitedAccounts}} {
			if f.src != nil {
				if !f.src.Valid() {
					return httpx.Unprocessable("Validation failed: %q is not one of accept, filter, drop", *f.src)
				}
				*f.dst = *f.src
			}
		}
		return q.SaveNotificationPolicy(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	return s.NotificationPolicy(ctx, viewer)
}
