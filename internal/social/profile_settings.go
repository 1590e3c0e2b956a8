package social

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
)

// ProfileView is a member's whole editable profile: Mastodon's Profile entity.
type ProfileView struct {
	Account      *model.Account
	Settings     *model.ProfileSettings
	FeaturedTags []*model.FeaturedTag
}

// SettingsUpdate holds the Profile entity's changes beyond ProfileUpdate; nil means unchanged.
type SettingsUpdate struct {
	AvatarDescription, HeaderDescription      *string
	ShowMedia, ShowMediaReplies, ShowFeatured *bool
	AttributionDomains                        *[]string
	// HideCollections and Indexable are accepted only as tusk behaves: it always shows
	// follows and followers, and indexes exactly the discoverable accounts.
	HideCollections, Indexable *bool
}

// Limits on the profile settings.
const (
	maxImageDescription  = 1500
	maxAttributionDomain = 10
)

// Profile loads a member's whole profile.
func (s *Service) Profile(ctx context.Context, a *model.Account) (*ProfileView, error) {
	ps, err := s.Store.ProfileSettings(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	return s.profileView(ctx, a, ps)
}

func (s *Service) profileView(ctx context.Context, a *model.Account, ps *model.ProfileSettings) (*ProfileView, error) {
	tags, err := s.FeaturedTags(ctx, a)
	if err != nil {
		return nil, err
	}
	return &ProfileView{Account: a, Settings: ps, FeaturedTags: tags}, nil
}

// UpdateFullProfile validates and saves the profile, posting defaults and profile
// settings in one transaction.
func (s *Service) UpdateFullProfile(ctx context.Context, a *model.Account, u *model.User, p ProfileUpdate, su SettingsUpdate) (*ProfileView, error) {
	if err := validateProfile(p); err != nil {
		return nil, err
	}
	if err := validateSettings(a, p, &su); err != nil {
		return nil, err
	}
	if err := s.saveProfileImages(ctx, a, p); err != nil {
		return nil, err
	}
	ps, err := s.Store.ProfileSettings(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	applyProfile(a, u, p, s.Config.BaseURL())
	applySettings(ps, su)
	err = s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.UpdateProfile(ctx, a); err != nil {
			return err
		}
		if err := q.UpdateUser(ctx, u); err != nil {
			return err
		}
		return q.SaveProfileSettings(ctx, ps)
	})
	if err != nil {
		return nil, err
	}
	return s.profileView(ctx, a, ps)
}

func validateSettings(a *model.Account, p ProfileUpdate, su *SettingsUpdate) error {
	for _, d := range []*string{su.AvatarDescription, su.HeaderDescription} {
		if d != nil && utf8.RuneCountInString(*d) > maxImageDescription {
			return httpx.Unprocessable("Validation failed: Description is too long (maximum is %d characters)", maxImageDescription)
		}
	}
	if su.HideCollections != nil && *su.HideCollections {
		return httpx.Unprocessable("Validation failed: hiding follows and followers is not supported by this server")
	}
	discoverable := a.Discoverable
	set(&discoverable, p.Discoverable)
	if su.Indexable != nil && *su.Indexable != discoverable {
		return httpx.Unprocessable("Validation failed: indexable must equal discoverable on this server")
	}
	if su.AttributionDomains == nil {
		return nil
	}
	if len(*su.AttributionDomains) > maxAttributionDomain {
		return httpx.Unprocessable("Validation failed: Attribution domains is too long (maximum is %d)", maxAttributionDomain)
	}
	clean := []string{}
	for _, d := range *su.AttributionDomains {
		if strings.TrimSpace(d) == "" {
			continue
		}
		ascii, err := normalizeDomain(d)
		if err != nil {
			return httpx.Unprocessable("Validation failed: Attribution domains %s is not a valid domain", quoteShort(d))
		}
		clean = append(clean, ascii)
	}
	su.AttributionDomains = &clean
	return nil
}

// quoteShort quotes a member's input in an error, cut to a readable length.
func quoteShort(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return `"` + s + `"`
}

func applySettings(ps *model.ProfileSettings, su SettingsUpdate) {
	set(&ps.AvatarDescription, su.AvatarDescription)
	set(&ps.HeaderDescription, su.HeaderDescription)
	set(&ps.ShowMedia, su.ShowMedia)
	set(&ps.ShowMediaReplies, su.ShowMediaReplies)
	set(&ps.ShowFeatured, su.ShowFeatured)
	set(&ps.AttributionDomains, su.AttributionDomains)
}

// ClearProfileImage removes the member's avatar or header (store.Avatar, store.Header).
func (s *Service) ClearProfileImage(ctx context.Context, a *model.Account, which string) (*model.Account, error) {
	if err := s.Store.Tx(ctx, func(q store.Q) error { return q.ClearProfileImage(ctx, a.ID, which) }); err != nil {
		return nil, err
	}
	s.dropObjects(ctx, profileImageKey(a, which))
	return s.Store.AccountByID(ctx, a.ID)
}
