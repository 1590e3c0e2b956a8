package config

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// AdminConfig holds the settings for the admin console and metrics.
type AdminConfig struct {
	// MetricsAllow lists the networks whose direct connections may read /metrics.
	MetricsAllow []netip.Prefix
	// MetricsToken, when set, lets a scraper read /metrics with "Authorization: Bearer TOKEN".
	MetricsToken string
	// SessionLifetime is how long a web sign-in lasts without a visit; each visit renews it.
	SessionLifetime time.Duration
}

// MetricsEnabled reports whether /metrics answers anyone at all.
func (a AdminConfig) MetricsEnabled() bool { return len(a.MetricsAllow) > 0 || a.MetricsToken != "" }

// adminSettings are the variables for the admin console and metrics.
var adminSettings = []setting{
	{"TUSK_METRICS_ALLOW", "metrics-allow", "", "comma-separated networks (CIDR or IP) that may read /metrics; empty: none", func(c *Config, v string) (err error) {
		c.Admin.MetricsAllow, err = parsePrefixes(v)
		return err
	}},
	{"TUSK_METRICS_TOKEN", "metrics-token", "", "bearer token that may read /metrics from anywhere; empty: none", func(c *Config, v string) error {
		c.Admin.MetricsToken = v
		if v != "" && len(v) < 16 {
			return fmt.Errorf("must be at least 16 characters")
		}
		return nil
	}},
	{"TUSK_SESSION_LIFETIME", "session-lifetime", "336h", "how long a web sign-in lasts since its last visit", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return fmt.Errorf("%q is not a duration of a minute or more (e.g. 336h)", v)
		}
		c.Admin.SessionLifetime = d
		return nil
	}},
}

// parsePrefixes reads "127.0.0.1/32, 10.0.0.0/8, ::1"; a bare address is a one-host network.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a network (CIDR) or an IP address", part)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
