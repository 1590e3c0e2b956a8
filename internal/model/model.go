// Package model holds tusk's plain domain types, shared by the store, the domain
// layer and the protocol edges. Nothing here does I/O.
package model

import "time"

// Account is a local or remote actor. Domain is "" for local accounts.
type Account struct {
	ID              int64
	Username        string
	Domain          string
	DisplayName     string
	Note            string // HTML
	NoteSource      string // plain text, local accounts only
	Fields          []Field
	Locked          bool
	Bot             bool
	Discoverable    bool
	URI             string
	URL             string
	AvatarRemoteURL string
	HeaderRemoteURL string
	AvatarKey       string // blob key of a local account's avatar; "" for none
	HeaderKey       string // blob key of a local account's header
	StatusesCount   int64
	FollowersCount  int64
	FollowingCount  int64
	LastStatusAt    *time.Time
	SuspendedAt     *time.Time
	// MovedToAccountID is the account this one moved to (Move); nil while it has not.
	MovedToAccountID *int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// IsLocal reports whether the account lives on this instance.
func (a *Account) IsLocal() bool { return a.Domain == "" }

// Acct is the handle as Mastodon shows it: "user" for local, "user@domain" for remote.
func (a *Account) Acct() string {
	if a.Domain == "" {
		return a.Username
	}
	return a.Username + "@" + a.Domain
}

// Field is a profile metadata row.
type Field struct {
	Name       string     `json:"name"`
	Value      string     `json:"value"`
	VerifiedAt *time.Time `json:"verified_at"`
}

// Roles a user may hold, as Mastodon names them.
const (
	RoleOwner     = "Owner"
	RoleAdmin     = "Admin"
	RoleModerator = "Moderator"
)

// User is the login behind a local account.
type User struct {
	ID                int64
	AccountID         int64
	Email             string
	PasswordHash      string
	Role              string // "", Moderator, Admin or Owner
	ConfirmedAt       *time.Time
	Approved          bool
	Disabled          bool
	OTPEnabled        bool
	Locale            string
	SignupReason      string
	DefaultVisibility Visibility
	DefaultSensitive  bool
	DefaultLanguage   string
	CreatedAt         time.Time
}

// CanSignIn reports whether the user may obtain and use tokens.
func (u *User) CanSignIn() bool {
	return u.ConfirmedAt != nil && u.Approved && !u.Disabled
}

// IsStaff reports whether the user holds an admin or moderator role.
func (u *User) IsStaff() bool { return u.Role != "" }

// Visibility of a status.
type Visibility string

// The visibilities Mastodon knows.
const (
	Public   Visibility = "public"
	Unlisted Visibility = "unlisted"
	Private  Visibility = "private"
	Direct   Visibility = "direct"
)

// Valid reports whether v is one of the four visibilities.
func (v Visibility) Valid() bool {
	switch v {
	case Public, Unlisted, Private, Direct:
		return true
	}
	return false
}

// Status is a post, or a boost when ReblogOfID is set.
type Status struct {
	ID                 int64
	URI                string
	URL                string
	AccountID          int64
	InReplyToID        *int64
	InReplyToAccountID *int64
	ReblogOfID         *int64
	Text               string // source text, local statuses only
	Content            string // HTML
	SpoilerText        string
	Sensitive          bool
	Visibility         Visibility
	Language           *string
	Local              bool
	ApplicationID      *int64
	RepliesCount       int64
	ReblogsCount       int64
	FavouritesCount    int64
	CreatedAt          time.Time
	EditedAt           *time.Time
}

// App is an OAuth client application.
type App struct {
	ID           int64
	Name         string
	Website      string
	RedirectURIs []string
	Scopes       []string
	ClientID     string
	ClientSecret string
	CreatedAt    time.Time
}

// Token is an OAuth access token. UserID is nil for client-credentials tokens.
type Token struct {
	ID        int64
	AppID     *int64
	UserID    *int64
	Scopes    []string
	CreatedAt time.Time
	ExpiresAt *time.Time
	RevokedAt *time.Time

	LastUsedAt *time.Time // updated at most hourly (see oauth.noteUse)
}

// AuthCode is an OAuth authorization code waiting to be exchanged.
type AuthCode struct {
	AppID               int64
	UserID              int64
	RedirectURI         string
	Scopes              []string
	CodeChallenge       string
	CodeChallengeMethod string
	ExpiresAt           time.Time
}

// Follow is an accepted follow, or a pending follow request.
type Follow struct {
	ID              int64
	AccountID       int64
	TargetAccountID int64
	ShowReblogs     bool
	Notify          bool
	Languages       []string
	URI             string
	CreatedAt       time.Time
}

// Tag is a hashtag.
type Tag struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Notification types tusk creates.
const (
	NotifyMention       = "mention"
	NotifyStatus        = "status"
	NotifyReblog        = "reblog"
	NotifyFollow        = "follow"
	NotifyFollowRequest = "follow_request"
	NotifyFavourite     = "favourite"
)

// Notification is something that happened to an account.
type Notification struct {
	ID            int64
	AccountID     int64
	FromAccountID int64
	Type          string
	StatusID      *int64
	CreatedAt     time.Time
	GroupKey      string // set when created: see social.groupKey
	Filtered      bool   // held back by the recipient's notification policy
}

// Relationship is how one account relates to another, from the first one's side.
type Relationship struct {
	TargetID            int64
	Following           bool
	ShowingReblogs      bool
	Notifying           bool
	Languages           []string
	FollowedBy          bool
	Requested           bool
	RequestedBy         bool
	Blocking, BlockedBy bool
	Muting, MutingNotif bool
	MuteExpiresAt       *time.Time
	DomainBlocking      bool
	Endorsed            bool
	Note                string
}

// TagDay is one day of a hashtag's use: statuses and distinct authors.
type TagDay struct {
	Day            time.Time
	Uses, Accounts int64
}
