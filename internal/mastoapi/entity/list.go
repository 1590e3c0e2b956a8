package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// List is Mastodon's List entity.
type List struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

// List renders a list.
func (r Renderer) List(l *model.List) List {
	return List{ID: id.Format(l.ID), Title: l.Title, RepliesPolicy: string(l.RepliesPolicy), Exclusive: l.Exclusive}
}

// Lists renders lists.
func (r Renderer) Lists(ls []*model.List) []List {
	out := make([]List, len(ls))
	for i, l := range ls {
		out[i] = r.List(l)
	}
	return out
}
