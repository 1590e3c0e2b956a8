package delivery

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/store"
)

// SendFunc signs body as the signer's and posts it to inbox. It returns nil for a 2xx
// answer and a *StatusError for any other; any other error is the host's failure.
type SendFunc func(ctx context.Context, inbox string, body []byte, signerAccountID int64) error

// Attempt describes one finished attempt, for observers (the simulated fediverse).
type Attempt struct {
	Host    string
	Inbox   string
	Outcome string // delivered, refused, failed, timed_out, cancelled, dropped
	Took    time.Duration
	Err     error
	// HostState is the host's breaker when the attempt started: closed, or half_open
	// for the probe of a host whose breaker was open.
	HostState string
	// GaveUp says the delivery is over without reaching its inbox: refused, unsendable,
	// or too old to retry.
	GaveUp bool
}

// Result sums the attempt up for metrics: delivered, gave_up, failed (to be retried),
// or "" when this process stopped it.
func (a Attempt) Result() string {
	switch {
	case a.Outcome == "delivered":
		return "delivered"
	case a.GaveUp:
		return "gave_up"
	case a.Outcome == "cancelled":
		return ""
	}
	return "failed"
}

// Service delivers the queued deliveries. The admin methods (Hosts, Reset …) need only
// Store; Run needs Send too.
type Service struct {
	Store  *store.Store
	Send   SendFunc
	Policy Policy
	Log    *slog.Logger
	// Observe, when set, is called after every attempt, from the attempt's goroutine.
	Observe func(Attempt)

	counts counters
}

// Runs reports whether a process with these settings delivers: it works the push queue.
func Runs(cfg config.JobsConfig) bool { return slices.Contains(cfg.WorkedQueues(), "push") }

// Run delivers until ctx ends, then waits for the attempts in flight (their context is
// cancelled, and their deliveries are released for another attempt).
func (s *Service) Run(ctx context.Context) error {
	if s.Send == nil || s.Store == nil {
		return errors.New("delivery: Run needs Store and Send")
	}
	s.Policy = s.Policy.Defaults()
	var wg sync.WaitGroup
	wg.Go(func() { s.maintain(ctx) })
	d := newDispatcher(s)
	err := d.run(ctx)
	wg.Wait()
	s.flushSamples(context.WithoutCancel(ctx), time.Now())
	return err
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// dispatcher hands due deliveries to attempts, one host at a time in turn.
type dispatcher struct {
	s        *Service
	slots    int                            // free attempt slots
	inflight map[string]int                 // attempts in flight per host
	hosts    map[string]*store.DeliveryHost // the latest known state of hosts in ready
	caps     map[string]int                 // their attempt caps (hostCap), kept with hosts
	answered map[string]bool                // hosts that answered an attempt since they joined the turns
	ready    []string                       // hosts with due deliveries, in turn order (by name)
	next     int                            // index in ready of the next host's turn
	last     string                         // the host that had the latest turn
	done     chan finished
	polled   time.Time
}

type finished struct {
	host     string
	state    *store.DeliveryHost // the host's row after the attempt; nil if it could not be saved
	answered bool                // the host answered (delivered or refused)
}

func newDispatcher(s *Service) *dispatcher {
	return &dispatcher{s: s, slots: s.Policy.Workers, inflight: map[string]int{}, hosts: map[string]*store.DeliveryHost{},
		caps: map[string]int{}, answered: map[string]bool{}, done: make(chan finished, s.Policy.Workers)}
}

func (d *dispatcher) run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		d.collect()
		if d.slots == 0 {
			d.wait(ctx, 0)
			continue
		}
		if time.Since(d.polled) >= d.s.Policy.Poll {
			d.refresh(ctx) // hosts that got deliveries or whose cool-off ended join the turns
		}
		hosts := d.pickTurns(d.slots)
		if len(hosts) == 0 {
			d.wait(ctx, d.s.Policy.Poll)
			continue
		}
		claimed, empty, err := d.s.claimTurns(ctx, hosts, d.hosts)
		if err != nil {
			if ctx.Err() == nil {
				d.s.log().Error("delivery: claim", "err", err)
				d.wait(ctx, d.s.Policy.Poll)
			}
			continue
		}
		for _, host := range empty {
			d.drop(host)
		}
		for _, c := range claimed {
			d.slots--
			d.inflight[c.job.Host]++
			wg.Go(func() { d.done <- d.s.attempt(ctx, c) })
		}
	}
	return nil
}

