package config

import (
	"flag"
	"net/netip"
	"slices"
	"testing"
	"time"
)

func TestAdminSettings(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Admin.MetricsEnabled() || c.Admin.SessionLifetime != 14*24*time.Hour {
		t.Errorf("defaults = %+v; want metrics off and two-week sessions", c.Admin)
	}
	c, err = load(map[string]string{"TUSK_METRICS_ALLOW": " 127.0.0.1/32, 10.1.2.3/8,::1 ", "TUSK_METRICS_TOKEN": "0123456789abcdef"})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if !slices.Equal(c.Admin.MetricsAllow, want) || !c.Admin.MetricsEnabled() {
		t.Errorf("allow = %v; want %v", c.Admin.MetricsAllow, want)
	}
	for _, bad := range []map[string]string{
		{"TUSK_METRICS_ALLOW": "localhost"},
		{"TUSK_METRICS_ALLOW": "10.0.0.0/33"},
		{"TUSK_METRICS_TOKEN": "short"},
		{"TUSK_SESSION_LIFETIME": "forever"},
		{"TUSK_SESSION_LIFETIME": "10s"},
	} {
		if _, err := load(bad); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
}
