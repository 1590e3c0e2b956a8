package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// NotificationGroup is Mastodon's NotificationGroup entity.
type NotificationGroup struct {
	GroupKey           string   `json:"group_key"`
	NotificationsCount int64    `json:"notifications_count"`
	Type               string   `json:"type"`
	MostRecentID       int64    `json:"most_recent_notification_id"` // a number, as Mastodon serves it
	PageMinID          *string  `json:"page_min_id,omitempty"`
	PageMaxID          *string  `json:"page_max_id,omitempty"`
	LatestPageAt       *string  `json:"latest_page_notification_at,omitempty"`
	SampleAccountIDs   []string `json:"sample_account_ids"`
	StatusID           *string  `json:"status_id,omitempty"`
}

// PartialAccount is Mastodon's PartialAccountWithAvatar.
type PartialAccount struct {
	ID           string `json:"id"`
	Acct         string `json:"acct"`
	Locked       bool   `json:"locked"`
	Bot          bool   `json:"bot"`
	URL          string `json:"url"`
	Avatar       string `json:"avatar"`
	AvatarStatic string `json:"avatar_static"`
}

// GroupedNotifications is Mastodon's GroupedNotificationsResults: each account and
// status once, and the groups referring to them by id.
type GroupedNotifications struct {
	Accounts        []Account           `json:"accounts"`
	PartialAccounts []PartialAccount    `json:"partial_accounts,omitempty"`
	Statuses        []Status            `json:"statuses"`
	Groups          []NotificationGroup `json:"notification_groups"`
}

// GroupedNotifications renders groups. With partial, only each group's newest sender
// is a full account; the other samples are partial accounts.
func (r Renderer) GroupedNotifications(groups []*social.NotificationGroupView, partial bool) GroupedNotifications {
	out := GroupedNotifications{Accounts: []Account{}, Statuses: []Status{}, Groups: []NotificationGroup{}}
	full, seenStatus := map[int64]bool{}, map[int64]bool{}
	for _, g := range groups {
		out.Groups = append(out.Groups, r.notificationGroup(g))
		for i, a := range g.SampleAccounts {
			if !full[a.ID] && (i == 0 || !partial) {
				full[a.ID] = true
				out.Accounts = append(out.Accounts, r.Account(a))
			}
		}
		if g.Status != nil && !seenStatus[g.Status.ID] {
			seenStatus[g.Status.ID] = true
			out.Statuses = append(out.Statuses, r.Status(g.Status, true))
		}
	}
	if partial {
		out.PartialAccounts = r.partialAccounts(groups, full)
	}
	return out
}

func (r Renderer) partialAccounts(groups []*social.NotificationGroupView, full map[int64]bool) []PartialAccount {
	out := []PartialAccount{}
	seen := map[int64]bool{}
	for _, g := range groups {
		for _, a := range g.SampleAccounts {
			if !full[a.ID] && !seen[a.ID] {
				seen[a.ID] = true
				acc := r.Account(a)
				out = append(out, PartialAccount{ID: acc.ID, Acct: acc.Acct, Locked: acc.Locked, Bot: acc.Bot, URL: acc.URL,
					Avatar: acc.Avatar, AvatarStatic: acc.AvatarStatic})
			}
		}
	}
	return out
}

func (r Renderer) notificationGroup(g *social.NotificationGroupView) NotificationGroup {
	out := NotificationGroup{GroupKey: g.Key, NotificationsCount: g.Count, Type: g.Type, MostRecentID: g.MostRecentID,
		SampleAccountIDs: []string{}, StatusID: idPtr(g.StatusID)}
	for _, a := range g.SampleAccounts {
		out.SampleAccountIDs = append(out.SampleAccountIDs, id.Format(a.ID))
	}
	if g.PageMaxID != 0 {
		minID, maxID, at := id.Format(g.PageMinID), id.Format(g.PageMaxID), timestamp(g.LatestPageAt)
		out.PageMinID, out.PageMaxID, out.LatestPageAt = &minID, &maxID, &at
	}
	return out
}

// NotificationPolicy is Mastodon's v2 NotificationPolicy entity.
type NotificationPolicy struct {
	ForNotFollowing    string        `json:"for_not_following"`
	ForNotFollowers    string        `json:"for_not_followers"`
	ForNewAccounts     string        `json:"for_new_accounts"`
	ForPrivateMentions string        `json:"for_private_mentions"`
	ForLimitedAccounts string        `json:"for_limited_accounts"`
	Summary            PolicySummary `json:"summary"`
}

// PolicySummary counts what the policy holds back.
type PolicySummary struct {
	PendingRequests      int64 `json:"pending_requests_count"`
	PendingNotifications int64 `json:"pending_notifications_count"`
}

// NotificationPolicy renders a policy with its summary.
func (r Renderer) NotificationPolicy(p *social.PolicyView) NotificationPolicy {
	return NotificationPolicy{ForNotFollowing: string(p.ForNotFollowing), ForNotFollowers: string(p.ForNotFollowers),
		ForNewAccounts: string(p.ForNewAccounts), ForPrivateMentions: string(p.ForPrivateMentions),
		ForLimitedAccounts: string(p.ForLimitedAccounts),
		Summary:            PolicySummary{PendingRequests: p.PendingRequests, PendingNotifications: p.PendingNotifications}}
}

// NotificationRequest is Mastodon's NotificationRequest entity.
type NotificationRequest struct {
	ID                 string  `json:"id"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	NotificationsCount string  `json:"notifications_count"` // a string, as Mastodon serves it
	Account            Account `json:"account"`
	LastStatus         *Status `json:"last_status"`
}

// NotificationRequest renders a request.
func (r Renderer) NotificationRequest(v *social.NotificationRequestView) NotificationRequest {
	out := NotificationRequest{ID: id.Format(v.ID), CreatedAt: timestamp(v.CreatedAt), UpdatedAt: timestamp(v.UpdatedAt),
		NotificationsCount: id.Format(v.NotificationsCount), Account: r.Account(v.From)}
	if v.LastStatus != nil {
		st := r.Status(v.LastStatus, true)
		out.LastStatus = &st
	}
	return out
}

// NotificationRequests renders a list.
func (r Renderer) NotificationRequests(list []*social.NotificationRequestView) []NotificationRequest {
	out := make([]NotificationRequest, len(list))
	for i, v := range list {
		out[i] = r.NotificationRequest(v)
	}
	return out
}

// NotificationPolicyV1 is the deprecated v1 form of the policy: each rule as a flag
// saying whether it holds anything back.
type NotificationPolicyV1 struct {
	FilterNotFollowing    bool          `json:"filter_not_following"`
	FilterNotFollowers    bool          `json:"filter_not_followers"`
	FilterNewAccounts     bool          `json:"filter_new_accounts"`
	FilterPrivateMentions bool          `json:"filter_private_mentions"`
	Summary               PolicySummary `json:"summary"`
}

// NotificationPolicyV1 renders a policy in the v1 form.
func (r Renderer) NotificationPolicyV1(p *social.PolicyView) NotificationPolicyV1 {
	return NotificationPolicyV1{FilterNotFollowing: p.ForNotFollowing != model.PolicyAccept,
		FilterNotFollowers: p.ForNotFollowers != model.PolicyAccept, FilterNewAccounts: p.ForNewAccounts != model.PolicyAccept,
		FilterPrivateMentions: p.ForPrivateMentions != model.PolicyAccept,
		Summary:               PolicySummary{PendingRequests: p.PendingRequests, PendingNotifications: p.PendingNotifications}}
}
