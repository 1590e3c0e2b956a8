package entity

import (
	"time"

	"github.com/tuskhq/tusk/internal/id"
	"github.com/tuskhq/tusk/internal/model"
)

// Account is Mastodon's Account entity.
type Account struct {
	ID             string        `json:"id"`
	Username       string        `json:"username"`
	Acct           string        `json:"acct"`
	URL            string        `json:"url"`
	URI            string        `json:"uri"`
	DisplayName    string        `json:"display_name"`
	Note           string        `json:"note"`
	Avatar         string        `json:"avatar"`
	AvatarStatic   string        `json:"avatar_static"`
	Header         string        `json:"header"`
	HeaderStatic   string        `json:"header_static"`
	Locked         bool          `json:"locked"`
	Fields         []model.Field `json:"fields"`
	Emojis         []Emoji       `json:"emojis"`
	Bot            bool          `json:"bot"`
	Group          bool          `json:"group"`
	Discoverable   *bool         `json:"discoverable"`
	Indexable      bool          `json:"indexable"`
	HideCollection *bool         `json:"hide_collections"`
	Noindex        *bool         `json:"noindex,omitempty"`
	Suspended      bool          `json:"suspended,omitempty"`
	Limited        bool          `json:"limited,omitempty"`
	CreatedAt      string        `json:"created_at"`
	LastStatusAt   *string       `json:"last_status_at"`
	StatusesCount  int64         `json:"statuses_count"`
	FollowersCount int64         `json:"followers_count"`
	FollowingCount int64         `json:"following_count"`
	Moved          *Account      `json:"moved,omitempty"`
}

// CredentialAccount is the Account of the signed-in member, with source and role.
type CredentialAccount struct {
	Account
	Source Source `json:"source"`
	Role   Role   `json:"role"`
}

// Source is the plain-text profile and posting defaults.
type Source struct {
	Privacy             string        `json:"privacy"`
	Sensitive           bool          `json:"sensitive"`
	Language            *string       `json:"language"`
	Note                string        `json:"note"`
	Fields              []model.Field `json:"fields"`
	FollowRequestsCount int64         `json:"follow_requests_count"`
	HideCollections     bool          `json:"hide_collections"`
	Discoverable        bool          `json:"discoverable"`
	Indexable           bool          `json:"indexable"`
}

// Role is a user's role as Mastodon shows it.
type Role struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Permissions string `json:"permissions"`
	Color       string `json:"color"`
	Highlighted bool   `json:"highlighted"`
}

// Account renders an account.
func (r Renderer) Account(a *model.Account) Account {
	base := r.Config.BaseURL()
	discoverable := a.Discoverable
	hide := false
	url := a.URL
	if url == "" {
		url = base + "/@" + a.Acct()
	}
	// Avatars and headers are stored as still images, so the static URLs are the same.
	avatar := pick(r.mediaURL(a.AvatarKey), pick(a.AvatarRemoteURL, base+MissingAvatarPath))
	header := pick(r.mediaURL(a.HeaderKey), pick(a.HeaderRemoteURL, base+MissingHeaderPath))
	return Account{
		ID: id.Format(a.ID), Username: a.Username, Acct: a.Acct(), URL: url, URI: a.URI,
		DisplayName: a.DisplayName, Note: a.Note,
		Avatar: avatar, AvatarStatic: avatar, Header: header, HeaderStatic: header,
		Locked: a.Locked, Fields: nonNil(a.Fields), Emojis: r.accountEmojis(a), Bot: a.Bot,
		Discoverable: &discoverable, Indexable: a.Discoverable, HideCollection: &hide, Suspended: a.SuspendedAt != nil,
		CreatedAt: timestamp(a.CreatedAt.Truncate(24 * time.Hour)), LastStatusAt: dateOnly(a.LastStatusAt),
		StatusesCount: a.StatusesCount, FollowersCount: a.FollowersCount, FollowingCount: a.FollowingCount,
	}
}

// Paths of the default avatar and header images every account without its own shows.
const (
	MissingAvatarPath = "/avatars/original/missing.png"
	MissingHeaderPath = "/headers/original/missing.png"
)

