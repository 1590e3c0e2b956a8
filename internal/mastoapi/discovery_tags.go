package mastoapi

import (
	"context"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// tagAction is a hashtag endpoint that changes the member's relation to the tag named in
// the path and answers with the tag.
func (a *API) tagAction(w http.ResponseWriter, r *http.Request, scope, param string,
	action func(ctx context.Context, viewer *model.Account, name string) (*social.TagView, error)) error {
	auth, err := member(r, scope)
	if err != nil {
		return err
	}
	v, err := action(r.Context(), auth.Account, r.PathValue(param))
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.TagView(v))
}

func (a *API) followTag(w http.ResponseWriter, r *http.Request) error {
	return a.tagAction(w, r, "write:follows", "name", a.Social.FollowTag)
}

func (a *API) unfollowTag(w http.ResponseWriter, r *http.Request) error {
	return a.tagAction(w, r, "write:follows", "name", a.Social.UnfollowTag)
}

func (a *API) featureTagByPath(w http.ResponseWriter, r *http.Request) error {
	return a.tagAction(w, r, "write:accounts", "id", a.Social.FeatureTagByPath)
}

func (a *API) unfeatureTagByPath(w http.ResponseWriter, r *http.Request) error {
	return a.tagAction(w, r, "write:accounts", "id", a.Social.UnfeatureTagByPath)
}

func (a *API) followedTags(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:follows")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 100, 200)
	if err != nil {
		return err
	}
	list, cursors, err := a.Social.FollowedTags(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.TagViews(list))
}

func (a *API) featuredTags(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	list, err := a.Social.FeaturedTags(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FeaturedTags(auth.Account, list))
}

func (a *API) featureTag(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	f, err := a.Social.FeatureTag(r.Context(), auth.Account, p.Get("name"))
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FeaturedTags(auth.Account, []*model.FeaturedTag{f})[0])
}

func (a *API) unfeatureTag(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	featuredID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.UnfeatureTag(r.Context(), auth.Account, featuredID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) featuredTagSuggestions(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	list, err := a.Social.FeaturedTagSuggestions(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.TagViews(list))
}

func (a *API) accountFeaturedTags(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	acc, err := a.accountByPath(r)
	if err != nil {
		return err
	}
	list, err := a.Social.AccountFeaturedTags(r.Context(), acc.ID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.FeaturedTags(acc, list))
}
