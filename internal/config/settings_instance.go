package config

import "fmt"

// Who may see something the admins choose to show: Mastodon's show_domain_blocks values.
const (
	ShowDisabled = "disabled" // nobody
	ShowUsers    = "users"    // signed-in members
	ShowAll      = "all"      // anyone
)

// Who may read a feed: Mastodon's *_feed_access values.
const (
	FeedPublic        = "public"        // anyone, signed in or not
	FeedAuthenticated = "authenticated" // signed-in members
	FeedDisabled      = "disabled"      // staff only
)

// InstanceConfig is what the instance tells about itself and who may read what.
type InstanceConfig struct {
	ShowDomainBlocks          string // disabled, users or all
	ShowDomainBlocksRationale string // disabled, users or all
	PeersAPI, ActivityAPI     bool
	ContactUsername           string // local account shown as the contact; "" for none

	// Files with the about page's text, the privacy policy and the folder of terms of
	// service versions (one file per version, named by its effective date).
	ExtendedDescriptionFile, PrivacyPolicyFile, TermsOfServiceDir string

	// Feed access for visitors: live (public timelines) and topic (hashtags, links),
	// each for local and remote posts.
	LocalLiveFeeds, RemoteLiveFeeds, LocalTopicFeeds, RemoteTopicFeeds string
}

// instanceSettings are the variables for instance information and feed access.
var instanceSettings = []setting{
	{"TUSK_SHOW_DOMAIN_BLOCKS", "show-domain-blocks", ShowDisabled, "who may list the server's domain blocks: disabled, users or all",
		func(c *Config, v string) error {
			return oneOf(&c.Instance.ShowDomainBlocks, v, ShowDisabled, ShowUsers, ShowAll)
		}},
	{"TUSK_SHOW_DOMAIN_BLOCKS_RATIONALE", "show-domain-blocks-rationale", ShowDisabled, "who may read the public comment of a domain block: disabled, users or all",
		func(c *Config, v string) error {
			return oneOf(&c.Instance.ShowDomainBlocksRationale, v, ShowDisabled, ShowUsers, ShowAll)
		}},
	{"TUSK_PEERS_API", "peers-api", "true", "publish the list of known domains at /api/v1/instance/peers", func(c *Config, v string) (err error) {
		c.Instance.PeersAPI, err = parseBool(v)
		return err
	}},
	{"TUSK_ACTIVITY_API", "activity-api", "true", "publish weekly statistics at /api/v1/instance/activity", func(c *Config, v string) (err error) {
		c.Instance.ActivityAPI, err = parseBool(v)
		return err
	}},
	{"TUSK_CONTACT_USERNAME", "contact-username", "", "local account shown as the instance's contact", func(c *Config, v string) error {
		c.Instance.ContactUsername = v
		return nil
	}},
	{"TUSK_EXTENDED_DESCRIPTION_FILE", "extended-description-file", "", "file with the about page's text (.html: HTML, else plain text)", func(c *Config, v string) error {
		c.Instance.ExtendedDescriptionFile = v
		return nil
	}},
	{"TUSK_PRIVACY_POLICY_FILE", "privacy-policy-file", "", "file with the privacy policy (.html: HTML, else plain text); empty: tusk's own", func(c *Config, v string) error {
		c.Instance.PrivacyPolicyFile = v
		return nil
	}},
	{"TUSK_TERMS_OF_SERVICE_DIR", "terms-of-service-dir", "", "folder of terms of service versions named YYYY-MM-DD.html or .txt, the date they take effect", func(c *Config, v string) error {
		c.Instance.TermsOfServiceDir = v
		return nil
	}},
	feedSetting("TUSK_LOCAL_LIVE_FEED_ACCESS", "local-live-feed-access", "local posts in the public timeline", func(c *Config) *string { return &c.Instance.LocalLiveFeeds }),
	feedSetting("TUSK_REMOTE_LIVE_FEED_ACCESS", "remote-live-feed-access", "remote posts in the public timeline", func(c *Config) *string { return &c.Instance.RemoteLiveFeeds }),
	feedSetting("TUSK_LOCAL_TOPIC_FEED_ACCESS", "local-topic-feed-access", "local posts in hashtag and link timelines", func(c *Config) *string { return &c.Instance.LocalTopicFeeds }),
	feedSetting("TUSK_REMOTE_TOPIC_FEED_ACCESS", "remote-topic-feed-access", "remote posts in hashtag and link timelines", func(c *Config) *string { return &c.Instance.RemoteTopicFeeds }),
}

func feedSetting(env, flag, what string, field func(*Config) *string) setting {
	return setting{env, flag, FeedPublic, "who may read " + what + ": public, authenticated or disabled (staff only)",
		func(c *Config, v string) error {
			return oneOf(field(c), v, FeedPublic, FeedAuthenticated, FeedDisabled)
		}}
}

// oneOf sets *dst to v when v is one of allowed.
func oneOf(dst *string, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %v", v, allowed)
}
