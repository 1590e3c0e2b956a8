package outbound

import (
	"net/netip"
)

// special lists the networks no outbound request may reach unless the operator allows
// them: IANA's special-purpose registries (loopback, private, shared CGNAT space,
// link-local, multicast, documentation, benchmarking, reserved) for both families, and
// the IPv6 ranges that embed or translate to an IPv4 address (IPv4-compatible, NAT64,
// Teredo) since the IPv4 address inside could be any of the above.
var special = prefixes(
	// IPv4
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
	"192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
	// IPv6
	"::/96",                          // unspecified, loopback and the deprecated IPv4-compatible form (::127.0.0.1)
	"64:ff9b::/96", "64:ff9b:1::/48", // NAT64
	"100::/64",                   // discard
	"2001::/23",                  // IETF protocol assignments, Teredo among them
	"2001:db8::/32", "3fff::/20", // documentation
	"fc00::/7",  // unique local
	"fe80::/10", // link-local
	"fec0::/10", // site-local (deprecated)
	"ff00::/8",  // multicast
)

// sixToFour is 2002::/16, whose next 32 bits are an IPv4 address the packet goes to;
// the others carry an IPv4 address in their last 32 bits.
var (
	sixToFour      = netip.MustParsePrefix("2002::/16")
	embedsLastFour = prefixes("::/96", "64:ff9b::/96", "64:ff9b:1::/48")
)

func prefixes(list ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(list))
	for i, s := range list {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Guard decides which addresses outbound connections may reach.
type Guard struct {
	// Allowed lists networks reachable although special (ALLOWED_PRIVATE_ADDRESSES).
	Allowed []netip.Prefix
}

// Permits reports whether a connection to ip may be made. ip is the address the
// resolver produced, checked at dial time, so a name that resolves differently on a
// second lookup (DNS rebinding) cannot slip past.
func (g Guard) Permits(ip netip.Addr) bool {
	ip = ip.WithZone("").Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	if !ip.IsValid() {
		return false
	}
	forms := []netip.Addr{ip}
	if v4, ok := embeddedIPv4(ip); ok {
		forms = append(forms, v4)
	}
	for _, a := range forms {
		if g.allowed(a) {
			return true
		}
	}
	for _, a := range forms {
		if isSpecial(a) {
			return false
		}
	}
	return true
}

func (g Guard) allowed(ip netip.Addr) bool {
	for _, p := range g.Allowed {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func isSpecial(ip netip.Addr) bool {
	for _, p := range special {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// embeddedIPv4 is the IPv4 address an IPv6 address carries in its IPv4-compatible,
// NAT64 or 6to4 form.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	for _, p := range embedsLastFour {
		if p.Contains(ip) {
			return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
		}
	}
	return netip.Addr{}, false
}
