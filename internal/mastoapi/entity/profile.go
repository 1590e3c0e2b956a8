package entity

import (
	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/social"
)

// Profile is Mastodon's Profile entity: the signed-in member's editable profile as
// typed, with null images when none is set.
type Profile struct {
	ID                 string        `json:"id"`
	DisplayName        string        `json:"display_name"`
	Note               string        `json:"note"`
	Fields             []model.Field `json:"fields"`
	Avatar             *string       `json:"avatar"`
	AvatarStatic       *string       `json:"avatar_static"`
	AvatarDescription  string        `json:"avatar_description"`
	Header             *string       `json:"header"`
	HeaderStatic       *string       `json:"header_static"`
	HeaderDescription  string        `json:"header_description"`
	Locked             bool          `json:"locked"`
	Bot                bool          `json:"bot"`
	HideCollections    *bool         `json:"hide_collections"`
	Discoverable       *bool         `json:"discoverable"`
	Indexable          bool          `json:"indexable"`
	ShowMedia          bool          `json:"show_media"`
	ShowMediaReplies   bool          `json:"show_media_replies"`
	ShowFeatured       bool          `json:"show_featured"`
	AttributionDomains []string      `json:"attribution_domains"`
	FeaturedTags       []FeaturedTag `json:"featured_tags"`
}

// Profile renders a member's profile.
func (r Renderer) Profile(v *social.ProfileView) Profile {
	a, ps := v.Account, v.Settings
	discoverable, hide := a.Discoverable, false
	domains := ps.AttributionDomains
	if domains == nil {
		domains = []string{}
	}
	avatar, header := pick(r.mediaURL(a.AvatarKey), a.AvatarRemoteURL), pick(r.mediaURL(a.HeaderKey), a.HeaderRemoteURL)
	return Profile{
		ID: id.Format(a.ID), DisplayName: a.DisplayName, Note: a.NoteSource, Fields: plainFields(a.Fields),
		Avatar: orNull(avatar), AvatarStatic: orNull(avatar), AvatarDescription: ps.AvatarDescription,
		Header: orNull(header), HeaderStatic: orNull(header), HeaderDescription: ps.HeaderDescription,
		Locked: a.Locked, Bot: a.Bot, HideCollections: &hide, Discoverable: &discoverable, Indexable: a.Discoverable,
		ShowMedia: ps.ShowMedia, ShowMediaReplies: ps.ShowMediaReplies, ShowFeatured: ps.ShowFeatured,
		AttributionDomains: domains, FeaturedTags: r.FeaturedTags(a, v.FeaturedTags),
	}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
