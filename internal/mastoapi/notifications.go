package mastoapi

import (
	"errors"
	"net/http"
	"slices"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/store"
)

// notificationTypes are the types tusk creates; others are accepted in filters and
// simply match nothing, as Mastodon ignores types it has no notifications of.
var notificationTypes = []string{"mention", "status", "reblog", "follow", "follow_request", "favourite",
	"poll", "update", "admin.sign_up", "admin.report", "severed_relationships", "moderation_warning", "quote", "quoted_update"}

func (a *API) notifications(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 40, 80)
	if err != nil {
		return err
	}
	f, err := notificationFilter(p)
	if err != nil {
		return err
	}
	list, err := a.Social.Notifications(r.Context(), auth.Account, f, page)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		httpx.SetLinks(w, r, a.Config.BaseURL(), list[0].ID, list[len(list)-1].ID)
	}
	return httpx.OK(w, a.render.Notifications(list))
}

// notificationFilter reads types[], exclude_types[], account_id and include_filtered.
func notificationFilter(p httpx.Params) (store.NotificationFilter, error) {
	f := store.NotificationFilter{Types: p.List("types"), ExcludeTypes: p.List("exclude_types")}
	for _, t := range append(slices.Clone(f.Types), f.ExcludeTypes...) {
		if !slices.Contains(notificationTypes, t) {
			return f, httpx.Unprocessable("Validation failed: %q is not a notification type", t)
		}
	}
	if raw := p.Get("account_id"); raw != "" {
		f.FromAccountID, _ = id.Parse(raw)
	}
	var err error
	f.IncludeFiltered, err = p.Bool("include_filtered", false)
	return f, err
}

func (a *API) notification(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:notifications")
	if err != nil {
		return err
	}
	nid, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := a.Social.Notification(r.Context(), auth.Account, nid)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Notification(n))
}

func (a *API) clearNotifications(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:notifications")
	if err != nil {
		return err
	}
	if err := a.Store.Writer().ClearNotifications(r.Context(), auth.Account.ID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) dismissNotification(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:notifications")
	if err != nil {
		return err
	}
	nid, err := pathID(r)
	if err != nil {
		return err
	}
	err = a.Store.Writer().DismissNotification(r.Context(), auth.Account.ID, nid)
	if errors.Is(err, store.ErrNotFound) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}
