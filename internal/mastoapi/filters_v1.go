package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/social"
)

// Mastodon's first filter API, which it still serves: each filter there is one keyword.

func (a *API) getV1Filters(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	filters, err := a.Social.V1Filters(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.V1Filters(filters))
}

func (a *API) getV1Filter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	f, err := a.Social.V1Filter(r.Context(), auth.Account, keywordID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.V1Filter(f))
}

func (a *API) createV1Filter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	c, err := v1FilterChange(w, r)
	if err != nil {
		return err
	}
	f, err := a.Social.CreateV1Filter(r.Context(), auth.Account, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.V1Filter(f))
}

func (a *API) updateV1Filter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := v1FilterChange(w, r)
	if err != nil {
		return err
	}
	f, err := a.Social.UpdateV1Filter(r.Context(), auth.Account, keywordID, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.V1Filter(f))
}

func (a *API) deleteV1Filter(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:filters")
	if err != nil {
		return err
	}
	keywordID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteV1Filter(r.Context(), auth.Account, keywordID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

// v1FilterChange reads phrase, context[], irreversible, whole_word and expires_in.
func v1FilterChange(w http.ResponseWriter, r *http.Request) (social.V1FilterChange, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return social.V1FilterChange{}, err
	}
	c := social.V1FilterChange{Phrase: p.Get("phrase"), Context: contextParam(p)}
	if c.Irreversible, err = optBool(p, "irreversible"); err != nil {
		return c, err
	}
	if c.WholeWord, err = optBool(p, "whole_word"); err != nil {
		return c, err
	}
	c.Expiry, err = expiryParam(p)
	return c, err
}
