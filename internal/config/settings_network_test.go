package config

import (
	"flag"
	"net/netip"
	"slices"
	"testing"
	"time"
)

func TestNetworkSettings(t *testing.T) {
	load := func(env map[string]string) (Config, error) {
		return Load(flag.NewFlagSet("t", flag.ContinueOnError), nil, func(k string) string { return env[k] })
	}
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	if n := c.Network; len(n.AllowedPrivate) != 0 || !slices.Equal(n.TrustedProxies, loopback) || n.OutboundTimeout != 30*time.Second || n.RateLimitsOff {
		t.Errorf("defaults = %+v; want nothing private allowed, loopback proxies, 30s, limits on", n)
	}
	c, err = load(map[string]string{"ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8, 10.0.0.5, fd00::/8", "TRUSTED_PROXY_IP": "172.16.0.0/12",
		"TUSK_RATE_LIMITS": "false", "TUSK_OUTBOUND_TIMEOUT": "5s"})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.5/32"), netip.MustParsePrefix("fd00::/8")}
	if n := c.Network; !slices.Equal(n.AllowedPrivate, want) || len(n.TrustedProxies) != 1 || !n.RateLimitsOff || n.OutboundTimeout != 5*time.Second {
		t.Errorf("parsed = %+v", n)
	}
	for _, bad := range []map[string]string{
		{"ALLOWED_PRIVATE_ADDRESSES": "localhost"},
		{"ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/33"},
		{"TRUSTED_PROXY_IP": "proxy.internal"},
		{"TUSK_RATE_LIMITS": "sometimes"},
		{"TUSK_OUTBOUND_TIMEOUT": "1ms"},
	} {
		if _, err := load(bad); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	if _, err := Load(flag.NewFlagSet("t", flag.ContinueOnError), []string{"--allowed-private-addresses", "127.0.0.1"}, func(string) string { return "" }); err != nil {
		t.Errorf("--allowed-private-addresses: %v", err)
	}
}
