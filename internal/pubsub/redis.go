package pubsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/tuskhq/tusk/internal/config"
)

const (
	// redisHealthInterval is how long the subscriber connection may stay silent before it is
	// pinged; a ping unanswered for another interval means the connection is dead.
	redisHealthInterval = 15 * time.Second
	// redisMaxBackoff caps the wait between attempts to reach Redis while it is down.
	redisMaxBackoff = 5 * time.Second
	// redisQueueSize bounds the messages read from Redis but not yet handed to local
	// subscribers. When it is full the reader drops messages rather than stop reading:
	// a stalled reader makes Redis disconnect it (client-output-buffer-limit pubsub),
	// which would lose every channel's messages instead of the excess.
	redisQueueSize = 8192
	// redisBatchSize bounds the channels named in one SUBSCRIBE or UNSUBSCRIBE command.
	redisBatchSize = 1000
)

// Open returns the bus cfg configures across processes: Redis when REDIS_URL (or
// REDIS_HOST) is set, after checking the server answers. Without one it returns nil,
// nil, and the caller keeps events within the process.
func Open(cfg config.Config, log *slog.Logger) (Bus, error) {
	if !cfg.Redis.Enabled() {
		return nil, nil
	}
	opts, err := redis.ParseURL(cfg.Redis.URL)
	if err != nil {
		return nil, fmt.Errorf("pubsub: REDIS_URL: %w", err)
	}
	opts.ClientName = "tusk"
	// The maintenance-notification handshake is for managed Redis clusters; against a
	// plain server it only adds a failed command and a log line on every connection.
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	client := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("pubsub: redis at %s: %w", opts.Addr, err)
	}
	return NewRedis(client, cfg.Redis.Namespace, log), nil
}

// Redis is a Bus over Redis pub/sub, for several tusk processes sharing one Redis.
//
// Each process holds one subscriber connection. It is subscribed to exactly the
// channels some local subscriber listens to: the first local subscriber of a channel
// subscribes it in Redis and the last one to leave unsubscribes it, so a process does
// no work for channels nobody here listens to, and publishing where nobody listens
// anywhere costs Redis one PUBLISH. After a lost connection (a Redis restart, CLIENT
// KILL, a silent network) the connection is made again and every channel resubscribed.
// Redis pub/sub delivers at most once: what is published while a process is cut off
// from Redis does not reach that process's subscribers.
type Redis struct {
	client *redis.Client
	prefix string // REDIS_NAMESPACE and a colon, or nothing
	log    *slog.Logger

	mu      sync.Mutex
	subs    map[string]map[*redisSubscriber]struct{} // local subscribers by channel (without prefix)
	changed map[string]struct{}                      // channels whose Redis subscription may be out of date
	wake    chan struct{}                            // tells the subscription manager to look at changed

	psMu       sync.Mutex
	ps         *redis.PubSub
	subscribed map[string]struct{} // channels (with prefix) subscribed in Redis; written by the manager under psMu

	queue   chan *redis.Message // read from Redis, waiting for local delivery
	dropped atomic.Int64
	health  time.Duration // redisHealthInterval; shorter in tests

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed sync.Once
}

type redisSubscriber struct{ fn func(payload []byte) }

// NewRedis starts a bus on client; namespace, when set, prefixes every channel name.
// Close closes client.
func NewRedis(client *redis.Client, namespace string, log *slog.Logger) *Redis {
	return newRedis(client, namespace, log, redisHealthInterval)
}

func newRedis(client *redis.Client, namespace string, log *slog.Logger, health time.Duration) *Redis {
	ctx, cancel := context.WithCancel(context.Background())
	b := &Redis{client: client, log: log, ctx: ctx, cancel: cancel, health: health,
		subs: map[string]map[*redisSubscriber]struct{}{}, changed: map[string]struct{}{}, wake: make(chan struct{}, 1),
		ps: client.Subscribe(ctx), subscribed: map[string]struct{}{}, queue: make(chan *redis.Message, redisQueueSize)}
	if namespace != "" {
		b.prefix = namespace + ":"
	}
	b.wg.Add(3)
	go b.manageSubscriptions()
	go b.read()
	go b.dispatch()
	return b
}

// Publish sends payload to every subscriber of channel in every process: one PUBLISH.
func (b *Redis) Publish(ctx context.Context, channel string, payload []byte) error {
	if err := b.client.Publish(ctx, b.prefix+channel, payload).Err(); err != nil {
		return fmt.Errorf("pubsub: publish on %s: %w", channel, err)
	}
	return nil
}

// Subscribe calls fn with each payload published on channel, in publish order, until
// the returned function is called. The Redis subscription follows shortly after the
// first local subscriber; payloads published before it is in place are not seen.
// fn must not block, nor modify payload (every subscriber gets the same slice).
func (b *Redis) Subscribe(channel string, fn func(payload []byte)) (unsubscribe func()) {
	s := &redisSubscriber{fn: fn}
	b.mu.Lock()
	set := b.subs[channel]
	if set == nil {
		set = map[*redisSubscriber]struct{}{}
		b.subs[channel] = set
		b.markChanged(channel)
	}
	set[s] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { b.unsubscribe(channel, s) }) }
}

func (b *Redis) unsubscribe(channel string, s *redisSubscriber) {
	b.mu.Lock()
	defer b.mu.Unlock()
	set := b.subs[channel]
	delete(set, s)
	if len(set) == 0 {
		delete(b.subs, channel)
		b.markChanged(channel)
	}
}

// markChanged queues channel for the subscription manager. b.mu must be held.
func (b *Redis) markChanged(channel string) {
	b.changed[channel] = struct{}{}
	select {
	case b.wake <- struct{}{}:
	default: // already woken; it will see this channel too
	}
}

