package mastoapi

import (
	"net/http"
	"slices"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/social"
)

// maxGroupKeyLength bounds the {group_key} path value; tusk's keys are far shorter.
const maxGroupKeyLength = 100

// groupQuery reads the grouped list's filters and grouped_types[] (default: every
// groupable type; types Mastodon cannot group are ignored).
func groupQuery(p httpx.Params) (social.GroupQuery, error) {
	f, err := notificationFilter(p)
	if err != nil {
		return social.GroupQuery{}, err
	}
	gq := social.GroupQuery{NotificationFilter: f, Grouped: social.GroupableTypes}
	if p.Has("grouped_types[]") || p.Has("grouped_types") {
		gq.Grouped = nil
		for _, t := range p.List("grouped_types") {
			if slices.Contains(social.GroupableTypes, t) && !slices.Contains(gq.Grouped, t) {
				gq.Grouped = append(gq.Grouped, t)
			}
		}
	}
	return gq, nil
}

func (a *API) groupedNotifications(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 40, 80)
	if err != nil {
		return err
	}
	gq, err := groupQuery(p)
	if err != nil {
		return err
	}
	partial, err := expandAccounts(p)
	if err != nil {
		return err
	}
	res, err := a.Social.NotificationGroups(r.Context(), auth.Account, gq, page)
	if err != nil {
		return err
	}
	httpx.SetLinks(w, r, a.Config.BaseURL(), res.Newest, res.Oldest)
	return httpx.OK(w, a.render.GroupedNotifications(res.Groups, partial))
}

// expandAccounts reads expand_accounts: full (default) or partial_avatars.
func expandAccounts(p httpx.Params) (partial bool, err error) {
	switch p.Get("expand_accounts") {
	case "", "full":
		return false, nil
	case "partial_avatars":
		return true, nil
	}
	return false, httpx.Unprocessable("Validation failed: expand_accounts must be full or partial_avatars")
}

// groupKey reads the {group_key} path value; an impossible one is a missing group.
func groupKey(r *http.Request) (string, error) {
	key := r.PathValue("group_key")
	if key == "" || len(key) > maxGroupKeyLength {
		return "", httpx.ErrNotFound
	}
	return key, nil
}

func (a *API) notificationGroup(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	key, err := groupKey(r)
	if err != nil {
		return err
	}
	g, err := a.Social.NotificationGroup(r.Context(), auth.Account, key)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.GroupedNotifications([]*social.NotificationGroupView{g}, false))
}

func (a *API) dismissNotificationGroup(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:notifications")
	if err != nil {
		return err
	}
	key, err := groupKey(r)
	if err != nil {
		return err
	}
	if err := a.Social.DismissNotificationGroup(r.Context(), auth.Account, key); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) notificationGroupAccounts(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	key, err := groupKey(r)
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	accounts, cursors, err := a.Social.NotificationGroupAccounts(r.Context(), auth.Account, key, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Accounts(accounts))
}

// unreadCount serves both versions: v1 counts notifications, v2 counts groups.
func (a *API) unreadCount(grouped bool) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "read:notifications")
		if err != nil {
			return err
		}
		p, err := httpx.ParseParams(w, r)
		if err != nil {
			return err
		}
		limit, err := p.Int("limit", social.UnreadCountDefault, 1, 1<<31-1)
		if err != nil {
			return err
		}
		limit = min(limit, social.UnreadCountMax)
		gq, err := groupQuery(p)
		if err != nil {
			return err
		}
		var n int
		if grouped {
			n, err = a.Social.UnreadNotificationGroups(r.Context(), auth.Account, gq, limit)
		} else {
			n, err = a.Social.UnreadNotifications(r.Context(), auth.Account, gq.NotificationFilter, limit)
		}
		if err != nil {
			return err
		}
		return httpx.OK(w, map[string]int{"count": n})
	}
}
