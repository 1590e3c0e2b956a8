package mastoapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/store"
)

func (a *API) verifyCredentials(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "profile")
	if err != nil {
		return err
	}
	return a.renderCredentials(w, r, auth.Account, auth.User)
}

func (a *API) renderCredentials(w http.ResponseWriter, r *http.Request, acc *model.Account, u *model.User) error {
	n, err := a.Store.CountFollowRequests(r.Context(), acc.ID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.CredentialAccount(acc, u, n))
}

func (a *API) updateCredentials(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:accounts")
	if err != nil {
		return err
	}
	if err := readUploads(w, r, maxProfileUploadBody); err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	upd, err := profileUpdate(p)
	if err != nil {
		return err
	}
	if err := profileImages(r, p, &upd); err != nil {
		return err
	}
	acc, u := *auth.Account, *auth.User
	if err := a.Social.UpdateProfile(r.Context(), &acc, &u, upd); err != nil {
		return err
	}
	return a.renderCredentials(w, r, &acc, &u)
}

func profileUpdate(p httpx.Params) (social.ProfileUpdate, error) {
	var u social.ProfileUpdate
	u.DisplayName = optString(p, "display_name")
	u.Note = optString(p, "note")
	u.Language = optString(p, "source[language]")
	if v := optString(p, "source[privacy]"); v != nil {
		vis := model.Visibility(*v)
		u.Privacy = &vis
	}
	var err error
	for key, dst := range map[string]**bool{"locked": &u.Locked, "bot": &u.Bot, "discoverable": &u.Discoverable, "source[sensitive]": &u.Sensitive} {
		if *dst, err = optBool(p, key); err != nil {
			return u, err
		}
	}
	u.Fields = fieldsParam(p)
	return u, nil
}

func optString(p httpx.Params, key string) *string {
	if !p.Has(key) {
		return nil
	}
	v := p.Get(key)
	return &v
}

func optBool(p httpx.Params, key string) (*bool, error) {
	if !p.Has(key) {
		return nil, nil
	}
	v, err := p.Bool(key, false)
	return &v, err
}

// fieldsParam reads fields_attributes[N][name|value] (also fields_attributes[][name] lists).
func fieldsParam(p httpx.Params) *[]model.Field {
	var fields []model.Field
	found := false
	for i := 0; i < 16; i++ {
		name, nameOK := p.Values[fmt.Sprintf("fields_attributes[%d][name]", i)]
		value, valueOK := p.Values[fmt.Sprintf("fields_attributes[%d][value]", i)]
		if !nameOK && !valueOK {
			continue
		}
		found = true
		fields = append(fields, model.Field{Name: first(name), Value: first(value)})
	}
	names, values := p.Values["fields_attributes[][name]"], p.Values["fields_attributes[][value]"]
	for i := range names {
		found = true
		f := model.Field{Name: names[i]}
		if i < len(values) {
			f.Value = values[i]
		}
		fields = append(fields, f)
	}
	if !found {
		return nil
	}
	return &fields
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	acc, err := a.accountByPath(r)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Account(acc))
}

func (a *API) accountByPath(r *http.Request) (*model.Account, error) {
	accountID, err := pathID(r)
	if err != nil {
		return nil, err
	}
	acc, err := a.Store.AccountByID(r.Context(), accountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, httpx.ErrNotFound
	}
	return acc, err
}

func (a *API) lookupAccount(w http.ResponseWriter, r *http.Request) error {
	me, err := viewer(r, "read:accounts")
	if err != nil {
		return err
	}
	username, domain, _ := strings.Cut(strings.TrimPrefix(r.URL.Query().Get("acct"), "@"), "@")
	if strings.EqualFold(domain, a.Config.LocalDomain) || strings.EqualFold(domain, a.Config.WebDomain) {
		domain = ""
	}
	acc, err := a.Social.LookupAccount(r.Context(), me, username, strings.ToLower(domain))
	if errors.Is(err, store.ErrNotFound) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Account(acc))
}

func (a *API) searchAccounts(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	limit, err := p.Int("limit", 40, 1, 1<<30)
	if err != nil {
		return err
	}
	offset, err := p.Int("offset", 0, 0, 10000)
	if err != nil {
		return err
	}
	following, err := p.Bool("following", false)
	if err != nil {
		return err
	}
	list, err := a.Social.SearchAccounts(r.Context(), auth.Account, p.Get("q"), following, min(limit, 80), offset)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) relationships(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:follows")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	ids, err := a.knownAccounts(r, p.List("id"))
	if err != nil {
		return err
	}
	rels, err := a.Social.Relationships(r.Context(), auth.Account, ids)
	if err != nil {
		return err
	}
	out := make([]any, len(rels))
	for i, rel := range rels {
		out[i] = a.render.Relationship(rel)
	}
	return httpx.OK(w, out)
}

