package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/social"
)

// pathIDNamed reads an id path value; a malformed id is a missing record.
func pathIDNamed(r *http.Request, name string) (int64, error) {
	v, ok := id.Parse(r.PathValue(name))
	if !ok {
		return 0, httpx.ErrNotFound
	}
	return v, nil
}

// filterParts serves GET /api/v2/filters/{filter_id}/keywords and …/statuses. Go's router
// cannot hold /filters/{filter_id}/keywords beside /filters/keywords/{id} for one method
// (both match /filters/keywords/keywords, neither more specific), so the lists share one
// pattern that the more specific keywords/{id} and statuses/{id} take precedence over,
// as in Mastodon's routes.
func (a *API) filterParts(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	filterID, err := pathIDNamed(r, "filter_id")
	if err != nil {
		return err
	}
	part := r.PathValue("part")
	if part != "keywords" && part != "statuses" {
		return httpx.ErrNotFound
	}
	f, err := a.Social.Filter(r.Context(), auth.Account, filterID)
	if err != nil {
		return err
	}
	if part == "keywords" {
		return httpx.OK(w, a.render.FilterKeywords(f.Keywords))
	}
	return httpx.OK(w, a.render.FilterStatuses(f.Statuses))
}

func (a *API) addFilterKeyword(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	filterID, err := pathIDNamed(r, "filter_id")
	if err != nil {
		return err
	}
	kc, err := keywordParams(w, r)
	if err != nil {
		return err
	}
	if kc.Keyword == nil {
		kc.Keyword = new(string) // refused as blank
	}
	k, err := a.Social.AddFilterKeyword(r.Context(), auth.Account, filterID, kc)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FilterKeyword(k))
}

func keywordParams(w http.ResponseWriter, r *http.Request) (social.KeywordChange, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return social.KeywordChange{}, err
	}
	kc := social.KeywordChange{Keyword: optString(p, "keyword")}
	kc.WholeWord, err = optBool(p, "whole_word")
	return kc, err
}

func (a *API) getFilterKeyword(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	k, err := a.Social.FilterKeyword(r.Context(), auth.Account, keywordID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FilterKeyword(k))
}

func (a *API) updateFilterKeyword(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	kc, err := keywordParams(w, r)
	if err != nil {
		return err
	}
	kc.ID = keywordID
	k, err := a.Social.UpdateFilterKeyword(r.Context(), auth.Account, kc)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FilterKeyword(k))
}

func (a *API) deleteFilterKeyword(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteFilterKeyword(r.Context(), auth.Account, keywordID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) addFilterStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	filterID, err := pathIDNamed(r, "filter_id")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	statusID, ok := id.Parse(p.Get("status_id"))
	if !ok {
		return httpx.Unprocessable("Validation failed: Status must exist")
	}
	fs, err := a.Social.AddFilterStatus(r.Context(), auth.Account, filterID, statusID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FilterStatus(fs))
}

func (a *API) getFilterStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	entryID, err := pathID(r)
	if err != nil {
		return err
	}
	fs, err := a.Social.FilterStatus(r.Context(), auth.Account, entryID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FilterStatus(fs))
}

func (a *API) deleteFilterStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	entryID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteFilterStatus(r.Context(), auth.Account, entryID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}
