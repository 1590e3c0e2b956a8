package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) getProfile(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "profile")
	if err != nil {
		return err
	}
	v, err := a.Social.Profile(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Profile(v))
}

func (a *API) updateProfile(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	if err := readUploads(w, r, maxProfileUploadBody); err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	upd, err := profileUpdate(p)
	if err != nil {
		return err
	}
	if err := profileImages(r, p, &upd); err != nil {
		return err
	}
	su, err := settingsUpdate(p)
	if err != nil {
		return err
	}
	acc, u := *auth.Account, *auth.User
	v, err := a.Social.UpdateFullProfile(r.Context(), &acc, &u, upd, su)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Profile(v))
}

func settingsUpdate(p httpx.Params) (social.SettingsUpdate, error) {
	var su social.SettingsUpdate
	su.AvatarDescription = optString(p, "avatar_description")
	su.HeaderDescription = optString(p, "header_description")
	bools := map[string]**bool{"show_media": &su.ShowMedia, "show_media_replies": &su.ShowMediaReplies,
		"show_featured": &su.ShowFeatured, "hide_collections": &su.HideCollections, "indexable": &su.Indexable}
	for key, dst := range bools {
		v, err := optBool(p, key)
		if err != nil {
			return su, err
		}
		*dst = v
	}
	if p.Has("attribution_domains[]") || p.Has("attribution_domains") {
		domains := p.List("attribution_domains")
		su.AttributionDomains = &domains
	}
	return su, nil
}

func (a *API) clearProfileImage(which string) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:accounts")
		if err != nil {
			return err
		}
		acc, err := a.Social.ClearProfileImage(r.Context(), auth.Account, which)
		if err != nil {
			return err
		}
		return a.renderCredentials(w, r, acc, auth.User)
	}
}
