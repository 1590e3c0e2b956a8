// Package mastoapi serves Mastodon's client API over the social domain layer. Handlers
// parse the request, call one domain function and render the entity; nothing else.
package mastoapi

import (
	"log/slog"
	"net/http"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

// API is the Mastodon client API.
type API struct {
	Social *social.Service
	Store  *store.Store
	Config config.Config
	Log    *slog.Logger
	render entity.Renderer
}

// New builds the API.
func New(svc *social.Service, st *store.Store, cfg config.Config, log *slog.Logger) *API {
	return &API{Social: svc, Store: st, Config: cfg, Log: log, render: entity.Renderer{Config: cfg, Emojis: svc.Emojis, Media: svc.Media}}
}

// Routes registers every endpoint on mux: the whole surface, on one screen.
func (a *API) Routes(mux *http.ServeMux) {
	var h route = func(pattern string, fn httpx.Handler) { mux.Handle(pattern, httpx.Serve(a.Log, fn)) }
	h("GET /api/v1/instance", a.instanceV1)
	h("GET /api/v2/instance", a.instanceV2)

	h("GET /api/v1/accounts/verify_credentials", a.verifyCredentials)
	h("PATCH /api/v1/accounts/update_credentials", a.updateCredentials)
	h("GET /api/v1/accounts/lookup", a.lookupAccount)
	h("GET /api/v1/accounts/search", a.searchAccounts)
	h("GET /api/v1/accounts/relationships", a.relationships)
	h("GET /api/v1/accounts/{id}", a.getAccount)
	h("GET /api/v1/accounts/{id}/statuses", a.accountStatuses)
	h("GET /api/v1/accounts/{id}/followers", a.followers)
	h("GET /api/v1/accounts/{id}/following", a.following)
	h("GET /api/v1/accounts/{id}/identity_proofs", a.identityProofs)
	h("POST /api/v1/accounts/{id}/follow", a.follow)
	h("POST /api/v1/accounts/{id}/unfollow", a.unfollow)
	h("GET /api/v1/follow_requests", a.followRequests)
	h("POST /api/v1/follow_requests/{id}/authorize", a.authorizeFollowRequest)
	h("POST /api/v1/follow_requests/{id}/reject", a.rejectFollowRequest)

	h("POST /api/v1/statuses", a.postStatus)
	h("GET /api/v1/statuses/{id}", a.getStatus)
	h("DELETE /api/v1/statuses/{id}", a.deleteStatus)
	h("GET /api/v1/statuses/{id}/context", a.statusContext)
	h("POST /api/v1/statuses/{id}/favourite", a.statusAction(a.Social.Favourite, "write:favourites"))
	h("POST /api/v1/statuses/{id}/unfavourite", a.statusAction(a.Social.Unfavourite, "write:favourites"))
	h("POST /api/v1/statuses/{id}/bookmark", a.statusAction(a.Social.Bookmark, "write:bookmarks"))
	h("POST /api/v1/statuses/{id}/unbookmark", a.statusAction(a.Social.Unbookmark, "write:bookmarks"))
	h("POST /api/v1/statuses/{id}/reblog", a.reblog)
	h("POST /api/v1/statuses/{id}/unreblog", a.statusAction(a.Social.Unreblog, "write:statuses"))
	h("GET /api/v1/statuses/{id}/favourited_by", a.statusActors(store.Favourites))
	h("GET /api/v1/statuses/{id}/reblogged_by", a.statusActors(store.Reblogs))
	h("GET /api/v1/favourites", a.marked(store.Favourites, "read:favourites"))
	h("GET /api/v1/bookmarks", a.marked(store.Bookmarks, "read:bookmarks"))

	h("GET /api/v1/timelines/home", a.homeTimeline)
	h("GET /api/v1/timelines/public", a.publicTimeline)
	h("GET /api/v1/timelines/tag/{hashtag}", a.tagTimeline)

	h("GET /api/v1/notifications", a.notifications)
	h("GET /api/v1/notifications/{id}", a.notification)
	h("POST /api/v1/notifications/clear", a.clearNotifications)
	h("POST /api/v1/notifications/{id}/dismiss", a.dismissNotification)

	h("GET /api/v2/search", a.search)
	h("GET /api/v1/tags/{name}", a.getTag)

	// Each area below registers its own routes from its own file.
	a.relationshipRoutes(h)
	a.statusEditRoutes(h)
	a.listAndFilterRoutes(h)
	a.notificationGroupRoutes(h)
	a.discoveryRoutes(h)
	a.instanceInfoRoutes(h)
	a.portabilityRoutes(h)
	a.profileExtraRoutes(h)
	a.mediaRoutes(h)
}

// route registers one endpoint.
type route func(pattern string, fn httpx.Handler)

// pathID reads the {id} path value; a malformed id is a missing record.
func pathID(r *http.Request) (int64, error) {
	v, ok := id.Parse(r.PathValue("id"))
	if !ok {
		return 0, httpx.ErrNotFound
	}
	return v, nil
}

// viewer is the signed-in account, or nil; a token without the scope is refused.
func viewer(r *http.Request, scope string) (*model.Account, error) {
	auth, err := oauth.Optional(r, scope)
	if err != nil || auth == nil {
		return nil, err
	}
	return auth.Account, nil
}

// member is the signed-in member, required, with the scope.
func member(r *http.Request, scope string) (*oauth.Auth, error) {
	return oauth.RequireUser(r, scope)
}

// statusLinks sets the Link header for a page of statuses.
func (a *API) statusLinks(w http.ResponseWriter, r *http.Request, list []*social.StatusView) {
	if len(list) > 0 {
		httpx.SetLinks(w, r, a.Config.BaseURL(), list[0].ID, list[len(list)-1].ID)
	}
}

// cursorLinks sets the Link header for a page whose cursors are not the entities' ids.
func (a *API) cursorLinks(w http.ResponseWriter, r *http.Request, cursors []int64) {
	if len(cursors) > 0 {
		httpx.SetLinks(w, r, a.Config.BaseURL(), cursors[0], cursors[len(cursors)-1])
	}
}
