package social

import (
	"context"
	"unicode/utf8"

	"github.com/tuskhq/tusk/internal/httpx"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/text"
)

// ProfileUpdate holds the profile changes a member asked for; nil means unchanged.
type ProfileUpdate struct {
	DisplayName, Note, Language          *string
	Locked, Bot, Discoverable, Sensitive *bool
	Fields                               *[]model.Field
	Privacy                              *model.Visibility
	Avatar, Header                       []byte // uploaded images; nil leaves them unchanged
}

// Limits on profile text, as Mastodon's.
const (
	maxDisplayName = 30
	maxNote        = 500
	maxFields      = 4
	maxFieldLength = 255
)

// UpdateProfile validates and saves a member's profile and posting defaults in one transaction.
func (s *Service) UpdateProfile(ctx context.Context, a *model.Account, u *model.User, p ProfileUpdate) error {
	if err := validateProfile(p); err != nil {
		return err
	}
	if err := s.saveProfileImages(ctx, a, p); err != nil {
		return err
	}
	applyProfile(a, u, p, s.Config.BaseURL())
	return s.Store.Tx(ctx, func(q store.Q) error {
		if err := q.UpdateProfile(ctx, a); err != nil {
			return err
		}
		if err := s.federate(ctx, q, ProfileUpdated{a.ID}); err != nil {
			return err
		}
		return q.UpdateUser(ctx, u)
	})
}

func validateProfile(p ProfileUpdate) error {
	if p.DisplayName != nil && utf8.RuneCountInString(*p.DisplayName) > maxDisplayName {
		return httpx.Unprocessable("Validation failed: Display name is too long (maximum is %d characters)", maxDisplayName)
	}
	if p.Note != nil && text.Length(*p.Note) > maxNote {
		return httpx.Unprocessable("Validation failed: Note is too long (maximum is %d characters)", maxNote)
	}
	if p.Privacy != nil && !p.Privacy.Valid() {
		return httpx.Unprocessable("Validation failed: source[privacy] is not included in the list")
	}
	if p.Fields == nil {
		return nil
	}
	if len(*p.Fields) > maxFields {
		return httpx.Unprocessable("Validation failed: Fields is too long (maximum is %d)", maxFields)
	}
	for _, f := range *p.Fields {
		if utf8.RuneCountInString(f.Name) > maxFieldLength || utf8.RuneCountInString(f.Value) > maxFieldLength {
			return httpx.Unprocessable("Validation failed: Fields is too long (maximum is %d characters each)", maxFieldLength)
		}
	}
	return nil
}

func applyProfile(a *model.Account, u *model.User, p ProfileUpdate, base string) {
	set(&a.DisplayName, p.DisplayName)
	set(&a.Locked, p.Locked)
	set(&a.Bot, p.Bot)
	set(&a.Discoverable, p.Discoverable)
	set(&u.DefaultSensitive, p.Sensitive)
	set(&u.DefaultLanguage, p.Language)
	set(&u.DefaultVisibility, p.Privacy)
	if p.Note != nil {
		a.NoteSource = *p.Note
		a.Note = text.Format(*p.Note, text.Options{TagURL: func(t string) string { return base + "/tags/" + t }})
	}
	if p.Fields != nil {
		a.Fields = nil
		for _, f := range *p.Fields {
			if f.Name != "" || f.Value != "" {
				a.Fields = append(a.Fields, model.Field{Name: f.Name, Value: f.Value})
			}
		}
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
