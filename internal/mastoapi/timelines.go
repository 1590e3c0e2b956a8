package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/store"
)

func (a *API) homeTimeline(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.Home(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, true))
}

func (a *API) publicTimeline(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 20, 40)
	if err != nil {
		return err
	}
	sc, err := scopeParams(p)
	if err != nil {
		return err
	}
	list, err := a.Social.Public(r.Context(), v, sc, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}

func (a *API) tagTimeline(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 20, 40)
	if err != nil {
		return err
	}
	sc, err := scopeParams(p)
	if err != nil {
		return err
	}
	f := store.TagFilter{Any: append([]string{r.PathValue("hashtag")}, p.List("any")...), All: p.List("all"), None: p.List("none"), Scope: sc}
	list, err := a.Social.Tag(r.Context(), v, f, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}

// scopeParams reads local, remote and only_media.
func scopeParams(p httpx.Params) (store.Scope, error) {
	var sc store.Scope
	var err error
	for key, dst := range map[string]*bool{"local": &sc.Local, "remote": &sc.Remote, "only_media": &sc.OnlyMedia} {
		if *dst, err = p.Bool(key, false); err != nil {
			return sc, err
		}
	}
	return sc, nil
}
