package mastoapi

import (
	"context"
	"net/http"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// relationAction serves POST /api/v1/accounts/{id}/<action>: the action, then the
// relationship after it.
func (a *API) relationAction(action func(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error), scope string) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, scope)
		if err != nil {
			return err
		}
		targetID, err := pathID(r)
		if err != nil {
			return err
		}
		rel, err := action(r.Context(), auth.Account, targetID)
		if err != nil {
			return err
		}
		return httpx.OK(w, a.render.Relationship(rel))
	}
}

// maxMuteSeconds bounds a mute's duration (about 68 years); longer is "forever", 0.
const maxMuteSeconds = 1<<31 - 1

func (a *API) mute(w http.ResponseWriter, r *http.Request) error {
	if _, err := member(r, "write:mutes"); err != nil {
		return err // refused before the parameters are judged
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	var o social.MuteOptions
	if o.Notifications, err = p.Bool("notifications", true); err != nil {
		return err
	}
	seconds, err := p.Int("duration", 0, 0, maxMuteSeconds)
	if err != nil {
		return err
	}
	o.Duration = time.Duration(seconds) * time.Second
	return a.relationAction(func(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
		return a.Social.Mute(ctx, actor, targetID, o)
	}, "write:mutes")(w, r)
}

func (a *API) accountNote(w http.ResponseWriter, r *http.Request) error {
	if _, err := member(r, "write:accounts"); err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	comment := p.Get("comment")
	return a.relationAction(func(ctx context.Context, actor *model.Account, targetID int64) (*model.Relationship, error) {
		return a.Social.SetNote(ctx, actor, targetID, comment)
	}, "write:accounts")(w, r)
}

func (a *API) blocks(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:blocks")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, cursors, err := a.Social.Blocks(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) mutes(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:mutes")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, cursors, err := a.Social.Mutes(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	out := make([]entity.MutedAccount, len(list))
	for i, m := range list {
		out[i] = a.render.MutedAccount(m.Account, m.Mute)
	}
	return httpx.OK(w, out)
}

func (a *API) endorsements(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:accounts")
	if err != nil {
		return err
	}
	return a.listEndorsements(w, r, auth.Account, auth.Account.ID)
}

func (a *API) accountEndorsements(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:accounts")
	if err != nil {
		return err
	}
	ownerID, err := pathID(r)
	if err != nil {
		return err
	}
	return a.listEndorsements(w, r, v, ownerID)
}

func (a *API) listEndorsements(w http.ResponseWriter, r *http.Request, v *model.Account, ownerID int64) error {
	page, err := parsePage(w, r, 40, 80)
	if err != nil {
		return err
	}
	list, cursors, err := a.Social.Endorsements(r.Context(), v, ownerID, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) domainBlocks(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:blocks")
	if err != nil {
		return err
	}
	page, err := parsePage(w, r, 100, 200)
	if err != nil {
		return err
	}
	domains, cursors, err := a.Social.DomainBlocks(r.Context(), auth.Account, page)
	if err != nil {
		return err
	}
	a.cursorLinks(w, r, cursors)
	return httpx.OK(w, append([]string{}, domains...))
}

// domainBlockChange serves POST and DELETE /api/v1/domain_blocks, which answer {}.
func (a *API) domainBlockChange(change func(ctx context.Context, actor *model.Account, domain string) error) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:blocks")
		if err != nil {
			return err
		}
		p, err := httpx.ParseParams(w, r)
		if err != nil {
			return err
		}
		if err := change(r.Context(), auth.Account, p.Get("domain")); err != nil {
			return err
		}
		return httpx.OK(w, struct{}{})
	}
}

// idList reads the id[] parameter; ids that cannot be ids name no account.
func idList(w http.ResponseWriter, r *http.Request) ([]int64, error) {
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, v := range p.List("id") {
		if n, ok := id.Parse(v); ok {
			ids = append(ids, n)
		}
	}
	return ids, nil
}

func (a *API) accountsByIDs(w http.ResponseWriter, r *http.Request) error {
	if _, err := viewer(r, "read:accounts"); err != nil {
		return err
	}
	ids, err := idList(w, r)
	if err != nil {
		return err
	}
	list, err := a.Social.Accounts(r.Context(), ids)
	if err != nil {
		return err
	}
	return httpx.OK(w, a.render.Accounts(list))
}

func (a *API) familiarFollowers(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "read:follows")
	if err != nil {
		return err
	}
	ids, err := idList(w, r)
	if err != nil {
		return err
	}
	list, err := a.Social.Familiar(r.Context(), auth.Account, ids)
	if err != nil {
		return err
	}
	out := make([]entity.FamiliarFollowers, len(list))
	for i, f := range list {
		out[i] = a.render.FamiliarFollowers(f.ID, f.Accounts)
	}
	return httpx.OK(w, out)
}