// pickTurns returns up to n hosts, in turn from where the last pass stopped, that have
// room for another attempt: one turn each, so every host with work moves at the same pace.
func (d *dispatcher) pickTurns(n int) []string {
	var out []string
	for range len(d.ready) {
		if len(out) == n {
			break
		}
		if d.next >= len(d.ready) {
			d.next = 0
		}
		host := d.ready[d.next]
		d.next++
		if d.inflight[host] < d.capOf(host) {
			out = append(out, host)
			d.last = host
		}
	}
	return out
}

// drop removes a host with nothing due from the turn order.
func (d *dispatcher) drop(host string) {
	if i := slices.Index(d.ready, host); i >= 0 {
		d.ready = slices.Delete(d.ready, i, i+1)
		if d.next > i {
			d.next--
		}
	}
	if d.inflight[host] == 0 {
		delete(d.hosts, host)
		delete(d.caps, host)
		delete(d.answered, host)
	}
}

// capOf is the attempts host may have in flight: its cap once it has answered since it
// joined the turns, one until then. A host that answered well before but has since gone
// dark (a black hole) thus holds one worker for the time-out, not HostConcurrency: with
// many such hosts at once, their attempts would otherwise fill every worker.
func (d *dispatcher) capOf(host string) int {
	if !d.answered[host] {
		return 1
	}
	return d.caps[host]
}

// refresh reloads the hosts with due deliveries and reports whether there are any.
func (d *dispatcher) refresh(ctx context.Context) bool {
	d.polled = time.Now()
	hosts, err := d.s.Store.ReadyDeliveryHosts(ctx, time.Now(), 100_000)
	if err != nil {
		if ctx.Err() == nil {
			d.s.log().Error("delivery: list ready hosts", "err", err)
		}
		return false
	}
	was := make(map[string]bool, len(d.ready))
	for _, h := range d.ready {
		was[h] = true
	}
	d.ready = d.ready[:0]
	for _, h := range hosts {
		if !was[h.Host] {
			delete(d.answered, h.Host) // it joins the turns: one attempt until one answers
		}
		d.ready = append(d.ready, h.Host)
		if _, busy := d.inflight[h.Host]; !busy {
			d.remember(h) // a host in flight keeps the state its attempts reported
		}
	}
	slices.Sort(d.ready) // byte order, whatever the database's collation
	// Carry on after the host that had the latest turn, so a refresh does not send the
	// turns back to the start of the alphabet.
	d.next, _ = slices.BinarySearch(d.ready, d.last)
	if d.next < len(d.ready) && d.ready[d.next] == d.last {
		d.next++
	}
	return len(d.ready) > 0
}

// collect takes the finished attempts without waiting.
func (d *dispatcher) collect() {
	for {
		select {
		case f := <-d.done:
			d.finish(f)
		default:
			return
		}
	}
}

func (d *dispatcher) finish(f finished) {
	d.slots++
	d.inflight[f.host]--
	if d.inflight[f.host] <= 0 {
		delete(d.inflight, f.host)
	}
	if f.answered {
		d.answered[f.host] = true
	}
	if f.state != nil {
		d.remember(f.state)
		if f.state.Breaker != store.BreakerClosed || f.state.Unavailable || f.state.Suspended {
			d.drop(f.host) // nothing more for it until the next refresh says so
		}
	}
}

// wait blocks until an attempt finishes, ctx ends or, with a positive limit, it passes.
func (d *dispatcher) wait(ctx context.Context, limit time.Duration) {
	var timeout <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case f := <-d.done:
		d.finish(f)
	case <-ctx.Done():
	case <-timeout:
	}
}

func (d *dispatcher) remember(h *store.DeliveryHost) {
	d.hosts[h.Host] = h
	d.caps[h.Host] = d.s.Policy.hostCap(h)
}
