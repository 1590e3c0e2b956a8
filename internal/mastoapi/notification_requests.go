package mastoapi

import (
	"context"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) notificationPolicy(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	p, err := a.Social.NotificationPolicy(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.NotificationPolicy(p))
}

func (a *API) updateNotificationPolicy(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:notifications")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	c := social.PolicyChange{}
	for key, dst := range map[string]**model.Policy{"for_not_following": &c.ForNotFollowing, "for_not_followers": &c.ForNotFollowers,
		"for_new_accounts": &c.ForNewAccounts, "for_private_mentions": &c.ForPrivateMentions, "for_limited_accounts": &c.ForLimitedAccounts} {
		if p.Has(key) {
			v := model.Policy(p.Get(key))
			*dst = &v
		}
	}
	view, err := a.Social.UpdateNotificationPolicy(r.Context(), auth.Account, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.NotificationPolicy(view))
}

func (a *API) notificationPolicyV1(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	p, err := a.Social.NotificationPolicy(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.NotificationPolicyV1(p))
}

// updateNotificationPolicyV1 takes the v1 flags: true filters, false accepts.
func (a *API) updateNotificationPolicyV1(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:notifications")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	c := social.PolicyChange{}
	for key, dst := range map[string]**model.Policy{"filter_not_following": &c.ForNotFollowing, "filter_not_followers": &c.ForNotFollowers,
		"filter_new_accounts": &c.ForNewAccounts, "filter_private_mentions": &c.ForPrivateMentions} {
		if !p.Has(key) {
			continue
		}
		filter, err := p.Bool(key, false)
		if err != nil {
			return err
		}
		v := model.PolicyAccept
		if filter {
			v = model.PolicyFilter
		}
		*dst = &v
	}
	view, err := a.Social.UpdateNotificationPolicy(r.Context(), auth.Account, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.NotificationPolicyV1(view))
}

func (a *API) notificationRequests(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, err := a.Social.NotificationRequests(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		httpx.SetLinks(w, r, a.Config.BaseURL(), list[0].ID, list[len(list)-1].ID)
	}
	return httpx.OK(w, a.render.NotificationRequests(list))
}

func (a *API) notificationRequest(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	rid, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := a.Social.NotificationRequest(r.Context(), auth.Account, rid)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.NotificationRequest(v))
}

// answerRequest serves accept and dismiss of one request by its {id}.
func (a *API) answerRequest(answer func(context.Context, *model.Account, int64) error) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:notifications")
		if err != nil {
			return err
		}
		rid, err := pathID(r)
		if err != nil {
			return err
		}
		if err := answer(r.Context(), auth.Account, rid); err != nil {
			return err
		}
		return httpx.OK(w, struct{}{})
	}
}

// answerRequests serves accept and dismiss of the requests listed in id[].
func (a *API) answerRequests(answer func(context.Context, *model.Account, []int64) error) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:notifications")
		if err != nil {
			return err
		}
		p, err := httpx.ParseParams(w, r)
		if err != nil {
			return err
		}
		var ids []int64
		for _, raw := range p.List("id") {
			if v, ok := id.Parse(raw); ok {
				ids = append(ids, v)
			}
		}
		if err := answer(r.Context(), auth.Account, ids); err != nil {
			return err
		}
		return httpx.OK(w, struct{}{})
	}
}

func (a *API) notificationRequestsMerged(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	merged, err := a.Social.NotificationRequestsMerged(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]bool{"merged": merged})
}
