package mastoapi

import (
	"context"
	"net/http"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

func collectionParams(p httpx.Params) (social.CollectionParams, error) {
	c := social.CollectionParams{Name: optString(p, "name"), Description: optString(p, "description"),
		Language: optString(p, "language"), TagName: optString(p, "tag_name")}
	var err error
	if c.Sensitive, err = optBool(p, "sensitive"); err != nil {
		return c, err
	}
	if c.Discoverable, err = optBool(p, "discoverable"); err != nil {
		return c, err
	}
	for _, s := range p.List("account_ids") {
		v, ok := id.Parse(s)
		if !ok {
			return c, httpx.Unprocessable("Validation failed: account_ids holds %q, which is not an id", s)
		}
		c.AccountIDs = append(c.AccountIDs, v)
	}
	return c, nil
}

// pathInt64 reads a numeric path value; a malformed one is a missing record.
func pathInt64(r *http.Request, name string) (int64, error) {
	v, ok := id.Parse(r.PathValue(name))
	if !ok {
		return 0, httpx.ErrNotFound
	}
	return v, nil
}

func (a *API) createCollection(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:collections")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	cp, err := collectionParams(p)
	if err != nil {
		return err
	}
	v, err := a.Social.CreateCollection(r.Context(), auth.Account, cp)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"collection": a.render.Collection(v)})
}

func (a *API) getCollection(w http.ResponseWriter, r *http.Request) error {
	v, err := viewer(r, "read:collections")
	if err != nil {
		return err
	}
	collectionID, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.Social.Collection(r.Context(), v, collectionID)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"collection": a.render.Collection(c), "accounts": a.render.Accounts(c.Accounts)})
}

func (a *API) updateCollection(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:collections")
	if err != nil {
		return err
	}
	collectionID, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	cp, err := collectionParams(p)
	if err != nil {
		return err
	}
	if cp.AccountIDs != nil {
		return httpx.Unprocessable("Validation failed: account_ids can only be given on creation; add items instead")
	}
	v, err := a.Social.UpdateCollection(r.Context(), auth.Account, collectionID, cp)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"collection": a.render.Collection(v)})
}

func (a *API) deleteCollection(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:collections")
	if err != nil {
		return err
	}
	collectionID, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.Social.DeleteCollection(r.Context(), auth.Account, collectionID); err != nil {
		return err
	}
	return httpx.OK(w, struct{}{})
}

func (a *API) addCollectionItem(w http.ResponseWriter, r *http.Request) error {
	auth, err := member(r, "write:collections")
	if err != nil {
		return err
	}
	collectionID, err := pathInt64(r, "collection_id")
	if err != nil {
		return err
	}
	p, err := httpx.ParseParams(w, r)
	if err != nil {
		return err
	}
	if !p.Has("account_id") {
		return httpx.Unprocessable("`account_id` parameter is missing")
	}
	accountID, ok := id.Parse(p.Get("account_id"))
	if !ok {
		return httpx.Unprocessable("Validation failed: account_id is not an id")
	}
	it, err := a.Social.AddCollectionItem(r.Context(), auth.Account, collectionID, accountID)
	if err != nil {
		return err
	}
	return httpx.OK(w, map[string]any{"collection_item": a.render.CollectionItem(it)})
}

// collectionItemAction serves the item endpoints that answer with an empty object.
func (a *API) collectionItemAction(do func(ctx context.Context, acc *model.Account, collectionID, itemID int64) error) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		auth, err := member(r, "write:collections")
		if err != nil {
			return err
		}
		collectionID, err := pathInt64(r, "collection_id")
		if err != nil {
			return err
		}
		itemID, err := pathID(r)
		if err != nil {
			return err
		}
		if err := do(r.Context(), auth.Account, collectionID, itemID); err != nil {
			return err
		}
		return httpx.OK(w, struct{}{})
	}
}

// collectionList serves the paged lists of collections (offset paging, as Mastodon's).
func (a *API) collectionList(list func(ctx context.Context, viewer *model.Account, accountID int64, limit, offset int) ([]*social.CollectionView, error)) httpx.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := viewer(r, "read:collections")
		if err != nil {
			return err
		}
		accountID, err := pathInt64(r, "account_id")
		if err != nil {
			return err
		}
		p, err := httpx.ParseParams(w, r)
		if err != nil {
			return err
		}
		limit, offset, err := offsetWindow(p, 40, 80)
		if err != nil {
			return err
		}
		views, err := list(r.Context(), v, accountID, limit, offset)
		if err != nil {
			return err
		}
		a.offsetLinks(w, r, limit, offset, len(views))
		return httpx.OK(w, map[string]any{"collections": a.render.Collections(views)})
	}
}
