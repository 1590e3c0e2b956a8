package streaming

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/tuskhq/tusk/internal/pubsub"
	"github.com/tuskhq/tusk/internal/social"
)

// subscription is one stream of one client.
type subscription struct {
	c      *client
	stream stream
	unsubs []func()
}

// delivery is one bus payload for the local subscribers of its channel.
type delivery struct {
	channel string
	payload []byte
}

// hub joins the bus and the connections of this process. It subscribes to each bus
// channel once, however many connections listen, and leaves it with the last one;
// events are rendered by a few workers, once per viewer and stream, and queued to each
// connection without waiting.
type hub struct {
	bus    pubsub.Bus
	render *renderer
	log    *slog.Logger

	mu       sync.Mutex
	channels map[string]*channelSubs
	queues   []chan delivery // one per worker; a channel always goes to the same one
}

type channelSubs struct {
	unsubscribe func()
	subs        map[*subscription]struct{}
}

// queueSize bounds the events waiting for each render worker; beyond it events are
// dropped (and logged) rather than blocking the bus's delivery path.
const queueSize = 1024

// newHub starts the render workers. Each bus channel is rendered by one worker, so its
// events reach subscribers in publish order (an update before its delete).
func newHub(bus pubsub.Bus, r *renderer, log *slog.Logger, workers int) *hub {
	h := &hub{bus: bus, render: r, log: log, channels: map[string]*channelSubs{}}
	for range workers {
		q := make(chan delivery, queueSize)
		h.queues = append(h.queues, q)
		go h.work(q)
	}
	return h
}

// add subscribes sub to its channels on the bus (once per channel per process).
func (h *hub) add(sub *subscription, channels []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, ch := range channels {
		cs := h.channels[ch]
		if cs == nil {
			cs = &channelSubs{subs: map[*subscription]struct{}{}}
			h.channels[ch] = cs
			channel := ch
			cs.unsubscribe = h.bus.Subscribe(ch, func(p []byte) { h.enqueue(channel, p) })
		}
		cs.subs[sub] = struct{}{}
		sub.unsubs = append(sub.unsubs, h.remover(ch, sub))
	}
}

func (h *hub) remover(ch string, sub *subscription) func() {
	return func() {
		h.mu.Lock()
		cs := h.channels[ch]
		var unsubscribe func()
		if cs != nil {
			delete(cs.subs, sub)
			if len(cs.subs) == 0 {
				delete(h.channels, ch)
				unsubscribe = cs.unsubscribe
			}
		}
		h.mu.Unlock()
		if unsubscribe != nil {
			unsubscribe() // outside the lock: a bus may deliver while we leave
		}
	}
}

func (h *hub) remove(sub *subscription) {
	for _, un := range sub.unsubs {
		un()
	}
}

// enqueue runs on the bus's delivery path and must not block.
func (h *hub) enqueue(channel string, payload []byte) {
	f := fnv.New32a()
	_, _ = f.Write([]byte(channel))
	select {
	case h.queues[f.Sum32()%uint32(len(h.queues))] <- delivery{channel, payload}:
	default:
		h.log.Warn("streaming: event dropped, render queue full", "channel", channel)
	}
}

func (h *hub) subscribers(channel string) []*subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	cs := h.channels[channel]
	if cs == nil {
		return nil
	}
	out := make([]*subscription, 0, len(cs.subs))
	for s := range cs.subs {
		out = append(out, s)
	}
	return out
}

// renderTimeout bounds the work one event may cost.
const renderTimeout = 30 * time.Second

func (h *hub) work(queue chan delivery) {
	for d := range queue {
		var ev social.Event
		if err := json.Unmarshal(d.payload, &ev); err != nil {
			h.log.Warn("streaming: malformed event", "channel", d.channel, "err", err)
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), renderTimeout)
		h.deliver(ctx, ev, h.subscribers(d.channel))
		cancel()
	}
}

// deliver renders ev for each subscriber that carries it, once per viewer and stream.
func (h *hub) deliver(ctx context.Context, ev social.Event, subs []*subscription) {
	if ev.Name == social.EventSessionEnded {
		for _, s := range subs {
			s.c.end(endSession)
		}
		return
	}
	var ready []*client // queued to, to be flushed side by side
	defer func() { flushAll(ready) }()
	if ev.Name == social.EventUpdate || ev.Name == social.EventStatusUpdate {
		subs = h.deliverShared(ctx, ev, subs, &ready)
	}
	// One message per viewer and stream, encoded once for each transport and shared by
	// all of that viewer's connections: it is never changed once sent.
	keys := make([]string, len(subs))
	var firsts []*subscription
	seen := map[string]bool{}
	for i, s := range subs {
		if !s.stream.carries(ev.Name) {
			continue
		}
		keys[i] = s.stream.key() + "\x00" + strconv.FormatInt(s.c.account().ID, 10)
		if !seen[keys[i]] {
			seen[keys[i]] = true
			firsts = append(firsts, s)
		}
	}
	rendered := h.renderAll(ctx, ev, firsts)
	for i, s := range subs {
		if m := rendered[keys[i]]; keys[i] != "" && m != nil && s.c.queue(m) {
			ready = append(ready, s.c)
		}
	}
}

// renderParallel bounds the viewers rendered at once for one event: each render is a few
// database reads, so viewers are rendered side by side rather than one after another.
const renderParallel = 8

// renderAll renders ev for each distinct viewer and stream, by key; nil where the viewer
// does not get it.
func (h *hub) renderAll(ctx context.Context, ev social.Event, firsts []*subscription) map[string]*message {
	out := make(map[string]*message, len(firsts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, renderParallel)
	for _, s := range firsts {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			var m *message
			if p, ok := h.render.event(ctx, s.c.account(), s.stream, ev); ok {
				m = encoded(&message{stream: s.stream.ids(), event: ev.Name, payload: p})
			}
			mu.Lock()
			out[s.stream.key()+"\x00"+strconv.FormatInt(s.c.account().ID, 10)] = m
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// flushAll has each client's transport write what was queued to it, the clients split
// among as many goroutines as the process has processors: an event for thousands of
// subscribers is thousands of write system calls, and no one of them waits on a peer.
// A client listed twice finds its outbox empty the second time.
func flushAll(clients []*client) {
	const minPerWorker = 256 // below it, a goroutine costs more than it saves
	workers := min(runtime.GOMAXPROCS(0), (len(clients)+minPerWorker-1)/minPerWorker)
	if workers <= 1 {
		for _, c := range clients {
			c.tr.flush()
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(clients) + workers - 1) / workers
	for part := range slices.Chunk(clients, per) {
		wg.Go(func() {
			for _, c := range part {
				c.tr.flush()
			}
		})
	}
	wg.Wait()
}

// encoded fills in m's frames for both transports.
func encoded(m *message) *message {
	m.sse = sseFrame(m)
	m.ws, _ = wsFrame(m)
	return m
}
