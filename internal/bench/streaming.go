package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server"
)

// StreamingOptions configure "tusk bench streaming".
type StreamingOptions struct {
	Connections  int           // concurrent WebSocket streams on ?stream=public
	Members      int           // accounts the streams sign in as, in turn; 0: one per stream
	UserStream   bool          // also subscribe every stream to its member's user stream
	Posts        int           // public statuses posted in the burst
	PostInterval time.Duration // pause between two posts
	Idle         time.Duration // how long the open streams idle while CPU is measured
	SourceAddrs  int           // 127.0.0.x source addresses; 0: enough for Connections
	Parallel     int           // handshakes (and closes) in flight at once
	Settle       time.Duration // wait after opening the streams before memory is read
	Progress     io.Writer
	Serve        ServeSpec // the server runs as this child process, so only its memory counts
}

// DefaultStreamingOptions: 10,000 public streams, the target's subscriber count.
func DefaultStreamingOptions() StreamingOptions {
	return StreamingOptions{Connections: 10000, Posts: 20, PostInterval: 500 * time.Millisecond,
		Idle: 30 * time.Second, Parallel: 200, Settle: 5 * time.Second}
}

func (o StreamingOptions) validate() error {
	var errs []error
	if o.Connections < 1 || o.Members < 0 || o.Members > o.Connections {
		errs = append(errs, errors.New("connections must be positive and members between 0 and connections"))
	}
	if o.Posts < 1 || o.PostInterval < 0 || o.Idle < 0 || o.Settle < 0 || o.Parallel < 1 {
		errs = append(errs, errors.New("posts and parallel must be positive, durations not negative"))
	}
	return errors.Join(errs...)
}

func (o StreamingOptions) members() int {
	if o.Members == 0 {
		return o.Connections
	}
	return o.Members
}

func (o StreamingOptions) logf(format string, args ...any) {
	Options{Progress: o.Progress}.logf(format, args...)
}

// StreamingTargets are the goals of issue 8 on a 2-core machine.
type StreamingTargets struct {
	RSSFor50kMB float64 `json:"rss_for_50000_connections_mb_max"`
	P99Ms       float64 `json:"delivery_p99_ms_max"`
}

// StreamingResult is one run of the streaming benchmark.
type StreamingResult struct {
	Connections      int              `json:"connections"`
	Opened           int              `json:"opened"`
	FailedToOpen     int              `json:"failed_to_open"`
	FirstOpenError   string           `json:"first_open_error,omitempty"`
	SourceAddrs      int              `json:"source_addresses"`
	UserStream       bool             `json:"user_stream"`
	OpenSeconds      float64          `json:"open_seconds"`
	BaseRSSMB        float64          `json:"base_rss_mb"` // the server before any stream
	RSSMB            float64          `json:"rss_mb"`      // with every stream open
	RSSPerConnKB     float64          `json:"rss_per_connection_kb"`
	RSSFor50kMB      float64          `json:"rss_for_50000_connections_mb"` // base + 50,000 × per connection
	IdleSeconds      float64          `json:"idle_seconds"`
	BaseIdleCPU      float64          `json:"idle_cpu_cores_without_streams"`    // the server's background work
	IdleCPU          float64          `json:"idle_cpu_cores"`                    // fraction of one core while idle
	IdleCPUPerConnUs float64          `json:"idle_cpu_us_per_connection_second"` // beyond the background work
	Posts            int              `json:"posts"`
	Delivery         Latency          `json:"delivery"` // POST sent → update read, every stream × post
	Missing          int              `json:"missing_deliveries"`
	LastDeliveryMs   []float64        `json:"last_delivery_ms_by_post"` // each post's slowest delivery, in posting order
	BurstSeconds     float64          `json:"burst_seconds"`
	BurstCPU         float64          `json:"burst_cpu_cores"`
	ClientBurstCPU   float64          `json:"client_burst_cpu_cores"` // the benchmark's own readers, on the same cores
	DroppedStreams   int              `json:"streams_ended_early"`
	FirstDropError   string           `json:"first_stream_error,omitempty"`
	Targets          StreamingTargets `json:"targets"`
}

