package pubsub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tuskhq/tusk/internal/config"
)

const testRedisAddr = "127.0.0.1:6379"

// testRedis is one "process" on the test Redis: its bus, and a plain client to inspect
// and disturb the server with. Each test gets its own namespace, so tests sharing the
// server never see each other's channels.
type testRedis struct {
	bus       *Redis
	admin     *redis.Client
	namespace string
	name      string // CLIENT SETNAME of the bus's connections
}

func newTestRedis(t *testing.T, namespace string) *testRedis {
	t.Helper()
	return newTestRedisVia(t, namespace, testRedisAddr, redisHealthInterval)
}

// newTestRedisVia connects the bus through addr (a proxy) with the given health interval.
func newTestRedisVia(t *testing.T, namespace, addr string, health time.Duration) *testRedis {
	t.Helper()
	admin := redis.NewClient(&redis.Options{Addr: testRedisAddr})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := admin.Ping(ctx).Err(); err != nil {
		admin.Close()
		t.Skipf("no Redis on %s (%v): start one with redis-server --daemonize yes to run this test", testRedisAddr, err)
	}
	name := "tusk-test-" + redisTestID()
	bus := newRedis(redis.NewClient(&redis.Options{Addr: addr, ClientName: name}), namespace, slog.New(slog.DiscardHandler), health)
	t.Cleanup(func() {
		bus.Close()
		admin.Close()
	})
	return &testRedis{bus: bus, admin: admin, namespace: namespace, name: name}
}

func redisTestID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// waitSubscribers waits until Redis counts n subscriptions to channel.
func (r *testRedis) waitSubscribers(t *testing.T, channel string, n int64) {
	t.Helper()
	full := r.namespace + ":" + channel
	for range 500 {
		counts, err := r.admin.PubSubNumSub(context.Background(), full).Result()
		if err == nil && counts[full] == n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("Redis never counted %d subscriber(s) on %s", n, full)
}

// redisInbox collects what a subscriber receives.
type redisInbox struct {
	mu  sync.Mutex
	got []string
	new chan struct{}
}

func newRedisInbox() *redisInbox { return &redisInbox{new: make(chan struct{}, 1)} }

func (in *redisInbox) add(p []byte) {
	in.mu.Lock()
	in.got = append(in.got, string(p))
	in.mu.Unlock()
	select {
	case in.new <- struct{}{}:
	default:
	}
}

func (in *redisInbox) snapshot() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.got...)
}

// waitFor waits until the inbox holds n payloads and returns them.
func (in *redisInbox) waitFor(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if got := in.snapshot(); len(got) >= n {
			return got
		}
		select {
		case <-in.new:
		case <-deadline:
			t.Fatalf("received %d payload(s); want %d", len(in.snapshot()), n)
		}
	}
}

func TestRedisTwoProcessesExchangeMessages(t *testing.T) {
	t.Parallel()
	ns := "t" + redisTestID()
	a, b := newTestRedis(t, ns), newTestRedis(t, ns)
	atA, atB, atB2 := newRedisInbox(), newRedisInbox(), newRedisInbox()
	a.bus.Subscribe("timeline:public", atA.add)
	b.bus.Subscribe("timeline:public", atB.add)
	b.bus.Subscribe("timeline:public", atB2.add)
	// Two local subscribers in b share one Redis subscription: two processes, two.
	a.waitSubscribers(t, "timeline:public", 2)

	ctx := context.Background()
	if err := a.bus.Publish(ctx, "timeline:public", []byte("from a")); err != nil {
		t.Fatal(err)
	}
	if err := b.bus.Publish(ctx, "timeline:public", []byte("from b")); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]*redisInbox{"a": atA, "b": atB, "b's second": atB2} {
		if got := in.waitFor(t, 2); strings.Join(got, ",") != "from a,from b" {
			t.Errorf("%s received %q; want both payloads in publish order", name, got)
		}
	}
}

