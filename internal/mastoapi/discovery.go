package mastoapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/store"
)

// offsetWindow reads limit (defaulting to def, capped at max as Mastodon caps) and offset.
func offsetWindow(p httpx.Params, def, max int) (limit, offset int, err error) {
	if limit, err = p.Int("limit", def, 1, 1<<30); err != nil {
		return 0, 0, err
	}
	offset, err = p.Int("offset", 0, 0, 1<<20)
	return min(limit, max), offset, err
}

// requestOffsetWindow parses the request and reads its limit and offset as offsetWindow does.
func requestOffsetWindow(w http.ResponseWriter, r *http.Request, def, max int) (limit, offset int, err error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return 0, 0, err
	}
	return offsetWindow(p, def, max)
}

// offsetLinks sets the Link header of an offset-paged list: next when the page was full,
// prev when it did not start at the beginning.
func (a *API) offsetLinks(w http.ResponseWriter, r *http.Request, limit, offset, got int) {
	link := func(rel string, at int) string {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("offset", strconv.Itoa(at))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, a.Config.BaseURL(), r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if got == limit {
		links = append(links, link("next", offset+limit))
	}
	if offset > 0 {
		links = append(links, link("prev", max(offset-limit, 0)))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
}

func (a *API) trendingTags(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read")
	if err != nil {
		return err
	}
	limit, offset, err := requestOffsetWindow(w, r, 10, 20)
	if err != nil {
		return err
	}
	list, err := a.Social.TrendingTags(r.Context(), v, limit, offset)
	if err != nil {
		return err
	}
	a.offsetLinks(w, r, limit, offset, len(list))
	return httpx.OK(w, a.render.TagViews(list))
}

func (a *API) trendingStatuses(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	limit, offset, err := requestOffsetWindow(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.TrendingStatuses(r.Context(), v, limit, offset)
	if err != nil {
		return err
	}
	a.offsetLinks(w, r, limit, offset, len(list))
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}

// suggestionLimit reads the suggestions' limit: 40 by default, at most 80.
func suggestionLimit(w http.ResponseWriter, r *http.Request) (int, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return 0, err
	}
	limit, _, err := offsetWindow(p, 40, 80)
	return limit, err
}

func (a *API) suggestionsV2(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	limit, err := suggestionLimit(w, r)
	if err != nil {
		return err
	}
	list, err := a.Social.Suggestions(r.Context(), auth.Account, limit)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Suggestions(list))
}

func (a *API) suggestionsV1(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	limit, err := suggestionLimit(w, r)
	if err != nil {
		return err
	}
	list, err := a.Social.Suggestions(r.Context(), auth.Account, limit)
	if err != nil {
		return err
	}
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = a.render.Account(s.Account)
	}
	return httpx.OK(w, out)
}

func (a *API) dismissSuggestion(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	target, ok := id.Parse(r.PathValue("account_id"))
	if !ok {
		return httpx.ErrNotFound
	}
	if err := a.Social.DismissSuggestion(r.Context(), auth.Account, target); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) directory(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	limit, offset, err := offsetWindow(p, 40, 80)
	if err != nil {
		return err
	}
	local, err := p.Bool("local", false)
	if err != nil {
		return err
	}
	order := store.DirectoryOrder(p.Get("order"))
	switch order {
	case "":
		order = store.DirectoryActive
	case store.DirectoryActive, store.DirectoryNew:
	default:
		return httpx.Unprocessable("Validation failed: order must be active or new")
	}
	list, err := a.Social.Directory(r.Context(), order, local, limit, offset)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) announcements(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read")
	if err != nil {
		return err
	}
	list, err := a.Social.Announcements(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Announcements(list))
}

func (a *API) dismissAnnouncement(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	announcementID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DismissAnnouncement(r.Context(), auth.Account, announcementID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) announcementReaction(add bool) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:favourites")
		if err != nil {
			return err
		}
		announcementID, err := pathID(r)
		if err != nil {
			return err
		}
		if err := a.Social.ReactToAnnouncement(r.Context(), auth.Account, announcementID, r.PathValue("name"), add); err != nil {
			return err
		}
		return httpx.OK(w, struct{}{})
	}
}
