package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/social"
)

// quoteParams reads quoted_status_id and quote_approval_policy of a new status.
func quoteParams(p httpx.Params, out *social.PostParams) error {
	if raw := p.Get("quoted_status_id"); raw != "" {
		v, ok := id.Parse(raw)
		if !ok {
			return &httpx.Error{Code: http.StatusNotFound, Msg: "The post you are trying to quote does not appear to exist."}
		}
		out.QuotedStatusID = v
	}
	out.QuotePolicy = p.Get("quote_approval_policy")
	return nil
}

func (a *API) statusQuotes(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, cursors, err := a.Social.Quotes(r.Context(), auth.Account, statusID, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Statuses(list, true))
}

func (a *API) revokeQuote(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:statuses")
	if err != nil {
		return err
	}
	statusID, err := pathID(r)
	if err != nil {
		return err
	}
	quotingID, ok := id.Parse(r.PathValue("quoting_status_id"))
	if !ok {
		return httpx.ErrNotFound
	}
	st, err := a.Social.RevokeQuote(r.Context(), auth.Account, statusID, quotingID)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, auth.Account, st)
}

func (a *API) setInteractionPolicy(w http.ResponseWriter, r *http.Request) error {
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
	st, err := a.Social.SetQuotePolicy(r.Context(), auth.Account, statusID, p.Get("quote_approval_policy"))
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, auth.Account, st)
}
