package model

// ProfileSettings are the parts of a member's profile beyond the account row: image
// descriptions, which profile tabs to show, and who may credit the member as an author.
type ProfileSettings struct {
	AccountID          int64
	AvatarDescription  string
	HeaderDescription  string
	ShowMedia          bool
	ShowMediaReplies   bool
	ShowFeatured       bool
	AttributionDomains []string
}

// DefaultProfileSettings are a new member's settings, as Mastodon's defaults.
func DefaultProfileSettings(accountID int64) *ProfileSettings {
	return &ProfileSettings{AccountID: accountID, ShowMedia: true, ShowMediaReplies: true, ShowFeatured: true}
}
