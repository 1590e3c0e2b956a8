package mastoapi

import (
	"net/http"
	"strconv"

	"github.com/tuskhq/tusk/internal/httpx"
)

func (a *API) getPoll(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	pollID, err := pathID(r)
	if err != nil {
		return err
	}
	poll, err := a.Social.Poll(r.Context(), v, pollID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Poll(poll, v != nil))
}

func (a *API) votePoll(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	pollID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	choices, err := voteChoices(p)
	if err != nil {
		return err
	}
	poll, err := a.Social.Vote(r.Context(), auth.Account, pollID, choices)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Poll(poll, true))
}

// voteChoices reads choices[]: option indexes. Mastodon requires the parameter (400)
// and refuses an index that is not an option (422).
func voteChoices(p httpx.Params) ([]int, error) {
	raw := p.List("choices")
	if len(raw) == 0 {
		return nil, httpx.BadRequest("param is missing or the value is empty: choices")
	}
	out := make([]int, len(raw))
	for i, s := range raw {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, httpx.Unprocessable("Validation failed: The chosen vote option does not exist")
		}
		out[i] = n
	}
	return out, nil
}
