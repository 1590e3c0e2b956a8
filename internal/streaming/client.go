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
	ws      []byte // the WebSocket frame, when encoded ahead (see encoded)
	sse     string // the SSE frame, likewise
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
)

// transport is what a connection's transport does when the hub queues an event or the
// connection ends; SSE streams watch the outbox themselves and have none.
type transport interface {
	wake()
	ping()
	closeFor(reason string)
}

// client is one open connection: who it is, its subscriptions and its outbox. The hub
// writes to the outbox without ever waiting: when it is full, the client is too slow and
// is disconnected, so one reader who stopped reading costs nobody else anything.
type client struct {
	auth *oauth.Auth
	tr   transport     // nil for SSE
	out  chan *message // pointers: a queued slot costs 8 bytes, not the message
	done chan struct{}

	mu     sync.Mutex
	subs   map[string]*subscription // by stream key
	reason string
	once   sync.Once
}

func newClient(auth *oauth.Auth, tr transport, buffer int) *client {
	return &client{auth: auth, tr: tr, out: make(chan *message, buffer), done: make(chan struct{}), subs: map[string]*subscription{}}
}

func (c *client) account() *model.Account { return c.auth.Account }

// send queues m, or ends the connection when its outbox is full.
func (c *client) send(m *message) {
	select {
	case <-c.done:
	case c.out <- m:
		if c.tr != nil {
			c.tr.wake()
		}
	default:
		c.end(endSlow)
	}
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
