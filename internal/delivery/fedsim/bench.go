package fedsim

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/delivery"
	"github.com/tuskhq/tusk/internal/procstat"
	"github.com/tuskhq/tusk/internal/store"
)

// The sources Options.Source names.
const (
	FromInstance = "instance" // a whole tusk: signed Follows, posts through the client API (InstanceSource)
	Direct       = "direct"   // activities written straight into the delivery queue (DirectSource)
)

// Options size a simulation.
type Options struct {
	Source   string // FromInstance (the default) or Direct
	Hosts    int
	Mix      Mix
	Timing   Timing
	Backlog  int // activities queued to every host before delivery starts
	Posts    int // new activities posted one by one once the bad hosts' breakers are open
	Policy   delivery.Policy
	Connect  time.Duration // outbound connect time-out
	Timeout  time.Duration // outbound total time-out per attempt
	KeyPool  int           // RSA keys the fake actors share (0: DefaultKeyPool)
	Seed     uint64
	Baseline bool // first run the same sizes with every host healthy
	Progress io.Writer
	Log      *slog.Logger
}

// Report is a simulation's results.
type Report struct {
	Engine    string
	CPUs      int
	Options   Options
	Scenarios []*Scenario
	Mastodon  MastodonEstimate
}

// Bench runs the simulation on st (an empty, migrated store it may fill).
func Bench(ctx context.Context, st *store.Store, o Options) (*Report, error) {
	if o.Source == "" {
		o.Source = FromInstance
	}
	b, err := newBench(ctx, st, o)
	if err != nil {
		return nil, err
	}
	defer b.close()
	rep := &Report{Engine: string(st.Engine()), CPUs: runtime.GOMAXPROCS(0), Options: o}
	if o.Baseline {
		sc, err := b.runScenario(ctx, "all healthy", Mix{})
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, sc)
	}
	sc, err := b.runScenario(ctx, "mix", o.Mix)
	if err != nil {
		return nil, err
	}
	rep.Scenarios = append(rep.Scenarios, sc)
	kinds, err := assign(o.Hosts, o.Mix, o.Seed)
	if err != nil {
		return nil, err
	}
	rep.Mastodon = EstimateMastodon(kinds, o.Backlog, o.Timing, o.Seed)
	return rep, nil
}

// Scenario is one run over one fleet.
type Scenario struct {
	Name       string
	Hosts      map[Behaviour]int
	Deliveries int // queued before delivery started

	Followers   int           // hosts whose Follow tusk accepted (the instance source)
	FollowPhase time.Duration // setup: from the first Follow sent to the last Accept received

	DrainHealthy time.Duration // until every healthy host had every queued activity
	BreakersOpen time.Duration // until every dead and black-hole host's breaker was open
	Posts        []time.Duration
	Attempts     map[Behaviour]int64         // the whole run
	WorkerTime   map[Behaviour]time.Duration // the whole run
	Steady       map[Behaviour]time.Duration // worker time spent while posting, breakers open
	Duplicates   int                         // activities a healthy host accepted more than once
	Missing      int                         // activities a healthy host never got
	BadSigs      int64
	Depth        []DepthPoint
	CPU          time.Duration
	RSSMiB       float64 // resident memory at the end (the fake servers included)
	PeakRSSMiB   float64
}

// DepthPoint is the number of deliveries waiting at a time since delivery started.
type DepthPoint struct {
	At     time.Duration
	Queued int64
}

// SteadyBadShare is the share of worker time spent on dead and black-hole hosts while
// posting with their breakers open.
func (s *Scenario) SteadyBadShare() float64 {
	var total, bad time.Duration
	for b, d := range s.Steady {
		total += d
		if b == Dead || b == BlackHole {
			bad += d
		}
	}
	if total == 0 {
		return 0
	}
	return float64(bad) / float64(total)
}

// MedianPost is the median time for a new post to reach every healthy host.
func (s *Scenario) MedianPost() time.Duration { return medianDuration(s.Posts) }

