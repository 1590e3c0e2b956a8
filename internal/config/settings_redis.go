package config

import (
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// RedisConfig holds the settings for the shared event bus that lets several tusk
// processes deliver each other's streaming events.
type RedisConfig struct {
	// URL is the Redis server (redis://, rediss:// or unix://), from REDIS_URL or composed
	// from Mastodon's REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and REDIS_DB. Empty: no
	// Redis, and events stay within the process.
	URL string
	// Namespace prefixes every channel name (Mastodon's REDIS_NAMESPACE), so several
	// instances can share one Redis. Redis's database number does not separate pub/sub
	// channels; only the prefix does.
	Namespace string
}

// Enabled reports whether a Redis server is configured.
func (r RedisConfig) Enabled() bool { return r.URL != "" }

// redisSettings are the variables for Redis. REDIS_HOST and friends are read into the
// raw map and composed into URL by deriveRedis.
var redisSettings = []setting{
	{"REDIS_URL", "redis-url", "", "Redis server for sharing streaming events between tusk processes; empty: REDIS_HOST, or none", func(c *Config, v string) error {
		c.Redis.URL = v
		if v == "" {
			return nil
		}
		_, err := redis.ParseURL(v)
		return err
	}},
	{"REDIS_HOST", "redis-host", "", "Redis host (used when REDIS_URL is empty); empty: no Redis", nop},
	{"REDIS_PORT", "redis-port", "6379", "Redis port", func(_ *Config, v string) error { _, err := parseInt(v, 1, 65535); return err }},
	{"REDIS_PASSWORD", "redis-password", "", "Redis password", nop},
	{"REDIS_DB", "redis-db", "0", "Redis database number", func(_ *Config, v string) error { _, err := parseInt(v, 0, 1<<20); return err }},
	{"REDIS_NAMESPACE", "redis-namespace", "", "prefix of tusk's Redis channel names, to share one Redis between instances", func(c *Config, v string) error {
		c.Redis.Namespace = v
		if len(v) > 100 {
			return fmt.Errorf("%d characters is too long (at most 100)", len(v))
		}
		return nil
	}},
}

// deriveRedis composes the Redis URL from the separate variables when REDIS_URL is
// unset, as Mastodon does; REDIS_URL wins when both are given.
func deriveRedis(c *Config, raw map[string]string) {
	if c.Redis.URL != "" || raw["REDIS_HOST"] == "" {
		return
	}
	u := url.URL{Scheme: "redis", Host: net.JoinHostPort(raw["REDIS_HOST"], raw["REDIS_PORT"]), Path: "/" + raw["REDIS_DB"]}
	if raw["REDIS_PASSWORD"] != "" {
		u.User = url.UserPassword("", raw["REDIS_PASSWORD"])
	}
	if _, err := strconv.Atoi(raw["REDIS_DB"]); err != nil {
		u.Path = "" // already reported by REDIS_DB's own check
	}
	c.Redis.URL = u.String()
}
