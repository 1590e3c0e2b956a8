package fedsim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/tuskhq/tusk/internal/httpsig"
)

// Mix is the share of hosts of each behaviour but Healthy, which takes the rest.
type Mix map[Behaviour]float64

// Fleet is a simulated fediverse: its fake servers, in random order.
type Fleet struct {
	Hosts []*Host
	class map[string]Behaviour
}

// FleetConfig describes a fleet to start.
type FleetConfig struct {
	Hosts  int
	Mix    Mix
	Timing Timing
	Seed   uint64                   // for the mix's order
	Keys   *KeyPool                 // the actors' keys; nil: a pool of DefaultKeyPool
	Verify func() *httpsig.Verifier // makes each host's verifier; nil: signatures are not checked
}

// Start starts c.Hosts fake servers on loopback, spread over the addresses 127.0.x.y
// (Linux routes all of 127.0.0.0/8 to loopback) so that no single address runs out of
// ports. Each answers as a healthy host until the fleet is armed.
func Start(c FleetConfig) (*Fleet, error) {
	n := c.Hosts
	if n <= 0 {
		return nil, errNoHosts
	}
	kinds, err := assign(n, c.Mix, c.Seed)
	if err != nil {
		return nil, err
	}
	if c.Keys == nil {
		c.Keys = NewKeyPool(DefaultKeyPool)
	}
	f := &Fleet{Hosts: make([]*Host, n), class: map[string]Behaviour{}}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		var verify *httpsig.Verifier
		if c.Verify != nil {
			verify = c.Verify()
		}
		wg.Go(func() { f.Hosts[i], errs[i] = startHost(loopbackIP(i), i, kinds[i], c.Timing, c.Keys, verify) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			f.closeStarted()
			return nil, err
		}
		f.class[f.Hosts[i].Addr] = f.Hosts[i].Behaviour
	}
	return f, nil
}

// Arm switches every host's behaviour on: until then all answered as healthy hosts.
func (f *Fleet) Arm() {
	for _, h := range f.Hosts {
		h.arm()
	}
}

// Accepted counts the hosts whose Follow tusk accepted.
func (f *Fleet) Accepted() int {
	n := 0
	for _, h := range f.Hosts {
		if h.Accepted() {
			n++
		}
	}
	return n
}

func loopbackIP(i int) string { return fmt.Sprintf("127.0.%d.%d", 1+i/250, 1+i%250) }

// assign gives each of n hosts a behaviour, the shares rounded, in random order.
func assign(n int, mix Mix, seed uint64) ([]Behaviour, error) {
	var kinds []Behaviour
	total := 0.0
	for _, b := range Behaviours {
		share := mix[b]
		if b == Healthy {
			continue
		}
		if share < 0 || share > 1 {
			return nil, fmt.Errorf("fedsim: share of %s hosts %v is not between 0 and 1", b, share)
		}
		total += share
		for range int(math.Round(share * float64(n))) {
			kinds = append(kinds, b)
		}
	}
	if total > 1.0001 || len(kinds) > n {
		return nil, fmt.Errorf("fedsim: the shares of unhealthy hosts add up to %.2f, more than all hosts", total)
	}
	for len(kinds) < n {
		kinds = append(kinds, Healthy)
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })
	return kinds, nil
}

// Inboxes lists every host's shared inbox.
func (f *Fleet) Inboxes() []string {
	out := make([]string, len(f.Hosts))
	for i, h := range f.Hosts {
		out[i] = h.Inbox()
	}
	return out
}

// Class is the behaviour of the host at addr.
func (f *Fleet) Class(addr string) Behaviour { return f.class[addr] }

// Of lists the hosts of one behaviour.
func (f *Fleet) Of(b Behaviour) []*Host {
	var out []*Host
	for _, h := range f.Hosts {
		if h.Behaviour == b {
			out = append(out, h)
		}
	}
	return out
}

// Close stops every host.
func (f *Fleet) Close() { f.closeStarted() }

func (f *Fleet) closeStarted() {
	var wg sync.WaitGroup
	for _, h := range f.Hosts {
		if h != nil {
			wg.Go(h.Close)
		}
	}
	wg.Wait()
}

var errNoHosts = errors.New("fedsim: no hosts")
