package config

import (
	"flag"
	"testing"
)

func TestRedisSettings(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want RedisConfig
	}{
		{"none by default", nil, RedisConfig{}},
		{"url", map[string]string{"REDIS_URL": "redis://cache:6380/2", "REDIS_NAMESPACE": "tusk"}, RedisConfig{URL: "redis://cache:6380/2", Namespace: "tusk"}},
		{"mastodon's separate variables", map[string]string{"REDIS_HOST": "cache", "REDIS_PASSWORD": "s3cr/t", "REDIS_DB": "3"},
			RedisConfig{URL: "redis://:s3cr%2Ft@cache:6379/3"}},
		{"url wins over host", map[string]string{"REDIS_URL": "redis://a:1/0", "REDIS_HOST": "b"}, RedisConfig{URL: "redis://a:1/0"}},
	} {
		c, err := load(tc.env)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if c.Redis != tc.want || c.Redis.Enabled() != (tc.want.URL != "") {
			t.Errorf("%s: Redis = %+v; want %+v", tc.name, c.Redis, tc.want)
		}
	}
	for _, bad := range []map[string]string{
		{"REDIS_URL": "http://cache:6379"},
		{"REDIS_URL": "redis://cache:6379/notanumber"},
		{"REDIS_HOST": "cache", "REDIS_PORT": "0"},
		{"REDIS_HOST": "cache", "REDIS_DB": "-1"},
		{"REDIS_NAMESPACE": string(make([]byte, 101))},
	} {
		if _, err := load(bad); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	c, err := Load(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--redis-url", "redis://127.0.0.1:6379/0", "--redis-namespace", "x"}, func(string) string { return "" })
	if err != nil || c.Redis.URL != "redis://127.0.0.1:6379/0" || c.Redis.Namespace != "x" {
		t.Errorf("flags: %+v, %v", c.Redis, err)
	}
}