// meter adds up attempts per behaviour: over the whole run, and the part of each
// attempt's worker time that fell in the steady window (posting, breakers open). An
// attempt is observed when it ends, so one that began before the window (a black
// hole's, started before its breaker opened) counts only from the window's start, and
// one cancelled at the end only up to the window's end.
type meter struct {
	fleet      *Fleet
	mu         sync.Mutex
	steadyFrom time.Time
	steadyTo   time.Time
	sc         *Scenario
}

func (m *meter) observe(a delivery.Attempt) {
	b := m.fleet.Class(a.Host)
	end := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sc.Attempts[b]++
	m.sc.WorkerTime[b] += a.Took
	if m.steadyFrom.IsZero() {
		return
	}
	from, to := maxTime(end.Add(-a.Took), m.steadyFrom), end
	if !m.steadyTo.IsZero() && m.steadyTo.Before(to) {
		to = m.steadyTo
	}
	if to.After(from) {
		m.sc.Steady[b] += to.Sub(from)
	}
}

func (m *meter) startSteady() {
	m.mu.Lock()
	m.steadyFrom = time.Now()
	m.mu.Unlock()
}

func (m *meter) endSteady() {
	m.mu.Lock()
	m.steadyTo = time.Now()
	m.mu.Unlock()
}

// runScenario starts a fleet, has it follow a new source, arms it, queues the backlog
// and measures its delivery and the posts after.
func (b *bench) runScenario(ctx context.Context, name string, mix Mix) (*Scenario, error) {
	o := b.o
	src, verify, err := b.newSource(ctx)
	if err != nil {
		return nil, err
	}
	progress(o, "%s: starting %d fake servers…", name, o.Hosts)
	fleet, err := Start(FleetConfig{Hosts: o.Hosts, Mix: mix, Timing: o.Timing, Seed: o.Seed, Keys: b.keys, Verify: verify})
	if err != nil {
		return nil, err
	}
	defer fleet.Close()
	sc := newScenario(name, fleet)
	if o.Source == FromInstance {
		progress(o, "%s: %d fake actors follow a local account…", name, o.Hosts)
	}
	start := time.Now()
	if err := src.Follow(ctx, fleet); err != nil {
		return nil, err
	}
	sc.FollowPhase, sc.Followers = time.Since(start), fleet.Accepted()
	fleet.Arm()
	progress(o, "%s: queueing %d activities to %d inboxes…", name, o.Backlog, o.Hosts)
	backlog, err := src.Post(ctx, o.Backlog)
	if err != nil {
		return nil, err
	}
	sc.Deliveries = len(backlog) * o.Hosts
	m := &meter{fleet: fleet, sc: sc}
	svc := src.Delivery()
	policy := o.Policy
	if policy.Lease == 0 {
		policy.Lease = svc.Policy.Lease // the instance's, made to outlast its time-out
	}
	svc.Policy, svc.Observe = policy, m.observe
	if svc.Log == nil {
		svc.Log = o.Log
	}
	err = drive(ctx, b.st, svc, fleet, src, sc, m, o, backlog)
	sc.Duplicates, sc.Missing = exactlyOnce(fleet, backlog)
	for _, h := range fleet.Hosts {
		sc.BadSigs += h.BadSignatures()
		if _, derr := b.st.Writer().DropHostDeliveries(context.WithoutCancel(ctx), h.Addr); derr != nil && err == nil {
			err = derr
		}
	}
	return sc, err
}

func newScenario(name string, fleet *Fleet) *Scenario {
	sc := &Scenario{Name: name, Hosts: map[Behaviour]int{}, Attempts: map[Behaviour]int64{},
		WorkerTime: map[Behaviour]time.Duration{}, Steady: map[Behaviour]time.Duration{}}
	for _, h := range fleet.Hosts {
		sc.Hosts[h.Behaviour]++
	}
	return sc
}

