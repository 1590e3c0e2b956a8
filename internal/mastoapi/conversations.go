package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) conversations(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.Conversations(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	if len(list) > 0 {
		// Conversations page by their last status, as Mastodon's do.
		httpx.SetLinks(w, r, a.Config.BaseURL(), list[0].LastStatusID, list[len(list)-1].LastStatusID)
	}
	return httpx.OK(w, a.render.Conversations(list))
}

func (a *API) deleteConversation(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:conversations")
	if err != nil {
		return err
	}
	cid, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteConversation(r.Context(), auth.Account, cid); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) readConversation(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:conversations")
	if err != nil {
		return err
	}
	cid, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := a.Social.ReadConversation(r.Context(), auth.Account, cid)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Conversation(v))
}

func (a *API) directTimeline(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.Direct(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, true))
}

func (a *API) markers(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	markers, err := a.Social.Markers(r.Context(), auth.Account, knownTimelines(p.List("timeline")))
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Markers(markers))
}

// knownTimelines keeps the timeline names Mastodon keeps markers for.
func knownTimelines(names []string) []string {
	var out []string
	for _, n := range names {
		for _, known := range social.MarkerTimelines {
			if n == known {
				out = append(out, n)
			}
		}
	}
	return out
}

func (a *API) saveMarkers(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	positions := map[string]int64{}
	for _, timeline := range social.MarkerTimelines {
		key := timeline + "[last_read_id]"
		if !p.Has(key) {
			continue
		}
		v, ok := id.Parse(p.Get(key))
		if !ok {
			return httpx.Unprocessable("Validation failed: %s must be an id", key)
		}
		positions[timeline] = v
	}
	markers, err := a.Social.SaveMarkers(r.Context(), auth.Account, positions)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Markers(markers))
}

func (a *API) preferences(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	prefs, err := a.Social.Preferences(r.Context(), auth.User)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Preferences(prefs))
}
