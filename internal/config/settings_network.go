package config

import (
	"net/netip"
	"time"
)

// NetworkConfig holds the settings for traffic in and out: which private networks the
// outbound client may reach, which proxies may name the client's address, and the
// request rate limits.
type NetworkConfig struct {
	// AllowedPrivate lists the special-purpose networks (loopback, private, link-local
	// …) outbound requests may reach anyway: Mastodon's ALLOWED_PRIVATE_ADDRESSES.
	AllowedPrivate []netip.Prefix
	// TrustedProxies lists the peers whose X-Forwarded-For names the real client.
	TrustedProxies []netip.Prefix
	// OutboundTimeout is the total deadline of one outbound request (30 s; tests shorten it).
	OutboundTimeout time.Duration
	// RateLimits overrides Mastodon's limits by rule name (see internal/ratelimit);
	// a rule absent here keeps its default. Tests shrink limits through it.
	RateLimits map[string]RateLimit
	// RateLimitsOff turns every limit off.
	RateLimitsOff bool
}

// RateLimit is at most Limit requests per Period.
type RateLimit struct {
	Limit  int
	Period time.Duration
}

// networkSettings are the variables for inbound and outbound traffic.
var networkSettings = []setting{
	{"ALLOWED_PRIVATE_ADDRESSES", "allowed-private-addresses", "", "comma-separated networks (CIDR or IP) outbound requests may reach although private or special", func(c *Config, v string) (err error) {
		c.Network.AllowedPrivate, err = parsePrefixes(v)
		return err
	}},
	{"TRUSTED_PROXY_IP", "trusted-proxy-ip", "127.0.0.0/8,::1", "comma-separated proxies (CIDR or IP) whose X-Forwarded-For is believed", func(c *Config, v string) (err error) {
		c.Network.TrustedProxies, err = parsePrefixes(v)
		return err
	}},
	{"TUSK_RATE_LIMITS", "rate-limits", "true", "limit request rates per token and per IP as Mastodon does", func(c *Config, v string) error {
		on, err := parseBool(v)
		c.Network.RateLimitsOff = !on
		return err
	}},
	{"TUSK_OUTBOUND_TIMEOUT", "outbound-timeout", "30s", "total deadline of one outbound HTTP request", func(c *Config, v string) (err error) {
		c.Network.OutboundTimeout, err = parseDuration(v, time.Second, 10*time.Minute)
		return err
	}},
}