// drive runs the delivery service through the phases and measures them.
func drive(ctx context.Context, st *store.Store, svc *delivery.Service, fleet *Fleet, src Source, sc *Scenario, m *meter, o Options, backlog []string) error {
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	cpu0 := procstat.SelfCPU()
	start := time.Now()
	var wg sync.WaitGroup
	wg.Go(func() { svc.Run(runCtx) })
	wg.Go(func() { sc.Depth = sampleDepth(runCtx, st, start) })
	defer func() {
		stop()
		wg.Wait()
		sc.CPU = procstat.SelfCPU() - cpu0
		sc.RSSMiB, sc.PeakRSSMiB = memory()
	}()
	progress(o, "%s: delivering…", sc.Name)
	healthy := fleet.Of(Healthy)
	done, err := waitReceived(ctx, healthy, backlog, start, 10*time.Minute)
	if err != nil {
		return err
	}
	sc.DrainHealthy = done
	progress(o, "%s: every healthy host had the backlog after %v; waiting for the bad hosts' breakers…", sc.Name, done.Round(time.Millisecond))
	if sc.BreakersOpen, err = waitBreakers(ctx, st, fleet, start, 2*o.Timeout+time.Minute); err != nil {
		return err
	}
	m.startSteady()
	defer m.endSteady() // before the deferred stop, which cancels the attempts in flight
	for i := range o.Posts {
		t0 := time.Now()
		ids, err := src.Post(ctx, 1)
		if err != nil {
			return err
		}
		took, err := waitReceived(ctx, healthy, ids, t0, time.Minute)
		if err != nil {
			return err
		}
		sc.Posts = append(sc.Posts, took)
		progress(o, "%s: post %d reached every healthy host in %v", sc.Name, i+1, took.Round(time.Millisecond))
	}
	return nil
}

// waitReceived waits until every host has every id and returns the time from since to
// the last first arrival. The arrival times are the hosts' own, so how often it looks
// changes nothing in what it returns; each host is read from the first id it missed.
func waitReceived(ctx context.Context, hosts []*Host, ids []string, since time.Time, limit time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(limit)
	type hostProgress struct {
		h    *Host
		next int // ids[:next] have arrived
	}
	pending := make([]hostProgress, len(hosts))
	for i, h := range hosts {
		pending[i] = hostProgress{h: h}
	}
	var last time.Time
	for len(pending) > 0 {
		still := pending[:0]
		for _, p := range pending {
			for ; p.next < len(ids); p.next++ {
				at, ok := p.h.ReceivedAt(ids[p.next])
				if !ok {
					break
				}
				last = maxTime(last, at)
			}
			if p.next < len(ids) {
				still = append(still, p)
			}
		}
		pending = still
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return 0, fmt.Errorf("fedsim: %d healthy hosts still miss activities after %v", len(pending), limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if last.IsZero() {
		return 0, nil
	}
	return last.Sub(since), nil
}

// waitBreakers waits until every dead and black-hole host's breaker is open (or the
// host is out of the turn order some other way) and returns the time since start.
func waitBreakers(ctx context.Context, st *store.Store, fleet *Fleet, start time.Time, limit time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(limit)
	for {
		hosts, err := st.DeliveryHosts(ctx)
		if err != nil {
			return 0, err
		}
		closed := 0
		for _, h := range hosts {
			b := fleet.Class(h.Host)
			if (b == Dead || b == BlackHole) && h.Breaker == store.BreakerClosed && !h.Unavailable {
				closed++
			}
		}
		if closed == 0 {
			return time.Since(start), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("fedsim: %d dead or black-hole hosts still have a closed breaker after %v", closed, limit)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// exactlyOnce counts, over healthy hosts, activities accepted twice or never.
func exactlyOnce(fleet *Fleet, ids []string) (dup, missing int) {
	for _, h := range fleet.Of(Healthy) {
		counts := h.Counts()
		for _, id := range ids {
			switch n := counts[id]; {
			case n == 0:
				missing++
			case n > 1:
				dup++
			}
		}
	}
	return dup, missing
}

func sampleDepth(ctx context.Context, st *store.Store, start time.Time) []DepthPoint {
	var out []DepthPoint
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		if n, err := st.DeliveryBacklog(ctx); err == nil {
			out = append(out, DepthPoint{At: time.Since(start), Queued: n})
		}
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
	}
}

func progress(o Options, format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "fedsim: "+format+"\n", args...)
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