func TestRedisUnsubscribeStopsTraffic(t *testing.T) {
	t.Parallel()
	ns := "t" + redisTestID()
	pub, sub := newTestRedis(t, ns), newTestRedis(t, ns)
	in := newRedisInbox()
	stop := sub.bus.Subscribe("timeline:hashtag:go", in.add)
	sub.waitSubscribers(t, "timeline:hashtag:go", 1)
	ctx := context.Background()
	pub.bus.Publish(ctx, "timeline:hashtag:go", []byte("one"))
	in.waitFor(t, 1)

	stop()
	stop() // a second call is harmless
	// With its last local subscriber gone, the process leaves the channel in Redis: a
	// publish there now reaches no process at all.
	sub.waitSubscribers(t, "timeline:hashtag:go", 0)
	n, err := pub.admin.Publish(ctx, ns+":timeline:hashtag:go", "two").Result()
	if err != nil || n != 0 {
		t.Fatalf("PUBLISH after unsubscribe reached %d subscriber(s), %v; want 0", n, err)
	}
	// A channel resubscribed after leaving works again.
	again := newRedisInbox()
	sub.bus.Subscribe("timeline:hashtag:go", again.add)
	sub.waitSubscribers(t, "timeline:hashtag:go", 1)
	pub.bus.Publish(ctx, "timeline:hashtag:go", []byte("three"))
	if got := again.waitFor(t, 1); got[0] != "three" {
		t.Errorf("resubscribed inbox got %q", got)
	}
	if got := in.snapshot(); len(got) != 1 {
		t.Errorf("unsubscribed inbox got %q; want only the first payload", got)
	}
}

