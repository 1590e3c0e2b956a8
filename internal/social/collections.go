package social

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// Limits on collections: Mastodon's for the texts, tusk's for the counts.
const (
	maxCollectionName        = 40
	maxCollectionDescription = 100
	maxCollections           = 20 // per member
	maxCollectionItems       = 25 // per collection
)

var languageCode = regexp.MustCompile(`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,4})?$`)

// CollectionParams are a collection's fields as a client sent them; nil means unchanged.
type CollectionParams struct {
	Name, Description, Language, TagName *string
	Sensitive, Discoverable              *bool
	AccountIDs                           []int64 // on creation only
}

// CollectionView is a collection with the items and accounts the viewer may see.
type CollectionView struct {
	*model.Collection
	Owner    *model.Account
	Items    []*model.CollectionItem
	Accounts []*model.Account // the owner, then each item's account
}

// CreateCollection makes a collection of the member's, with its first accounts.
func (s *Service) CreateCollection(ctx context.Context, owner *model.Account, p CollectionParams) (*CollectionView, error) {
	if p.Name == nil || strings.TrimSpace(*p.Name) == "" {
		return nil, httpx.Unprocessable("Validation failed: Name can't be blank")
	}
	c := &model.Collection{AccountID: owner.ID, Discoverable: true}
	if err := applyCollection(c, p); err != nil {
		return nil, err
	}
	if len(p.AccountIDs) > maxCollectionItems {
		return nil, httpx.Unprocessable("Validation failed: a collection holds at most %d accounts", maxCollectionItems)
	}
	err := s.Store.Tx(ctx, func(q store.Q) error {
		n, err := q.CountCollections(ctx, owner.ID)
		if err != nil {
			return err
		}
		if n >= maxCollections {
			return httpx.Unprocessable("Validation failed: you have reached the limit of %d collections", maxCollections)
		}
		if err := q.InsertCollection(ctx, c); err != nil {
			return err
		}
		for _, accountID := range p.AccountIDs {
			if _, err := s.addItem(ctx, q, owner, c, accountID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.collectionView(ctx, owner, c)
}

func applyCollection(c *model.Collection, p CollectionParams) error {
	if p.Name != nil {
		name := strings.TrimSpace(*p.Name)
		if name == "" {
			return httpx.Unprocessable("Validation failed: Name can't be blank")
		}
		if utf8.RuneCountInString(name) > maxCollectionName {
			return httpx.Unprocessable("Validation failed: Name is too long (maximum is %d characters)", maxCollectionName)
		}
		c.Name = name
	}
	if p.Description != nil {
		if utf8.RuneCountInString(*p.Description) > maxCollectionDescription {
			return httpx.Unprocessable("Validation failed: Description is too long (maximum is %d characters)", maxCollectionDescription)
		}
		c.Description = *p.Description
	}
	if p.Language != nil {
		c.Language = nil
		if *p.Language != "" {
			if !languageCode.MatchString(*p.Language) {
				return httpx.Unprocessable("Validation failed: Language is not a language code")
			}
			lang := *p.Language
			c.Language = &lang
		}
	}
	if p.TagName != nil {
		c.TagName = nil
		if t := strings.TrimSpace(*p.TagName); t != "" && t != "#" {
			if _, err := tagName(t); err != nil {
				return err
			}
			name := strings.TrimPrefix(t, "#") // as typed: the tag page matches any case
			c.TagName = &name
		}
	}
	set(&c.Sensitive, p.Sensitive)
	set(&c.Discoverable, p.Discoverable)
	return nil
}

// addItem features an account in a collection. tusk asks no consent it cannot record:
// a local account that opted into discovery is featured at once; others cannot be.
func (s *Service) addItem(ctx context.Context, q store.Q, owner *model.Account, c *model.Collection, accountID int64) (*model.CollectionItem, error) {
	a, err := q.AccountByID(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.SuspendedAt != nil) {
		return nil, httpx.Unprocessable("Validation failed: account %d does not exist", accountID)
	}
	if err != nil {
		return nil, err
	}
	switch {
	case a.ID == owner.ID:
		return nil, httpx.Unprocessable("Validation failed: you cannot feature yourself")
	case !a.IsLocal():
		return nil, httpx.Unprocessable("Validation failed: %s cannot be featured until this server can ask their server's consent", a.Acct())
	case !a.Discoverable:
		return nil, httpx.Unprocessable("Validation failed: %s does not wish to be featured", a.Acct())
	}
	if blocked, err := q.BlockBetween(ctx, owner.ID, a.ID); err != nil || blocked {
		return nil, denied422(err, a.Acct()+" cannot be featured")
	}
	n, err := q.CountCollectionItems(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if n >= maxCollectionItems {
		return nil, httpx.Unprocessable("Validation failed: a collection holds at most %d accounts", maxCollectionItems)
	}
	it := &model.CollectionItem{CollectionID: c.ID, AccountID: a.ID, State: model.ItemAccepted}
	if err := q.InsertCollectionItem(ctx, it); errors.Is(err, store.ErrConflict) {
		return nil, httpx.Unprocessable("Validation failed: %s is already in this collection", a.Acct())
	} else if err != nil {
		return nil, err
	}
	return it, q.TouchCollection(ctx, c.ID)
}

// visibleCollection loads a collection whose owner is not suspended.
func (s *Service) visibleCollection(ctx context.Context, q store.Q, id int64) (*model.Collection, *model.Account, error) {
	c, err := q.CollectionByID(ctx, id)
	if err != nil {
		return nil, nil, orNotFound(err)
	}
	owner, err := q.AccountByID(ctx, c.AccountID)
	if err != nil || owner.SuspendedAt != nil {
		return nil, nil, denied(orNotFound(err))
	}
	return c, owner, nil
}

// ownCollection loads a collection to change: another member's answers 403, as in
// Mastodon; collections are public, so this reveals nothing a GET would not.
func (s *Service) ownCollection(ctx context.Context, q store.Q, owner *model.Account, id int64) (*model.Collection, error) {
	c, _, err := s.visibleCollection(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if c.AccountID != owner.ID {
		return nil, ErrNotAllowed
	}
	return c, nil
}

// Collection loads a collection as the viewer (nil for anonymous) may see it.
func (s *Service) Collection(ctx context.Context, viewer *model.Account, id int64) (*CollectionView, error) {
	c, _, err := s.visibleCollection(ctx, s.Store.Q, id)
	if err != nil {
		return nil, err
	}
	return s.collectionView(ctx, viewer, c)
}

// UpdateCollection changes a member's collection.
func (s *Service) UpdateCollection(ctx context.Context, owner *model.Account, id int64, p CollectionParams) (*CollectionView, error) {
	var c *model.Collection
	err := s.Store.Tx(ctx, func(q store.Q) error {
		var err error
		if c, err = s.ownCollection(ctx, q, owner, id); err != nil {
			return err
		}
		if err := applyCollection(c, p); err != nil {
			return err
		}
		return q.UpdateCollection(ctx, c)
	})
	if err != nil {
		return nil, err
	}
	return s.collectionView(ctx, owner, c)
}

// DeleteCollection removes a member's collection.
func (s *Service) DeleteCollection(ctx context.Context, owner *model.Account, id int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if _, err := s.ownCollection(ctx, q, owner, id); err != nil {
			return err
		}
		return q.DeleteCollection(ctx, id)
	})
}

// AddCollectionItem features an account in a member's collection.
func (s *Service) AddCollectionItem(ctx context.Context, owner *model.Account, collectionID, accountID int64) (*model.CollectionItem, error) {
	var it *model.CollectionItem
	err := s.Store.Tx(ctx, func(q store.Q) error {
		c, err := s.ownCollection(ctx, q, owner, collectionID)
		if err != nil {
			return err
		}
		it, err = s.addItem(ctx, q, owner, c, accountID)
		return err
	})
	return it, err
}

// RemoveCollectionItem takes an item out of a member's collection.
func (s *Service) RemoveCollectionItem(ctx context.Context, owner *model.Account, collectionID, itemID int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if _, err := s.ownCollection(ctx, q, owner, collectionID); err != nil {
			return err
		}
		if _, err := q.CollectionItem(ctx, collectionID, itemID); err != nil {
			return orNotFound(err)
		}
		if err := q.DeleteCollectionItem(ctx, itemID); err != nil {
			return err
		}
		return q.TouchCollection(ctx, collectionID)
	})
}

// RevokeCollectionItem withdraws the viewer's consent to be featured in another
// member's collection; an item featuring someone else is not found.
func (s *Service) RevokeCollectionItem(ctx context.Context, viewer *model.Account, collectionID, itemID int64) error {
	return s.Store.Tx(ctx, func(q store.Q) error {
		if _, _, err := s.visibleCollection(ctx, q, collectionID); err != nil {
			return err
		}
		it, err := q.CollectionItem(ctx, collectionID, itemID)
		if err != nil || it.AccountID != viewer.ID {
			return denied(orNotFound(err))
		}
		if err := q.SetCollectionItemState(ctx, itemID, model.ItemRevoked); err != nil {
			return err
		}
		return q.TouchCollection(ctx, collectionID)
	})
}

// AccountCollections pages through an account's collections: all for their owner,
// the discoverable ones for everyone else.
func (s *Service) AccountCollections(ctx context.Context, viewer *model.Account, accountID int64, limit, offset int) ([]*CollectionView, error) {
	owner, err := s.Store.AccountByID(ctx, accountID)
	if err != nil || owner.SuspendedAt != nil {
		return nil, denied(orNotFound(err))
	}
	list, err := s.Store.AccountCollections(ctx, accountID, viewerID(viewer) != accountID, limit, offset)
	if err != nil {
		return nil, err
	}
	return s.collectionViews(ctx, viewer, list)
}

// CollectionsFeaturing pages through the collections that feature an account.
func (s *Service) CollectionsFeaturing(ctx context.Context, viewer *model.Account, accountID int64, limit, offset int) ([]*CollectionView, error) {
	a, err := s.Store.AccountByID(ctx, accountID)
	if err != nil || a.SuspendedAt != nil {
		return nil, denied(orNotFound(err))
	}
	list, err := s.Store.CollectionsFeaturing(ctx, accountID, viewerID(viewer), limit, offset)
	if err != nil {
		return nil, err
	}
	return s.collectionViews(ctx, viewer, list)
}

func (s *Service) collectionView(ctx context.Context, viewer *model.Account, c *model.Collection) (*CollectionView, error) {
	views, err := s.collectionViews(ctx, viewer, []*model.Collection{c})
	if err != nil {
		return nil, err
	}
	return views[0], nil
}

// collectionViews hydrates collections: their owners see every item, others only the
// accepted ones, and no one the accounts they block.
func (s *Service) collectionViews(ctx context.Context, viewer *model.Account, list []*model.Collection) ([]*CollectionView, error) {
	ids := make([]int64, len(list))
	accountIDs := []int64{}
	for i, c := range list {
		ids[i] = c.ID
		accountIDs = append(accountIDs, c.AccountID)
	}
	items, err := s.Store.CollectionItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, its := range items {
		for _, it := range its {
			accountIDs = append(accountIDs, it.AccountID)
		}
	}
	accounts, err := s.Store.AccountsByIDs(ctx, accountIDs)
	if err != nil {
		return nil, err
	}
	blocked := map[int64]bool{} // a signed-in viewer does not see the accounts they block
	if viewer != nil {
		if blocked, err = s.Store.RelationSet(ctx, store.Blocks, viewer.ID, accountIDs); err != nil {
			return nil, err
		}
	}
	out := make([]*CollectionView, len(list))
	for i, c := range list {
		v := &CollectionView{Collection: c, Owner: accounts[c.AccountID], Items: []*model.CollectionItem{}}
		v.Accounts = append(v.Accounts, v.Owner)
		for _, it := range items[c.ID] {
			if (it.State == model.ItemAccepted || viewerID(viewer) == c.AccountID) && !blocked[it.AccountID] {
				v.Items = append(v.Items, it)
				v.Accounts = append(v.Accounts, accounts[it.AccountID])
			}
		}
		out[i] = v
	}
	return out, nil
}

// denied422 is err when checking failed, and a 422 saying why when the answer was no.
func denied422(err error, why string) error {
	if err != nil {
		return err
	}
	return httpx.Unprocessable("Validation failed: %s", why)
}
