package social

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/webpush"
)

// PushSubscriptionView is a subscription with the key its pushes are signed with.
type PushSubscriptionView struct {
	*model.PushSubscription
	ServerKey string
}

// PushSubscribe is a client's new subscription.
type PushSubscribe struct {
	Endpoint, P256DH, Auth string
	Standard               bool
	PushData
}

// PushData is what a subscription asks for: which alerts, and from whom (the policy).
type PushData struct {
	Alerts map[string]bool // only the types the client named
	Policy *string
}

// maxEndpoint bounds a subscription's endpoint URL.
const maxEndpoint = 2048

// Subscribe makes p the only push subscription of the token, replacing any earlier one.
func (s *Service) Subscribe(ctx context.Context, tokenID int64, u *model.User, p PushSubscribe) (*PushSubscriptionView, error) {
	if len(p.Endpoint) > maxEndpoint {
		return nil, httpx.Unprocessable("Validation failed: Endpoint is too long (maximum is %d characters)", maxEndpoint)
	}
	if p.Endpoint == "" || p.P256DH == "" || p.Auth == "" {
		return nil, httpx.Unprocessable("Validation failed: subscription[endpoint], [keys][p256dh] and [keys][auth] are required")
	}
	if err := (webpush.Subscription{Endpoint: p.Endpoint, P256DH: p.P256DH, Auth: p.Auth}).Validate(); err != nil {
		return nil, httpx.Unprocessable("Validation failed: subscription %s", err)
	}
	sub := &model.PushSubscription{TokenID: tokenID, UserID: u.ID, Endpoint: p.Endpoint, P256DH: p.P256DH, Auth: p.Auth,
		Standard: p.Standard, Alerts: map[string]bool{}, Policy: model.PushPolicyAll}
	if err := applyPushData(sub, u, p.PushData); err != nil {
		return nil, err
	}
	if err := s.Store.Tx(ctx, func(q store.Q) error { return q.ReplacePushSubscription(ctx, sub) }); err != nil {
		return nil, err
	}
	return s.pushView(ctx, sub)
}

// PushSubscription loads the token's subscription.
func (s *Service) PushSubscription(ctx context.Context, tokenID int64) (*PushSubscriptionView, error) {
	sub, err := s.Store.PushSubscriptionByToken(ctx, tokenID)
	if err != nil {
		return nil, orNotFound(err)
	}
	return s.pushView(ctx, sub)
}

// UpdatePushSubscription sets the alerts and policy of the token's subscription.
func (s *Service) UpdatePushSubscription(ctx context.Context, tokenID int64, u *model.User, d PushData) (*PushSubscriptionView, error) {
	var sub *model.PushSubscription
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		if sub, err = q.PushSubscriptionByToken(ctx, tokenID); err != nil {
			return orNotFound(err)
		}
		// As in Mastodon, the data sent replaces the old: unnamed alerts turn off.
		sub.Alerts, sub.Policy = map[string]bool{}, model.PushPolicyAll
		if err := applyPushData(sub, u, d); err != nil {
			return err
		}
		return q.UpdatePushAlerts(ctx, sub)
	})
	if err != nil {
		return nil, err
	}
	return s.pushView(ctx, sub)
}

// Unsubscribe removes the token's subscription; removing none is not an error, as in Mastodon.
func (s *Service) Unsubscribe(ctx context.Context, tokenID int64) error {
	err := s.Store.Tx(ctx, func(q store.Q) error { return q.DeleteTokenPushSubscription(ctx, tokenID) })
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

func (s *Service) pushView(ctx context.Context, sub *model.PushSubscription) (*PushSubscriptionView, error) {
	if s.Push == nil {
		return nil, errors.New("social: Web Push is not wired")
	}
	key, err := s.Push.PublicKey(ctx)
	if err != nil {
		return nil, err
	}
	return &PushSubscriptionView{PushSubscription: sub, ServerKey: key}, nil
}

// adminAlerts are pushed only to staff, who alone receive their notifications.
var adminAlerts = []string{"admin.sign_up", "admin.report"}

func applyPushData(sub *model.PushSubscription, u *model.User, d PushData) error {
	if d.Policy != nil && *d.Policy != "" { // blank keeps the default, all
		switch *d.Policy {
		case model.PushPolicyAll, model.PushPolicyFollowed, model.PushPolicyFollower, model.PushPolicyNone:
			sub.Policy = *d.Policy
		default:
			return httpx.Unprocessable("Validation failed: Policy is not included in the list")
		}
	}
	maps.Copy(sub.Alerts, d.Alerts)
	for _, typ := range adminAlerts {
		if !u.IsStaff() {
			sub.Alerts[typ] = false
		}
	}
	maps.DeleteFunc(sub.Alerts, func(typ string, _ bool) bool { return !slices.Contains(model.PushAlertTypes, typ) })
	return nil
}

// queuePush queues a push of n to each of the recipient's subscriptions that asked for
// its type and whose policy admits its sender.
func (s *Service) queuePush(ctx context.Context, q store.Q, n *model.Notification) error {
	if s.Push == nil {
		return nil
	}
	subs, err := q.AccountPushSubscriptions(ctx, n.AccountID, time.Now())
	if err != nil || len(subs) == 0 {
		return err
	}
	admits := map[string]bool{}
	for _, sub := range subs {
		if !sub.Alerts[n.Type] {
			continue
		}
		ok, seen := admits[sub.Policy]
		if !seen {
			if ok, err = s.policyAdmits(ctx, q, sub.Policy, n); err != nil {
				return err
			}
			admits[sub.Policy] = ok
		}
		if ok {
			if err := s.Push.Queue(ctx, q, sub.ID, n.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// policyAdmits applies a push policy to a notification's sender.
func (s *Service) policyAdmits(ctx context.Context, q store.Q, policy string, n *model.Notification) (bool, error) {
	switch policy {
	case model.PushPolicyAll:
		return true, nil
	case model.PushPolicyFollowed:
		set, err := q.FollowingSet(ctx, store.Follows, n.AccountID, []int64{n.FromAccountID})
		return set[n.FromAccountID] != nil, err
	case model.PushPolicyFollower:
		set, err := q.FollowedBySet(ctx, store.Follows, n.AccountID, []int64{n.FromAccountID})
		return set[n.FromAccountID], err
	}
	return false, nil
}

// VAPIDPublicKey is the key clients subscribe with ("" when Web Push is not wired).
func (s *Service) VAPIDPublicKey(ctx context.Context) (string, error) {
	if s.Push == nil {
		return "", nil
	}
	return s.Push.PublicKey(ctx)
}
