package config

// FederationConfig holds the ActivityPub settings.
type FederationConfig struct {
	// AuthorizedFetch requires a valid signature on GET requests for this instance's
	// ActivityPub documents (Mastodon's secure mode). Off by default: some servers
	// cannot sign their fetches, and refusing them breaks federation with them.
	AuthorizedFetch bool
}

// federationSettings are the variables for ActivityPub.
var federationSettings = []setting{
	{"AUTHORIZED_FETCH", "authorized-fetch", "false", "require signed requests to fetch this instance's ActivityPub documents", func(c *Config, v string) (err error) {
		c.Federation.AuthorizedFetch, err = parseBool(v)
		return err
	}},
}
