package social

import (
	"fmt"
	"time"
)

// defaultPolicyUpdated is when defaultPrivacyPolicy last changed.
var defaultPolicyUpdated = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// defaultPrivacyPolicy states what the tusk software itself keeps, for instances whose
// admins have not written their own policy. Keep it true to the code.
func defaultPrivacyPolicy(domain string) string {
	return fmt.Sprintf(`This server, %[1]s, runs tusk, a Mastodon-compatible social network server. The administrators of %[1]s have not published a privacy policy of their own; this text describes what the software keeps.

Your account: your username, e-mail address and a one-way hash of your password, your profile (display name, bio, profile fields) and your settings.

What you post and do: your posts, with their visibility; who you follow and who follows you; your favourites, boosts and bookmarks; your notifications; and the reports you file, which the server's moderators read.

Who can see it: public and unlisted posts, your profile and your follow lists can be read by anyone. Followers-only and direct posts are shown only to their audience, but the operators of this server can read everything it stores. Do not share anything sensitive here.

Signing in: the apps you authorize receive tokens, stored only as hashes, with the time they were last used. The server notes in which weeks you signed in, to publish weekly counts that name nobody. A web sign-in keeps the browser's name and IP address for as long as the session lasts.

When an account is deleted, its profile, posts and the records above are removed from this server.`, domain)
}
