package streaming

import (
	"sync"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
)

// message is one event for one stream of a connection, ready for its transport.
type message struct {
	stream  []string
	event   string
	payload string // JSON as a string, or a plain id; "" for none
	error   *errorFrame
	ws      []byte // the whole WebSocket frame (header and text), when encoded ahead (see encoded)
	sse     string // the SSE frame, likewise
	closing bool   // ws is a close frame: nothing is written after it
}

// errorFrame is Mastodon's error sent on an open WebSocket.
type errorFrame struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

// Why a connection ends, for its close frame and the log.
const (
	endSession = "session ended"
	endSlow    = "client too slow"
	endServer  = "server shutting down"
	endDead    = "no answer to ping"
	endBinary  = "binary frames are not supported"
	endClient  = "closed by the client"
	endTooBig  = "message too big"
	endInvalid = "protocol error"
)

// transport is what a connection's transport does when events wait in its outbox, when
// the process pings its WebSockets, and when the connection ends.
type transport interface {
	flush() // write what waits in the outbox without waiting on the peer
	ping()
	closeFor(reason string)
}

// client is one open connection: who it is, its subscriptions and its outbox. The hub
// writes to the outbox without ever waiting: when it is full, the client is too slow and
// is disconnected, so one reader who stopped reading costs nobody else anything.
type client struct {
	auth *oauth.Auth
	tr   transport // nil only in tests of the outbox itself
	done chan struct{}

	mu     sync.Mutex
	out    []*message // the outbox: nil while empty, grown on demand up to limit
	limit  int
	subs   map[string]*subscription // by stream key
	reason string
	once   sync.Once
}

func newClient(auth *oauth.Auth, tr transport, buffer int) *client {
	return &client{auth: auth, tr: tr, limit: buffer, done: make(chan struct{}), subs: map[string]*subscription{}}
}

func (c *client) account() *model.Account { return c.auth.Account }

// send queues m and has the transport write it.
func (c *client) send(m *message) {
	if c.queue(m) && c.tr != nil {
		c.tr.flush()
	}
}

// queue adds m to the outbox without writing it, or ends the connection when the outbox
// is full; it reports whether m was queued. The hub queues an event to every subscriber
// first and then flushes them side by side (see hub.flushAll).
func (c *client) queue(m *message) bool {
	c.mu.Lock()
	if c.reason != "" {
		c.mu.Unlock()
		return false
	}
	if len(c.out) >= c.limit {
		c.mu.Unlock()
		c.end(endSlow)
		return false
	}
	c.out = append(c.out, m)
	c.mu.Unlock()
	return true
}

// queueControl adds a frame of the protocol itself (a pong, a close) even after the
// connection has ended, which must still say goodbye; it is bounded like events.
func (c *client) queueControl(m *message) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.out) >= c.limit+1 { // room for the close frame of a full outbox
		return false
	}
	c.out = append(c.out, m)
	return true
}

// take empties the outbox. An outbox that grew for a burst is let go rather than kept:
// an idle connection holds no queue at all.
func (c *client) take() []*message {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.out
	c.out = nil
	return out
}

// end closes the connection once; its transport notices c.done and says why.
func (c *client) end(reason string) {
	c.once.Do(func() {
		c.mu.Lock()
		c.reason = reason
		c.mu.Unlock()
		close(c.done)
		if c.tr != nil {
			c.tr.closeFor(reason)
		}
	})
}

func (c *client) endReason() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reason
}
