package ipblock

import (
	"net/netip"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

func TestParseNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7": "192.0.2.7/32", "192.0.2.7/24": "192.0.2.0/24", "2001:db8::1": "2001:db8::1/128",
		"2001:db8::1/32": "2001:db8::/32", "::ffff:192.0.2.7": "192.0.2.7/32", " 10.0.0.0/8 ": "10.0.0.0/8",
	} {
		if got, err := ParseNetwork(in); err != nil || got.String() != want {
			t.Errorf("ParseNetwork(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "example.com", "300.1.1.1", "10.0.0.0/33"} {
		if _, err := ParseNetwork(bad); err == nil {
			t.Errorf("ParseNetwork(%q) succeeded", bad)
		}
	}
}

func TestMatchTakesTheStrongestUnexpiredBlock(t *testing.T) {
	now := time.Now()
	past := now.Add(-time.Hour)
	blocks := []store.IPBlock{
		{IP: "192.0.2.0/24", Severity: SignUpRequiresApproval},
		{IP: "192.0.2.128/25", Severity: SignUpBlock},
		{IP: "192.0.2.200/32", Severity: NoAccess, ExpiresAt: &past},
		{IP: "not a network", Severity: NoAccess},
	}
	for addr, want := range map[string]string{
		"192.0.2.1": SignUpRequiresApproval, "192.0.2.130": SignUpBlock, "192.0.2.200": SignUpBlock,
		"::ffff:192.0.2.1": SignUpRequiresApproval, "198.51.100.1": "",
	} {
		if got := Match(blocks, netip.MustParseAddr(addr), now); got != want {
			t.Errorf("Match(%s) = %q; want %q", addr, got, want)
		}
	}
}
