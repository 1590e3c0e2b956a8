package mastoapi

import (
	"net/http"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/mastoapi/entity"
	"github.com/tuskhq/tusk/internal/media"
	"github.com/tuskhq/tusk/internal/social"
	"github.com/tuskhq/tusk/internal/version"
)

// Limits tusk enforces, advertised so clients can check before posting.
const (
	charactersReservedPerURL = 23
	maxAccountFields         = 4
	descriptionDefault       = "A tusk server: a Mastodon-compatible social network."
)

func (a *API) streamingURL() string { return a.Config.StreamingURL() }

func (a *API) statusesConfig() map[string]any {
	return map[string]any{"max_characters": a.Config.MaxStatusChars, "max_media_attachments": 4,
		"characters_reserved_per_url": charactersReservedPerURL}
}

// mediaConfig describes what tusk accepts: images always, video and audio only where
// ffmpeg is installed, so clients learn from supported_mime_types what will be refused.
func (a *API) mediaConfig() map[string]any {
	return map[string]any{"supported_mime_types": media.SupportedTypes(a.Social.FFmpeg), "image_size_limit": media.MaxImageBytes,
		"image_matrix_limit": media.MaxInputPixels, "video_size_limit": media.MaxVideoBytes, "video_frame_rate_limit": media.MaxFrameRate,
		"video_matrix_limit": media.MaxOriginalPixels, "description_limit": 1500}
}

// pollsConfig states the poll limits social enforces.
func pollsConfig() map[string]any {
	return map[string]any{"max_options": social.MaxPollOptions, "max_characters_per_option": social.MaxPollOptionChars,
		"min_expiration": social.MinPollExpiry, "max_expiration": social.MaxPollExpiry}
}

func (a *API) instanceV1(w http.ResponseWriter, r *http.Request) error {
	stats, err := a.Store.Stats(r.Context())
	if err != nil {
		return err
	}
	rules, contact, err := a.instanceExtras(r)
	if err != nil {
		return err
	}
	mode, err := accounts.RegistrationsMode(r.Context(), a.Store, a.Config.Registrations)
	if err != nil {
		return err
	}
	cfg := a.Config
	return httpx.OK(w, map[string]any{
		"uri": cfg.LocalDomain, "title": cfg.SiteTitle, "short_description": descriptionDefault,
		"description": descriptionDefault, "email": cfg.ContactEmail, "version": version.Full(),
		"urls":      map[string]string{"streaming_api": a.streamingURL()},
		"stats":     map[string]int64{"user_count": stats.Users, "status_count": stats.Statuses, "domain_count": stats.Domains},
		"thumbnail": cfg.BaseURL() + entity.MissingHeaderPath, "languages": []string{"en"},
		"registrations": mode != config.RegistrationsClosed, "approval_required": mode == config.RegistrationsApproval,
		"invites_enabled": false,
		"configuration": map[string]any{
			"accounts": map[string]int{"max_featured_tags": 10}, "statuses": a.statusesConfig(),
			"media_attachments": a.mediaConfig(), "polls": pollsConfig(),
		},
		"contact_account": contact, "rules": rules,
	})
}

func (a *API) instanceV2(w http.ResponseWriter, r *http.Request) error {
	stats, err := a.Store.Stats(r.Context())
	if err != nil {
		return err
	}
	rules, contact, err := a.instanceExtras(r)
	if err != nil {
		return err
	}
	vapid, err := a.Social.VAPIDPublicKey(r.Context())
	if err != nil {
		return err
	}
	mode, err := accounts.RegistrationsMode(r.Context(), a.Store, a.Config.Registrations)
	if err != nil {
		return err
	}
	cfg := a.Config
	return httpx.OK(w, map[string]any{
		"domain": cfg.LocalDomain, "title": cfg.SiteTitle, "version": version.Full(),
		"source_url": "https://github.com/tuskhq/tusk", "description": descriptionDefault,
		"usage":        map[string]any{"users": map[string]int64{"active_month": stats.ActiveMonth}},
		"thumbnail":    map[string]any{"url": cfg.BaseURL() + entity.MissingHeaderPath, "blurhash": nil, "versions": map[string]string{}},
		"icon":         []any{},
		"languages":    []string{"en"},
		"api_versions": map[string]int{"mastodon": 0},
		"configuration": map[string]any{
			"urls":              map[string]any{"streaming": a.streamingURL(), "status": nil, "about": cfg.BaseURL() + "/about"},
			"vapid":             map[string]string{"public_key": vapid},
			"accounts":          map[string]int{"max_featured_tags": 10, "max_pinned_statuses": 5, "max_profile_fields": maxAccountFields},
			"statuses":          a.statusesConfig(),
			"media_attachments": a.mediaConfig(), "polls": pollsConfig(),
			"translation":        map[string]bool{"enabled": false},
			"timelines_access":   a.timelinesAccess(),
			"limited_federation": false,
		},
		"registrations": map[string]any{"enabled": mode != config.RegistrationsClosed,
			"approval_required": mode == config.RegistrationsApproval, "reason_required": mode == config.RegistrationsApproval,
			"message": nil, "url": nil, "min_age": nil},
		"contact": map[string]any{"email": cfg.ContactEmail, "account": contact},
		"rules":   rules,
	})
}