// RunStreaming seeds members in srv's (empty, migrated) database, starts o.Serve on
// it, and measures the streams. srv is only used to write the members and tokens.
func RunStreaming(ctx context.Context, srv *server.Server, o StreamingOptions) (*StreamingResult, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	tokens, err := seedMembers(ctx, srv, o)
	if err != nil {
		return nil, err
	}
	o.logf("starting %s serve", o.Serve.Binary)
	c, err := startServe(ctx, o.Serve)
	if err != nil {
		return nil, err
	}
	defer c.stop()
	base := fmt.Sprintf("127.0.0.1:%d", c.port)
	return measureStreaming(ctx, target{base: base, pid: c.pid(), alive: c.alive}, tokens, o)
}

// seedMembers writes the members and returns one read+write token for each.
func seedMembers(ctx context.Context, srv *server.Server, o StreamingOptions) ([]string, error) {
	sizes := Sizes{Accounts: max(2, o.members()), Follows: 0, Statuses: 1, Requests: 1, Posts: 1}
	seeded, err := Seed(ctx, srv.Store, srv.Config.BaseURL(), Options{Sizes: sizes, Progress: o.Progress, Seed: 1})
	if err != nil {
		return nil, err
	}
	app := &model.App{Name: "tusk bench", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"},
		Scopes: []string{"read", "write"}, ClientID: randomHex(16), ClientSecret: randomHex(32)}
	if err := srv.Store.Writer().InsertApp(ctx, app); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	start := time.Now()
	tokens := make([]string, o.members())
	for i := range tokens {
		token, _, _, err := srv.OAuth.IssueToken(ctx, app.ID, &seeded.plan.users[i].ID, app.Scopes)
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		tokens[i] = token
	}
	o.logf("issued %d tokens (%s)", len(tokens), since(start))
	return tokens, nil
}

// target is the server under test: where it listens and which process it is.
type target struct {
	base  string       // host:port
	pid   int          // for /proc readings
	alive func() error // reports the server's exit
}

// measureStreaming opens the streams, lets them idle, posts, and closes them.
func measureStreaming(ctx context.Context, t target, tokens []string, o StreamingOptions) (*StreamingResult, error) {
	addrs, err := sourceAddrs(o.Connections, o.SourceAddrs)
	if err != nil {
		return nil, err
	}
	r := &StreamingResult{Connections: o.Connections, SourceAddrs: len(addrs), UserStream: o.UserStream, Posts: o.Posts,
		Targets: StreamingTargets{RSSFor50kMB: 1024, P99Ms: 250}}
	before, err := idleBaseline(ctx, t, o, r)
	if err != nil {
		return nil, err
	}
	o.logf("opening %d streams from %d source addresses, %d at a time", o.Connections, len(addrs), o.Parallel)
	start := time.Now()
	f := openFleet(ctx, fleetSpec{URL: "ws://" + t.base + "/api/v1/streaming?stream=public", Tokens: tokens,
		Connections: o.Connections, UserStream: o.UserStream, Addrs: addrs, Parallel: o.Parallel})
	defer func() {
		o.logf("closing %d streams", len(f.streams))
		f.close(o.Parallel)
	}()
	r.OpenSeconds, r.Opened, r.FailedToOpen = time.Since(start).Seconds(), len(f.streams), f.failed
	if f.firstErr != nil {
		r.FirstOpenError = f.firstErr.Error()
	}
	o.logf("opened %d streams, %d failed (%s)", r.Opened, r.FailedToOpen, since(start))
	if r.Opened == 0 {
		return nil, fmt.Errorf("no stream opened; the first failure: %w", f.firstErr)
	}
	if err := measureIdle(ctx, t, f, before, o, r); err != nil {
		return nil, err
	}
	if err := measureBurst(ctx, t, f, tokens[0], o, r); err != nil {
		return nil, err
	}
	n, first := f.readerErrors()
	r.DroppedStreams = n
	if first != nil {
		r.FirstDropError = first.Error()
	}
	return r, nil
}