func TestRedisKeepsOrderPerChannel(t *testing.T) {
	t.Parallel()
	ns := "t" + redisTestID()
	pub, sub := newTestRedis(t, ns), newTestRedis(t, ns)
	in := newRedisInbox()
	sub.bus.Subscribe("timeline:user:1", in.add)
	sub.waitSubscribers(t, "timeline:user:1", 1)
	const n = 2000
	for i := range n {
		if err := pub.bus.Publish(context.Background(), "timeline:user:1", []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range in.waitFor(t, n) {
		if p != fmt.Sprint(i) {
			t.Fatalf("payload %d is %q; want publish order", i, p)
		}
	}
}

func TestRedisResubscribesAfterClientKill(t *testing.T) {
	t.Parallel()
	ns := "t" + redisTestID()
	pub, sub := newTestRedis(t, ns), newTestRedis(t, ns)
	in := newRedisInbox()
	sub.bus.Subscribe("timeline:public", in.add)
	sub.bus.Subscribe("timeline:direct:7", func([]byte) {})
	sub.waitSubscribers(t, "timeline:public", 1)

	ctx := context.Background()
	old := sub.pubsubClientID(t)
	if old == "" {
		t.Fatal("no subscriber connection in CLIENT LIST")
	}
	killed, err := pub.admin.ClientKillByFilter(ctx, "ID", old).Result()
	if err != nil || killed != 1 {
		t.Fatalf("CLIENT KILL = %d, %v; want 1 connection killed", killed, err)
	}
	// The bus notices the closed connection, reconnects and subscribes every channel again.
	for i := 0; sub.pubsubClientID(t) == old || sub.pubsubClientID(t) == ""; i++ {
		if i == 500 {
			t.Fatal("the bus never made a new subscriber connection")
		}
		time.Sleep(10 * time.Millisecond)
	}
	sub.waitSubscribers(t, "timeline:public", 1)
	sub.waitSubscribers(t, "timeline:direct:7", 1)
	pub.bus.Publish(ctx, "timeline:public", []byte("after the kill"))
	if got := in.waitFor(t, 1); got[0] != "after the kill" {
		t.Errorf("received %q", got)
	}
}

// pubsubClientID finds the bus's subscriber connection in CLIENT LIST, or "" when it has none.
func (r *testRedis) pubsubClientID(t *testing.T) string {
	t.Helper()
	list, err := r.admin.ClientList(context.Background()).Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(list, "\n") {
		fields := strings.Fields(line)
		if !hasField(fields, "name="+r.name) || !strings.Contains(line, " sub=") || hasField(fields, "sub=0") {
			continue
		}
		for _, f := range fields {
			if id, ok := strings.CutPrefix(f, "id="); ok {
				return id
			}
		}
	}
	return ""
}

func hasField(fields []string, want string) bool {
	for _, f := range fields {
		if f == want {
			return true
		}
	}
	return false
}

func TestRedisSlowSubscriberDoesNotStopTheReader(t *testing.T) {
	t.Parallel()
	ns := "t" + redisTestID()
	pub, sub := newTestRedis(t, ns), newTestRedis(t, ns)
	release := make(chan struct{})
	var once sync.Once
	sub.bus.Subscribe("slow", func([]byte) { once.Do(func() { <-release }) })
	fast := newRedisInbox()
	sub.bus.Subscribe("fast", fast.add)
	sub.waitSubscribers(t, "slow", 1)
	sub.waitSubscribers(t, "fast", 1)

	// The stuck subscriber holds the dispatcher; the reader keeps draining the
	// connection and drops what no longer fits instead of waiting.
	ctx := context.Background()
	pipe := pub.admin.Pipeline()
	for range redisQueueSize + 500 {
		pipe.Publish(ctx, ns+":slow", "x")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 0; sub.bus.dropped.Load() == 0; i++ {
		if i == 500 {
			t.Fatal("nothing was dropped: the reader waited for the stuck subscriber")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	pub.bus.Publish(ctx, "fast", []byte("still flowing"))
	if got := fast.waitFor(t, 1); got[0] != "still flowing" {
		t.Errorf("received %q", got)
	}
}

func TestOpen(t *testing.T) {
	bus, err := Open(config.Config{}, slog.New(slog.DiscardHandler))
	if bus != nil || err != nil {
		t.Errorf("Open without Redis = %v, %v; want nil, nil", bus, err)
	}
	if _, err := Open(config.Config{Redis: config.RedisConfig{URL: "redis://127.0.0.1:1/0"}}, slog.New(slog.DiscardHandler)); err == nil {
		t.Error("Open with an unreachable Redis succeeded")
	}
	newTestRedis(t, "t") // skips without a Redis
	bus, err = Open(config.Config{Redis: config.RedisConfig{URL: "redis://" + testRedisAddr + "/0", Namespace: "t" + redisTestID()}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := bus.(*Redis); !ok {
		t.Errorf("Open = %T; want *Redis", bus)
	}
	if err := bus.Close(); err != nil {
		t.Error(err)
	}
}

func TestRedisReplacesASilentConnection(t *testing.T) {
	t.Parallel()
	proxy := startSilencingProxy(t, testRedisAddr)
	ns := "t" + redisTestID()
	pub := newTestRedis(t, ns)
	sub := newTestRedisVia(t, ns, proxy.addr, 100*time.Millisecond)
	in := newRedisInbox()
	sub.bus.Subscribe("timeline:public", in.add)
	sub.waitSubscribers(t, "timeline:public", 1)

	// The network goes quiet without closing anything, as behind a dead NAT entry: no
	// error ever reaches go-redis. The unanswered ping must make the bus start over.
	proxy.silence()
	ctx := context.Background()
	for i := 0; len(in.snapshot()) == 0; i++ {
		if i == 100 {
			t.Fatal("nothing arrived after the connection went silent: it was never replaced")
		}
		pub.bus.Publish(ctx, "timeline:public", []byte("hello"))
		time.Sleep(50 * time.Millisecond)
	}
}

// silencingProxy forwards TCP connections to Redis until told to go silent, after
// which the connections it already carries stay open but pass nothing.
type silencingProxy struct {
	addr string
	mu   sync.Mutex
	mute []*atomic.Bool
}

func startSilencingProxy(t *testing.T, target string) *silencingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &silencingProxy{addr: ln.Addr().String()}
	go func() {
		for {
			down, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				down.Close()
				continue
			}
			mute := new(atomic.Bool)
			p.mu.Lock()
			p.mute = append(p.mute, mute)
			p.mu.Unlock()
			go p.pipe(down, up, mute)
			go p.pipe(up, down, mute)
		}
	}()
	return p
}

// pipe copies from src to dst, discarding while muted; either side closing closes both.
func (p *silencingProxy) pipe(src, dst net.Conn, mute *atomic.Bool) {
	defer src.Close()
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if !mute.Load() {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
	}
}

func (p *silencingProxy) silence() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.mute {
		m.Store(true)
	}
}

func TestRedisResubscribesAfterARestart(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed: this test starts and restarts a Redis of its own")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	server := startRedisServer(t, addr)
	ns := "t" + redisTestID()
	sub := newTestRedisVia(t, ns, addr, redisHealthInterval)
	pub := &testRedis{admin: redis.NewClient(&redis.Options{Addr: addr}), namespace: ns} // checks and publishes
	t.Cleanup(func() { pub.admin.Close() })
	in := newRedisInbox()
	sub.bus.Subscribe("timeline:public", in.add)
	pub.waitSubscribers(t, "timeline:public", 1)

	server.stop(t)
	startRedisServer(t, addr)
	pub.waitSubscribers(t, "timeline:public", 1) // resubscribed on the new server
	if err := pub.admin.Publish(context.Background(), ns+":timeline:public", "after the restart").Err(); err != nil {
		t.Fatal(err)
	}
	if got := in.waitFor(t, 1); got[0] != "after the restart" {
		t.Errorf("received %q", got)
	}
}

type redisServer struct{ cmd *exec.Cmd }

// startRedisServer runs a throwaway redis-server on addr until the test ends.
func startRedisServer(t *testing.T, addr string) *redisServer {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("redis-server", "--bind", host, "--port", port, "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &redisServer{cmd: cmd}
	t.Cleanup(func() { s.stop(t) })
	for range 200 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return s
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("redis-server on %s never listened", addr)
	return nil
}

func (s *redisServer) stop(t *testing.T) {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
}
