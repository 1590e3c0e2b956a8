package mastoapi

import (
	"context"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) postStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	params, err := postParams(p, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	if auth.App != nil {
		params.ApplicationID = &auth.App.ID
	}
	if p.Get("scheduled_at") != "" {
		return a.scheduleStatus(w, r, auth, params, p.Get("scheduled_at"))
	}
	st, err := a.Social.Post(r.Context(), auth.Account, auth.User, params)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, auth.Account, st)
}

func postParams(p httpx.Params, idempotencyKey string) (social.PostParams, error) {
	sensitive, err := optBool(p, "sensitive")
	if err != nil {
		return social.PostParams{}, err
	}
	out := social.PostParams{Text: p.Get("status"), SpoilerText: p.Get("spoiler_text"), Sensitive: sensitive,
		Visibility: model.Visibility(p.Get("visibility")), Language: p.Get("language"), IdempotencyKey: idempotencyKey}
	if raw := p.Get("in_reply_to_id"); raw != "" {
		v, ok := id.Parse(raw)
		if !ok {
			return out, httpx.ErrNotFound
		}
		out.InReplyToID = v
	}
	if out.MediaIDs, err = mediaIDs(p); err != nil {
		return out, err
	}
	if err := quoteParams(p, &out); err != nil {
		return out, err
	}
	out.Poll, err = pollParams(p)
	return out, err
}

func (a *API) renderStatus(w http.ResponseWriter, r *http.Request, v *model.Account, st *model.Status) error {
	view, err := a.Social.View(r.Context(), v, st)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Status(view, v != nil))
}

func (a *API) getStatus(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := a.Social.VisibleStatus(r.Context(), v, statusID)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, v, st)
}

func (a *API) deleteStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	// Hydrate before deleting: afterwards the mentions and tags are gone.
	st, err := a.Social.VisibleStatus(r.Context(), auth.Account, statusID)
	if err != nil {
		return err
	}
	view, err := a.Social.View(r.Context(), auth.Account, st)
	if err != nil {
		return err
	}
	if _, err := a.Social.Delete(r.Context(), auth.Account, statusID); err != nil {
		return err
	}
	return httpx.OK(w, a.render.WithSource(view, true))
}

func (a *API) statusContext(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	up, down, err := a.Social.Context(r.Context(), v, statusID)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"ancestors": a.render.Statuses(up, v != nil), "descendants": a.render.Statuses(down, v != nil)})
}

// statusAction serves the endpoints that apply one domain action to a status and
// answer with the status.
func (a *API) statusAction(action func(ctx context.Context, actor *model.Account, statusID int64) (*model.Status, error), scope string) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, scope)
		if err != nil {
			return err
		}
		statusID, err := pathID(r)
		if err != nil {
			return err
		}
		st, err := action(r.Context(), auth.Account, statusID)
		if err != nil {
			return err
		}
		return a.renderStatus(w, r, auth.Account, st)
	}
}

func (a *API) reblog(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	vis := model.Visibility(p.Get("visibility"))
	if vis != "" && !vis.Valid() {
		return httpx.Unprocessable("Validation failed: Visibility is not included in the list")
	}
	boost, err := a.Social.Reblog(r.Context(), auth.Account, statusID, vis)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, auth.Account, boost)
}

func (a *API) statusActors(kind string) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := viewer(r, "read:accounts")
		if err != nil {
			return err
		}
		statusID, err := pathID(r)
		if err != nil {
			return err
		}
		if _, err := a.Social.VisibleStatus(r.Context(), v, statusID); err != nil {
			return err
		}
		page, err := parsePage(w, r, 40, 80)
		if err != nil {
			return err
		}
		list, cursors, err := a.Store.StatusActors(r.Context(), kind, statusID, storePage(page))
		if err != nil {
			return err
		}
		a.cursorLinks(w, r, cursors)
		return httpx.OK(w, a.render.Accounts(list))
	}
}

func (a *API) marked(table, scope string) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, scope)
		if err != nil {
			return err
		}
		page, err := parsePage(w, r, 20, 40)
		if err != nil {
			return err
		}
		list, cursors, err := a.Social.Marked(r.Context(), auth.Account, table, page)
		if err != nil {
			return err
		}
		a.cursorLinks(w, r, cursors)
		return httpx.OK(w, a.render.Statuses(list, true))
	}
}
