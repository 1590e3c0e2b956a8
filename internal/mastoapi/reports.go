package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) fileReport(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:reports")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	params, err := reportParams(p)
	if err != nil {
		return err
	}
	rep, target, err := a.Social.Report(r.Context(), auth.Account, params)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Report(rep, target))
}

func reportParams(p httpx.Params) (social.ReportParams, error) {
	target, ok := id.Parse(p.Get("account_id"))
	if !ok {
		return social.ReportParams{}, httpx.ErrNotFound
	}
	forward, err := p.Bool("forward", false)
	if err != nil {
		return social.ReportParams{}, err
	}
	out := social.ReportParams{TargetID: target, Comment: p.Get("comment"), Category: p.Get("category"), Forward: forward}
	if out.StatusIDs, err = reportIDs(p, "status_ids"); err != nil {
		return out, err
	}
	out.RuleIDs, err = reportIDs(p, "rule_ids")
	return out, err
}

// reportIDs reads key[] as ids; a malformed one cannot name a record, so it is a 404.
func reportIDs(p httpx.Params, key string) ([]int64, error) {
	var out []int64
	for _, raw := range p.List(key) {
		if raw == "" {
			continue
		}
		v, ok := id.Parse(raw)
		if !ok {
			return nil, httpx.ErrNotFound
		}
		out = append(out, v)
	}
	return out, nil
}