// Close stops delivery and closes the connections to Redis.
func (b *Redis) Close() error {
	var err error
	b.closed.Do(func() {
		b.cancel()
		b.psMu.Lock()
		err = b.ps.Close()
		b.psMu.Unlock()
		b.wg.Wait()
		err = errors.Join(err, b.client.Close())
	})
	return err
}

// manageSubscriptions brings the Redis subscriptions in line with the local
// subscribers whenever a channel gains its first or loses its last one. Working
// apart from Subscribe keeps a slow or unreachable Redis from stalling the streaming
// connection that subscribes, and lets a burst of new channels share one command.
func (b *Redis) manageSubscriptions() {
	defer b.wg.Done()
	for {
		select {
		case <-b.ctx.Done():
			return
		case <-b.wake:
		}
		add, remove := b.takeChanges()
		b.psMu.Lock()
		b.apply("subscribe", add, b.ps.Subscribe)
		b.apply("unsubscribe", remove, b.ps.Unsubscribe)
		b.psMu.Unlock()
	}
}

// takeChanges lists the prefixed channels to subscribe and to unsubscribe in Redis.
func (b *Redis) takeChanges() (add, remove []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for channel := range b.changed {
		_, want := b.subs[channel]
		_, have := b.subscribed[b.prefix+channel]
		switch {
		case want && !have:
			add = append(add, b.prefix+channel)
		case !want && have:
			remove = append(remove, b.prefix+channel)
		}
	}
	clear(b.changed)
	return add, remove
}

// apply runs a SUBSCRIBE or UNSUBSCRIBE in batches and records the result. go-redis
// remembers the channels even when sending fails and resubscribes them when it
// reconnects, so a failure here only needs logging. b.psMu must be held.
func (b *Redis) apply(verb string, channels []string, send func(context.Context, ...string) error) {
	for batch := range slices.Chunk(channels, redisBatchSize) {
		if err := send(b.ctx, batch...); err != nil && b.ctx.Err() == nil {
			b.log.Warn("pubsub: redis "+verb+" failed; it is retried on reconnection", "channels", len(batch), "err", err)
		}
		for _, c := range batch {
			if verb == "subscribe" {
				b.subscribed[c] = struct{}{}
			} else {
				delete(b.subscribed, c)
			}
		}
	}
}

// read receives from the subscriber connection until Close, pinging it when it is
// quiet and replacing it when a ping goes unanswered.
func (b *Redis) read() {
	defer b.wg.Done()
	defer close(b.queue)
	pinged, failures := false, 0
	for b.ctx.Err() == nil {
		ps := b.pubSub()
		msg, err := ps.ReceiveTimeout(b.ctx, b.health)
		switch {
		case err == nil:
			if failures > 0 {
				b.log.Info("pubsub: redis subscriber connection restored")
			}
			pinged, failures = false, 0
			b.enqueue(msg)
		case b.ctx.Err() != nil:
			return
		case isNetTimeout(err) && !pinged:
			pinged = true
			_ = ps.Ping(b.ctx) // the answer arrives as a message; a failed write reconnects
		case isNetTimeout(err):
			b.log.Warn("pubsub: redis subscriber connection stopped answering; reconnecting")
			b.replacePubSub()
			pinged = false
		default:
			failures++
			if failures == 1 {
				b.log.Warn("pubsub: redis subscriber connection lost; reconnecting", "err", err)
			}
			b.sleep(redisBackoff(failures))
		}
	}
}

func (b *Redis) pubSub() *redis.PubSub {
	b.psMu.Lock()
	defer b.psMu.Unlock()
	return b.ps
}

// replacePubSub swaps a connection that went silent for a new one with the same
// channels: go-redis reconnects by itself only after an error, and a dead peer behind
// a silent network produces none.
func (b *Redis) replacePubSub() {
	b.psMu.Lock()
	defer b.psMu.Unlock()
	_ = b.ps.Close()
	b.ps = b.client.Subscribe(b.ctx)
	channels := slices.Collect(maps.Keys(b.subscribed))
	for batch := range slices.Chunk(channels, redisBatchSize) {
		_ = b.ps.Subscribe(b.ctx, batch...) // remembered and resent on reconnection when it fails
	}
}

// enqueue hands a published message to the dispatcher without ever waiting for it.
func (b *Redis) enqueue(msg any) {
	m, ok := msg.(*redis.Message)
	if !ok {
		return // subscription confirmations and pongs
	}
	select {
	case b.queue <- m:
	default:
		if b.dropped.Add(1)%1000 == 1 {
			b.log.Warn("pubsub: local delivery is behind; dropping events from redis", "dropped", b.dropped.Load())
		}
	}
}

// dispatch delivers queued messages to the local subscribers of their channel, in
// the order Redis sent them.
func (b *Redis) dispatch() {
	defer b.wg.Done()
	var fns []func([]byte)
	for m := range b.queue {
		channel, ok := strings.CutPrefix(m.Channel, b.prefix)
		if !ok {
			continue // not one of ours; only prefixed channels are subscribed
		}
		fns = fns[:0]
		b.mu.Lock()
		for s := range b.subs[channel] {
			fns = append(fns, s.fn)
		}
		b.mu.Unlock()
		payload := []byte(m.Payload)
		for _, fn := range fns {
			fn(payload)
		}
	}
}

func (b *Redis) sleep(d time.Duration) {
	select {
	case <-time.After(d):
	case <-b.ctx.Done():
	}
}

// redisBackoff doubles from 100 ms with each consecutive failure, up to redisMaxBackoff.
func redisBackoff(failures int) time.Duration {
	d := 100 * time.Millisecond << min(failures-1, 10)
	return min(d, redisMaxBackoff)
}

func isNetTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
