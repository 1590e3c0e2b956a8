package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:search")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	sp, err := searchParams(p)
	if err != nil {
		return err
	}
	resolve, err := p.Bool("resolve", false)
	if err != nil {
		return err
	}
	if v == nil && (sp.Offset > 0 || resolve) {
		return httpx.ErrUnauthorized // Mastodon allows anonymous search only without offset or resolve
	}
	sp.Resolve = resolve
	res, err := a.Social.Search(r.Context(), v, sp)
	if err != nil {
		return err
	}
	tags, err := a.renderTags(r, v, res.Hashtags)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"accounts": a.render.Accounts(res.Accounts),
		"statuses": a.render.Statuses(res.Statuses, v != nil), "hashtags": tags})
}

func searchParams(p httpx.Params) (social.SearchParams, error) {
	sp := social.SearchParams{Query: p.Get("q"), Type: p.Get("type")}
	switch sp.Type {
	case "", "accounts", "hashtags", "statuses":
	default:
		return sp, httpx.Unprocessable("Validation failed: type must be accounts, hashtags or statuses")
	}
	var err error
	if sp.Limit, err = p.Int("limit", 20, 1, 1<<30); err != nil {
		return sp, err
	}
	sp.Limit = min(sp.Limit, 40)
	if sp.Offset, err = p.Int("offset", 0, 0, 10000); err != nil {
		return sp, err
	}
	if sp.FollowingOnly, err = p.Bool("following", false); err != nil {
		return sp, err
	}
	if raw := p.Get("account_id"); raw != "" {
		sp.AccountID, _ = id.Parse(raw)
	}
	return sp, nil
}

// renderTags renders hashtags with their history and, for a signed-in viewer, whether
// the viewer follows and features each.
func (a *API) renderTags(r *http.Request, v *model.Account, tags []*model.Tag) ([]entity.Tag, error) {
	views, err := a.Social.TagViews(r.Context(), v, tags)
	if err != nil {
		return nil, err
	}
	return a.render.TagViews(views), nil
}

func (a *API) getTag(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	t, err := a.Social.TagInfo(r.Context(), v, r.PathValue("name"))
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.TagView(t))
}
