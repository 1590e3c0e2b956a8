// Package version names this build of tusk.
package version

// Version is tusk's release, set at build time with
// -ldflags "-X github.com/tuskhq/tusk/internal/version.Version=v1.2.3".
var Version = "0.1.0-dev"

// MastodonCompat is the Mastodon API version tusk implements fully enough for clients
// to rely on; clients gate features on it, so it rises only as endpoints land.
const MastodonCompat = "4.0.0"

// Full is the version string the instance endpoints show, in the form other
// Mastodon-compatible servers use so clients can parse it.
func Full() string { return MastodonCompat + " (compatible; tusk " + Version + ")" }