// idleBaseline lets the fresh server settle, then measures its CPU with no stream for
// a third of o.Idle (at most 10 s), what its background work costs anyway; it returns
// the sample that opening streams is measured against.
func idleBaseline(ctx context.Context, t target, o StreamingOptions, r *StreamingResult) (procSample, error) {
	if err := sleepCtx(ctx, o.Settle); err != nil {
		return procSample{}, err
	}
	from, err := sampleProc(t.pid)
	if err != nil {
		return procSample{}, err
	}
	if err := sleepCtx(ctx, min(o.Idle/3, 10*time.Second)); err != nil {
		return procSample{}, err
	}
	to, err := sampleProc(t.pid)
	if err != nil {
		return procSample{}, err
	}
	r.BaseIdleCPU = cpuShare(from, to)
	return to, nil
}

// measureIdle reads the memory the open streams hold and the CPU they cost idle.
func measureIdle(ctx context.Context, t target, f *fleet, before procSample, o StreamingOptions, r *StreamingResult) error {
	if err := sleepCtx(ctx, o.Settle); err != nil {
		return err
	}
	idleStart, err := sampleProc(t.pid)
	if err != nil {
		return err
	}
	r.BaseRSSMB, r.RSSMB = float64(before.rssKB)/1024, float64(idleStart.rssKB)/1024
	r.RSSPerConnKB = float64(idleStart.rssKB-before.rssKB) / float64(r.Opened)
	r.RSSFor50kMB = r.BaseRSSMB + 50000*r.RSSPerConnKB/1024
	o.logf("idle for %s", o.Idle)
	if err := sleepCtx(ctx, o.Idle); err != nil {
		return err
	}
	idleEnd, err := sampleProc(t.pid)
	if err != nil {
		return err
	}
	r.IdleSeconds = idleEnd.at.Sub(idleStart.at).Seconds()
	r.IdleCPU = cpuShare(idleStart, idleEnd)
	r.IdleCPUPerConnUs = max(0, r.IdleCPU-r.BaseIdleCPU) * 1e6 / float64(r.Opened)
	return t.alive()
}

// deliveryGrace is how long the burst waits, after the last post, for stragglers.
const deliveryGrace = 30 * time.Second

// measureBurst posts o.Posts public statuses and times their arrival on every stream.
func measureBurst(ctx context.Context, t target, f *fleet, token string, o StreamingOptions, r *StreamingResult) error {
	o.logf("posting %d statuses, one every %s", o.Posts, o.PostInterval)
	posted := make(map[string]time.Time, o.Posts)
	start, err := sampleProc(t.pid)
	if err != nil {
		return err
	}
	clientStart, err := sampleProc(os.Getpid())
	if err != nil {
		return err
	}
	for k := range o.Posts {
		sent := time.Now()
		id, err := postStatus(ctx, t.base, token, fmt.Sprintf("streaming benchmark %d", k))
		if err != nil {
			return errors.Join(err, t.alive())
		}
		posted[id] = sent
		if err := sleepCtx(ctx, o.PostInterval); err != nil {
			return err
		}
	}
	complete := f.waitDelivered(ctx, int64(len(f.streams)*o.Posts), deliveryGrace)
	end, err := sampleProc(t.pid)
	if err != nil {
		return err
	}
	clientEnd, err := sampleProc(os.Getpid())
	if err != nil {
		return err
	}
	r.BurstSeconds, r.BurstCPU = end.at.Sub(start.at).Seconds(), cpuShare(start, end)
	r.ClientBurstCPU = cpuShare(clientStart, clientEnd)
	f.close(o.Parallel) // the readers must stop before their arrivals are read
	took, missing, last := f.latencies(posted)
	r.Delivery, r.Missing = summarize(took), missing
	for _, d := range last {
		r.LastDeliveryMs = append(r.LastDeliveryMs, math.Round(ms(d)*10)/10)
	}
	if !complete {
		o.logf("%d deliveries still missing %s after the last post", missing, deliveryGrace)
	}
	return nil
}

// postStatus posts a public status through the API and returns its id.
func postStatus(ctx context.Context, base, token, text string) (string, error) {
	form := url.Values{"status": {text}, "visibility": {"public"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+base+"/api/v1/statuses", strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("bench: post a status: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("bench: post a status: HTTP %d: %.300s", resp.StatusCode, body)
	}
	var status struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &status); err != nil || status.ID == "" {
		return "", fmt.Errorf("bench: post a status: no id in %.300s", body)
	}
	return status.ID, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
