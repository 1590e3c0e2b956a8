package mastoapi

import (
	"context"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func (a *API) getLists(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:lists")
	if err != nil {
		return err
	}
	lists, err := a.Social.Lists(r.Context(), auth.Account)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Lists(lists))
}

func (a *API) getList(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:lists")
	if err != nil {
		return err
	}
	listID, err := pathID(r)
	if err != nil {
		return err
	}
	l, err := a.Social.List(r.Context(), auth.Account, listID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.List(l))
}

func (a *API) createList(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:lists")
	if err != nil {
		return err
	}
	c, err := listChange(w, r)
	if err != nil {
		return err
	}
	if c.Title == nil {
		c.Title = new(string) // refused as blank
	}
	l, err := a.Social.CreateList(r.Context(), auth.Account, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.List(l))
}

func (a *API) updateList(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:lists")
	if err != nil {
		return err
	}
	listID, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := listChange(w, r)
	if err != nil {
		return err
	}
	l, err := a.Social.UpdateList(r.Context(), auth.Account, listID, c)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.List(l))
}

// listChange reads title, replies_policy and exclusive.
func listChange(w http.ResponseWriter, r *http.Request) (social.ListChange, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return social.ListChange{}, err
	}
	c := social.ListChange{Title: optString(p, "title")}
	if v := optString(p, "replies_policy"); v != nil {
		policy := model.RepliesPolicy(*v)
		c.RepliesPolicy = &policy
	}
	c.Exclusive, err = optBool(p, "exclusive")
	return c, err
}

func (a *API) deleteList(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:lists")
	if err != nil {
		return err
	}
	listID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteList(r.Context(), auth.Account, listID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:lists")
	if err != nil {
		return err
	}
	listID, err := pathID(r)
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 40, 80)
	if err != nil {
		return err
	}
	if p.Get("limit") == "0" {
		page = httpx.Page{} // every member, on one page without links
	}
	accounts, cursors, err := a.Social.ListMembers(r.Context(), auth.Account, listID, page)
	if err != nil {
		return err
	}
	if page.Limit > 0 {
		a.cursorLinks(w, r, cursors)
	}
	return httpx.OK(w, a.render.Accounts(accounts))
}

func (a *API) addListAccounts(w http.ResponseWriter, r *http.Request) error {
	return a.changeListAccounts(w, r, a.Social.AddToList)
}

func (a *API) removeListAccounts(w http.ResponseWriter, r *http.Request) error {
	return a.changeListAccounts(w, r, a.Social.RemoveFromList)
}

type listMembersChange func(ctx context.Context, viewer *model.Account, listID int64, accountIDs []int64) error

func (a *API) changeListAccounts(w http.ResponseWriter, r *http.Request, change listMembersChange) error {
	auth, err := member(r, "write:lists")
	if err != nil {
		return err
	}
	listID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	raw := p.List("account_ids")
	if len(raw) == 0 {
		return httpx.BadRequest("param is missing or the value is empty: account_ids")
	}
	accountIDs := make([]int64, len(raw))
	for i, s := range raw {
		v, ok := id.Parse(s)
		if !ok {
			return httpx.ErrNotFound
		}
		accountIDs[i] = v
	}
	if err := change(r.Context(), auth.Account, listID, accountIDs); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) accountLists(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:lists")
	if err != nil {
		return err
	}
	accountID, err := pathID(r)
	if err != nil {
		return err
	}
	lists, err := a.Social.ListsWithAccount(r.Context(), auth.Account, accountID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Lists(lists))
}

func (a *API) listTimeline(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:lists")
	if err != nil {
		return err
	}
	listID, ok := id.Parse(r.PathValue("list_id"))
	if !ok {
		return httpx.ErrNotFound
	}
	page, err := parsePage(w, r, 20, 40)
	if err != nil {
		return err
	}
	list, err := a.Social.ListTimeline(r.Context(), auth.Account, listID, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, true))
}
