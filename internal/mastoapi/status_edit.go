package mastoapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/social"
)

// pollParams reads poll[options][], poll[expires_in], poll[multiple] and poll[hide_totals];
// nil when the request has no poll.
func pollParams(p httpx.Params) (*model.PollParams, error) {
	options := p.List("poll[options]")
	if len(options) == 0 {
		return nil, nil
	}
	out := &model.PollParams{Options: options}
	if raw := p.Get("poll[expires_in]"); raw != "" {
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil || n < 0 || n > 1e9 {
			return nil, httpx.Unprocessable("Validation failed: Poll expires at is invalid")
		}
		out.ExpiresIn = int(n)
	}
	var err error
	if out.Multiple, err = p.Bool("poll[multiple]", false); err != nil {
		return nil, err
	}
	out.HideTotals, err = p.Bool("poll[hide_totals]", false)
	return out, err
}

// scheduledTime reads a scheduled_at timestamp.
func scheduledTime(raw string) (time.Time, error) {
	at, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return at, httpx.Unprocessable("Validation failed: Scheduled at is not a valid time")
	}
	return at, nil
}

func (a *API) scheduleStatus(w http.ResponseWriter, r *http.Request, auth *oauth.Auth, params social.PostParams, raw string) error {
	at, err := scheduledTime(raw)
	if err != nil {
		return err
	}
	sched, err := a.Social.Schedule(r.Context(), auth.Account, auth.User, params, at)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.ScheduledStatus(sched))
}

func (a *API) editStatus(w http.ResponseWriter, r *http.Request) error {
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
	params, err := editParams(p)
	if err != nil {
		return err
	}
	st, err := a.Social.Edit(r.Context(), auth.Account, statusID, params)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, auth.Account, st)
}

func editParams(p httpx.Params) (social.EditParams, error) {
	sensitive, err := optBool(p, "sensitive")
	if err != nil {
		return social.EditParams{}, err
	}
	out := social.EditParams{Text: p.Get("status"), SpoilerText: p.Get("spoiler_text"), Sensitive: sensitive, Language: p.Get("language")}
	if out.MediaIDs, err = mediaIDs(p); err != nil {
		return out, err
	}
	out.Poll, err = pollParams(p)
	return out, err
}

func (a *API) statusHistory(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	versions, err := a.Social.History(r.Context(), v, statusID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.StatusEdits(versions))
}

func (a *API) statusSource(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := a.Social.Source(r.Context(), auth.Account, statusID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Source(st))
}

// statusesByID serves GET /api/v1/statuses?id[]=…: the visible ones, in the order asked.
func (a *API) statusesByID(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	var ids []int64
	for _, raw := range p.List("id") {
		if n, ok := id.Parse(raw); ok {
			ids = append(ids, n)
		}
	}
	list, err := a.Social.StatusesByIDs(r.Context(), v, ids)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}

// translateStatus answers as Mastodon does on a server without a translation service
// (instance configuration.translation.enabled is false): the status is not translatable,
// which Mastodon reports as a missing record, after the usual visibility check.
func (a *API) translateStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.Social.VisibleStatus(r.Context(), auth.Account, statusID); err != nil {
		return err
	}
	return httpx.ErrNotFound
}
