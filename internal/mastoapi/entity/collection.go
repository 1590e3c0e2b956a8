package entity

import (
	"html"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Collection is Mastodon's Collection entity. tusk has no web page for a collection
// yet, so url is null.
type Collection struct {
	ID           string           `json:"id"`
	AccountID    string           `json:"account_id"`
	URI          string           `json:"uri"`
	URL          *string          `json:"url"`
	Name         string           `json:"name"`
	Description  string           `json:"description"`
	Language     *string          `json:"language"`
	Local        bool             `json:"local"`
	Sensitive    bool             `json:"sensitive"`
	Discoverable bool             `json:"discoverable"`
	Tag          *ShallowTag      `json:"tag"`
	ItemCount    int              `json:"item_count"`
	Items        []CollectionItem `json:"items"`
	CreatedAt    string           `json:"created_at"`
	UpdatedAt    string           `json:"updated_at"`
}

// ShallowTag is a hashtag's name and page.
type ShallowTag struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// CollectionItem is Mastodon's CollectionItem entity.
type CollectionItem struct {
	ID        string  `json:"id"`
	AccountID *string `json:"account_id"`
	State     string  `json:"state"`
	CreatedAt string  `json:"created_at"`
}

// Collection renders a collection with the items its viewer may see.
func (r Renderer) Collection(v *social.CollectionView) Collection {
	base := r.Config.BaseURL()
	c := Collection{ID: id.Format(v.ID), AccountID: id.Format(v.AccountID),
		URI:  base + "/users/" + v.Owner.Username + "/collections/" + id.Format(v.ID),
		Name: v.Name, Description: html.EscapeString(v.Description), Language: v.Language, Local: v.Owner.IsLocal(),
		Sensitive: v.Sensitive, Discoverable: v.Discoverable, ItemCount: len(v.Items), Items: []CollectionItem{},
		CreatedAt: timestamp(v.CreatedAt), UpdatedAt: timestamp(v.UpdatedAt)}
	if v.TagName != nil {
		c.Tag = &ShallowTag{Name: *v.TagName, URL: base + "/tags/" + *v.TagName}
	}
	for _, it := range v.Items {
		c.Items = append(c.Items, r.CollectionItem(it))
	}
	return c
}

// CollectionItem renders one item.
func (r Renderer) CollectionItem(it *model.CollectionItem) CollectionItem {
	accountID := id.Format(it.AccountID)
	return CollectionItem{ID: id.Format(it.ID), AccountID: &accountID, State: it.State, CreatedAt: timestamp(it.CreatedAt)}
}

// Collections renders a list.
func (r Renderer) Collections(list []*social.CollectionView) []Collection {
	out := make([]Collection, len(list))
	for i, v := range list {
		out[i] = r.Collection(v)
	}
	return out
}
