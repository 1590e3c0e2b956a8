package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
)

func (a *API) scheduledStatuses(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.ScheduledStatuses(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	cursors := make([]int64, len(list))
	for i, s := range list {
		cursors[i] = s.ID
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.ScheduledStatuses(list))
}

func (a *API) getScheduledStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	schedID, err := pathID(r)
	if err != nil {
		return err
	}
	sched, err := a.Social.ScheduledStatus(r.Context(), auth.Account, schedID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.ScheduledStatus(sched))
}

func (a *API) rescheduleStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	schedID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	at, err := scheduledTime(p.Get("scheduled_at"))
	if err != nil {
		return err
	}
	sched, err := a.Social.Reschedule(r.Context(), auth.Account, schedID, at)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.ScheduledStatus(sched))
}

func (a *API) cancelScheduledStatus(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	schedID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.CancelScheduled(r.Context(), auth.Account, schedID); err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{})
}
