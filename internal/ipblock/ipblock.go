// Package ipblock decides what an address blocked by an admin may do: sign up only with
// approval, not sign up, or not reach the instance at all.
package ipblock

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/store"
)

// Severities, weakest first, as Mastodon names them.
const (
	SignUpRequiresApproval = "sign_up_requires_approval"
	SignUpBlock            = "sign_up_block"
	NoAccess               = "no_access"
)

// rank orders severities so the strongest matching block wins.
var rank = map[string]int{SignUpRequiresApproval: 1, SignUpBlock: 2, NoAccess: 3}

// ValidSeverity reports whether s is one of the three severities.
func ValidSeverity(s string) bool { return rank[s] > 0 }

// ParseNetwork reads an address or a CIDR network and returns its canonical CIDR
// form (the address masked to its prefix), so 192.0.2.7/24 and 192.0.2.0/24 are one block.
func ParseNetwork(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR network", s)
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR network", s)
	}
	if p.Addr().Is4In6() {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

// Match returns the strongest severity among the unexpired blocks covering addr, or ""
// when none does. Blocks whose network does not parse are ignored.
func Match(blocks []store.IPBlock, addr netip.Addr, now time.Time) string {
	addr = addr.Unmap()
	best := ""
	for _, b := range blocks {
		if b.ExpiresAt != nil && !b.ExpiresAt.After(now) {
			continue
		}
		p, err := netip.ParsePrefix(b.IP)
		if err != nil || !p.Contains(addr) {
			continue
		}
		if rank[b.Severity] > rank[best] {
			best = b.Severity
		}
	}
	return best
}

// RefreshEvery is how often a running process reloads the block list, so a block added
// with "tusk admin ip-blocks add" takes at most this long to apply.
const RefreshEvery = 10 * time.Second

// Checker answers Match from a copy of the block list refreshed every TTL, so checking
// every request costs no query. A failed refresh keeps the last list it loaded.
type Checker struct {
	Store *store.Store
	TTL   time.Duration

	mu       sync.Mutex
	blocks   []store.IPBlock
	loadedAt time.Time
}

// Severity is the strongest block covering addr, from a list at most TTL old.
func (c *Checker) Severity(ctx context.Context, addr netip.Addr) (string, error) {
	blocks, err := c.list(ctx)
	return Match(blocks, addr, time.Now()), err
}

func (c *Checker) list(ctx context.Context) ([]store.IPBlock, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loadedAt.IsZero() && time.Since(c.loadedAt) < c.TTL {
		return c.blocks, nil
	}
	blocks, err := c.Store.IPBlocks(ctx)
	if err != nil {
		c.loadedAt = time.Now() // retry after TTL, not on every request of an outage
		return c.blocks, err
	}
	c.blocks, c.loadedAt = blocks, time.Now()
	return blocks, nil
}
