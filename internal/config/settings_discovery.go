package config

// DiscoveryConfig holds the settings for trends and the other discovery features.
type DiscoveryConfig struct {
	// TrendsRequireReview keeps a tag or status out of trends until an admin allows it
	// (tusk admin trends allow), as Mastodon does unless trendable_by_default is set.
	TrendsRequireReview bool
}

// discoverySettings are the variables for discovery.
var discoverySettings = []setting{
	{"TUSK_TRENDS_REVIEW", "trends-review", "true", "tags and statuses trend only once an admin allowed them", func(c *Config, v string) (err error) {
		c.Discovery.TrendsRequireReview, err = parseBool(v)
		return err
	}},
}
