package entity

import (
	"fmt"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Notification is Mastodon's Notification entity.
type Notification struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	GroupKey  string  `json:"group_key"`
	CreatedAt string  `json:"created_at"`
	Account   Account `json:"account"`
	Status    *Status `json:"status,omitempty"`
}

// Notification renders a notification with the group key it was given when created
// (social.groupKey); ungrouped ones stand alone as "ungrouped-<id>".
func (r Renderer) Notification(v *social.NotificationView) Notification {
	out := Notification{ID: id.Format(v.ID), Type: v.Type, CreatedAt: timestamp(v.CreatedAt), Account: r.Account(v.From),
		GroupKey: v.GroupKey}
	if out.GroupKey == "" {
		out.GroupKey = "ungrouped-" + id.Format(v.ID)
	}
	if v.Status != nil {
		st := r.Status(v.Status, true)
		out.Status = &st
	}
	return out
}

// Notifications renders a list.
func (r Renderer) Notifications(list []*social.NotificationView) []Notification {
	out := make([]Notification, len(list))
	for i, v := range list {
		out[i] = r.Notification(v)
	}
	return out
}

// Tag is Mastodon's Tag entity.
type Tag struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	URL       string       `json:"url"`
	History   []TagHistory `json:"history"`
	Following *bool        `json:"following,omitempty"`
	Featuring *bool        `json:"featuring,omitempty"`
}

// TagHistory is one day of a tag's use.
type TagHistory struct {
	Day      string `json:"day"`
	Uses     string `json:"uses"`
	Accounts string `json:"accounts"`
}

// Tag renders a hashtag with its daily use history, newest day first.
func (r Renderer) Tag(t *model.Tag, history []model.TagDay) Tag {
	out := Tag{ID: id.Format(t.ID), Name: t.Name, URL: r.Config.BaseURL() + "/tags/" + t.Name, History: []TagHistory{}}
	for _, d := range history {
		out.History = append(out.History, TagHistory{Day: fmt.Sprint(d.Day.Unix()), Uses: fmt.Sprint(d.Uses), Accounts: fmt.Sprint(d.Accounts)})
	}
	return out
}