// knownAccounts keeps the ids of existing, unsuspended accounts, in order: Mastodon
// leaves the others out of relationship lists.
func (a *API) knownAccounts(r *http.Request, raw []string) ([]int64, error) {
	var ids []int64
	for _, v := range raw {
		if n, ok := id.Parse(v); ok {
			ids = append(ids, n)
		}
	}
	found, err := a.Store.AccountsByIDs(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	known := ids[:0]
	for _, n := range ids {
		if acc := found[n]; acc != nil && acc.SuspendedAt == nil {
			known = append(known, n)
		}
	}
	return known, nil
}

func (a *API) accountStatuses(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:statuses")
	if err != nil {
		return err
	}
	acc, err := a.accountByPath(r)
	if err != nil {
		return err
	}
	p, page, err := listParams(w, r, 20, 40)
	if err != nil {
		return err
	}
	f, err := accountStatusFilter(p)
	if err != nil {
		return err
	}
	list, err := a.Social.AccountStatuses(r.Context(), v, acc.ID, f, page)
	if err != nil {
		return err
	}
	a.statusLinks(w, r, list)
	return httpx.OK(w, a.render.Statuses(list, v != nil))
}

func accountStatusFilter(p httpx.Params) (store.AccountStatusFilter, error) {
	f := store.AccountStatusFilter{Tagged: strings.TrimPrefix(p.Get("tagged"), "#")}
	for key, dst := range map[string]*bool{"only_media": &f.OnlyMedia, "exclude_replies": &f.ExcludeReplies,
		"exclude_reblogs": &f.ExcludeReblogs, "pinned": &f.Pinned} {
		v, err := p.Bool(key, false)
		if err != nil {
			return f, err
		}
		*dst = v
	}
	return f, nil
}

func (a *API) followers(w http.ResponseWriter, r *http.Request) error {
	return a.followList(w, r, true)
}

func (a *API) following(w http.ResponseWriter, r *http.Request) error {
	return a.followList(w, r, false)
}

func (a *API) followList(w http.ResponseWriter, r *http.Request, inbound bool) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	acc, err := a.accountByPath(r)
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, cursors, err := a.Store.FollowAccounts(r.Context(), store.Follows, acc.ID, inbound, storePage(page))
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Accounts(list))
}

func parsePage(w http.ResponseWriter, r *http.Request, def, max int) (httpx.Page, error) {
	_, page, err := listParams(w, r, def, max)
	return page, err
}

// listParams reads what every list endpoint reads first: its parameters and the page
// window, with the endpoint's default and maximum limit.
func listParams(w http.ResponseWriter, r *http.Request, def, max int) (httpx.Params, httpx.Page, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return p, httpx.Page{}, err
	}
	page, err := httpx.ParsePage(p, def, max)
	return p, page, err
}

func storePage(p httpx.Page) store.Page {
	return store.Page{MaxID: p.MaxID, SinceID: p.SinceID, MinID: p.MinID, Limit: p.Limit}
}

func (a *API) follow(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:follows")
	if err != nil {
		return err
	}
	targetID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	var o social.FollowOptions
	if o.Reblogs, err = optBool(p, "reblogs"); err != nil {
		return err
	}
	if o.Notify, err = optBool(p, "notify"); err != nil {
		return err
	}
	if p.Has("languages[]") || p.Has("languages") {
		o.Languages = p.List("languages")
	}
	rel, err := a.Social.Follow(r.Context(), auth.Account, targetID, o)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Relationship(rel))
}

func (a *API) unfollow(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:follows")
	if err != nil {
		return err
	}
	targetID, err := pathID(r)
	if err != nil {
		return err
	}
	rel, err := a.Social.Unfollow(r.Context(), auth.Account, targetID)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Relationship(rel))
}

func (a *API) followRequests(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:follows")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, cursors, err := a.Store.FollowAccounts(r.Context(), store.FollowRequests, auth.Account.ID, true, storePage(page))
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) authorizeFollowRequest(w http.ResponseWriter, r *http.Request) error {
	return a.answerFollowRequest(w, r, a.Social.AuthorizeFollowRequest)
}

func (a *API) rejectFollowRequest(w http.ResponseWriter, r *http.Request) error {
	return a.answerFollowRequest(w, r, a.Social.RejectFollowRequest)
}

func (a *API) answerFollowRequest(w http.ResponseWriter, r *http.Request,
	answer func(ctx context.Context, target *model.Account, requester int64) (*model.Relationship, error)) error {
	auth, err := member(r, "write:follows")
	if err != nil {
		return err
	}
	requester, err := pathID(r)
	if err != nil {
		return err
	}
	rel, err := answer(r.Context(), auth.Account, requester)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Relationship(rel))
}