func pick(v, fallback string) string {
	if v != "" {
		return v
	}
	return fallback
}

func nonNil(f []model.Field) []model.Field {
	if f == nil {
		return []model.Field{}
	}
	return f
}

func dateOnly(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}

// MovedAccount renders an account that moved, with the account it moved to as its
// "moved" (one level: the new account's own move is not followed).
func (r Renderer) MovedAccount(a, movedTo *model.Account) Account {
	out := r.Account(a)
	if movedTo != nil {
		to := r.Account(movedTo)
		out.Moved = &to
	}
	return out
}

// Accounts renders a list.
func (r Renderer) Accounts(list []*model.Account) []Account {
	out := make([]Account, len(list))
	for i, a := range list {
		out[i] = r.Account(a)
	}
	return out
}

// CredentialAccount renders the signed-in member's own account.
func (r Renderer) CredentialAccount(a *model.Account, u *model.User, followRequests int64) CredentialAccount {
	var lang *string
	if u.DefaultLanguage != "" {
		lang = &u.DefaultLanguage
	}
	return CredentialAccount{
		Account: r.Account(a),
		Source: Source{Privacy: string(u.DefaultVisibility), Sensitive: u.DefaultSensitive, Language: lang,
			Note: a.NoteSource, Fields: plainFields(a.Fields), FollowRequestsCount: followRequests,
			Discoverable: a.Discoverable, Indexable: a.Discoverable},
		Role: roleOf(u),
	}
}

// plainFields are the fields as typed: tusk stores field values as typed text.
func plainFields(f []model.Field) []model.Field {
	out := make([]model.Field, len(f))
	for i, x := range f {
		out[i] = model.Field{Name: x.Name, Value: x.Value}
	}
	return out
}

// roleOf maps tusk's roles to Mastodon's default role ids and permission bitmasks.
func roleOf(u *model.User) Role {
	switch u.Role {
	case model.RoleOwner:
		return Role{ID: "3", Name: "Owner", Permissions: "1", Highlighted: true}
	case model.RoleAdmin:
		return Role{ID: "2", Name: "Admin", Permissions: "1048575", Highlighted: true}
	case model.RoleModerator:
		return Role{ID: "1", Name: "Moderator", Permissions: "1308", Highlighted: true}
	}
	return Role{ID: "-99", Name: "", Permissions: "65536"}
}

// Relationship is Mastodon's Relationship entity.
type Relationship struct {
	ID                  string   `json:"id"`
	Following           bool     `json:"following"`
	ShowingReblogs      bool     `json:"showing_reblogs"`
	Notifying           bool     `json:"notifying"`
	Languages           []string `json:"languages"`
	FollowedBy          bool     `json:"followed_by"`
	Blocking            bool     `json:"blocking"`
	BlockedBy           bool     `json:"blocked_by"`
	Muting              bool     `json:"muting"`
	MutingNotifications bool     `json:"muting_notifications"`
	MutingExpiresAt     *string  `json:"muting_expires_at"`
	Requested           bool     `json:"requested"`
	RequestedBy         bool     `json:"requested_by"`
	DomainBlocking      bool     `json:"domain_blocking"`
	Endorsed            bool     `json:"endorsed"`
	Note                string   `json:"note"`
}

// Relationship renders a relationship.
func (r Renderer) Relationship(rel *model.Relationship) Relationship {
	return Relationship{ID: id.Format(rel.TargetID), Following: rel.Following, ShowingReblogs: rel.ShowingReblogs,
		Notifying: rel.Notifying, Languages: rel.Languages, FollowedBy: rel.FollowedBy, Blocking: rel.Blocking,
		BlockedBy: rel.BlockedBy, Muting: rel.Muting, MutingNotifications: rel.MutingNotif, Requested: rel.Requested,
		RequestedBy: rel.RequestedBy, DomainBlocking: rel.DomainBlocking, Endorsed: rel.Endorsed, Note: rel.Note,
		MutingExpiresAt: timestampPtr(rel.MuteExpiresAt)}
}
