package streaming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/coder/websocket"

	"github.com/tuskhq/tusk/internal/httpx"
)

// maxClientMessage bounds what a client may send: subscribe and unsubscribe requests.
const maxClientMessage = 4096

// frame is an event as Mastodon's WebSocket sends it: the payload is JSON in a string.
type frame struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload,omitempty"`
}

// request is a client's subscribe or unsubscribe message; list may be a string or a number.
type request struct {
	Type   string          `json:"type"`
	Stream string          `json:"stream"`
	Tag    string          `json:"tag"`
	List   json.RawMessage `json:"list"`
}

func (q request) listID() string {
	var s string
	if json.Unmarshal(q.List, &s) == nil {
		return s
	}
	return string(q.List) // a bare number
}

// serveWebSocket authenticates, opens the initial ?stream= if any, and then serves the
// socket: events out, subscription requests in, pings to find dead peers.
func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	auth, protocol, err := s.authenticate(r)
	if err != nil {
		httpx.WriteError(s.log, w, r, err)
		return
	}
	var initial *stream
	if q := r.URL.Query(); q.Get("stream") != "" {
		st, err := s.resolve(r.Context(), auth, q.Get("stream"), q.Get("tag"), q.Get("list"))
		if err != nil {
			httpx.WriteError(s.log, w, r, err)
			return
		}
		initial = &st
	}
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled}
	if protocol != "" {
		opts.Subprotocols = []string{protocol}
	}
	// Subscribed before the handshake completes, so that a client who sees the socket
	// open misses nothing published after.
	ws := &socket{s: s}
	c := s.open(auth, ws)
	ws.c = c
	if initial != nil {
		s.subscribe(c, *initial)
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		s.close(c)
		return // Accept has answered the client
	}
	conn.SetReadLimit(maxClientMessage)
	ws.conn = conn
	ws.ready.Store(true)
	select {
	case <-c.done: // ended during the handshake
		ws.closeFor(c.endReason())
	default:
		ws.wake() // events queued during the handshake
	}
	// The handler returns once the socket is hijacked: its goroutine's stack grew while
	// authenticating, and a fresh reader keeps an idle socket to a few kilobytes.
	go func() {
		defer s.close(c)
		s.readWebSocket(context.Background(), conn, c)
	}()
}

// readWebSocket handles the client's requests until it leaves or sends a binary frame.
func (s *Server) readWebSocket(ctx context.Context, conn *websocket.Conn, c *client) {
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			c.end(endServer)
			return
		}
		if typ == websocket.MessageBinary {
			c.end(endBinary)
			return
		}
		var req request
		if json.Unmarshal(data, &req) != nil {
			c.send(&message{error: &errorFrame{Error: "Malformed request", Status: http.StatusBadRequest}})
			continue
		}
		s.handleRequest(ctx, c, req)
	}
}

func (s *Server) handleRequest(ctx context.Context, c *client, req request) {
	if req.Type != "subscribe" && req.Type != "unsubscribe" {
		c.send(&message{error: &errorFrame{Error: "Unknown message type", Status: http.StatusBadRequest}})
		return
	}
	st, err := s.resolve(ctx, c.auth, req.Stream, req.Tag, req.listID())
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) {
			c.send(&message{error: &errorFrame{Error: he.Msg, Status: he.Code}})
		} else {
			s.log.Warn("streaming: subscribe", "err", err)
			c.send(&message{error: &errorFrame{Error: "Internal error", Status: http.StatusInternalServerError}})
		}
		return
	}
	if req.Type == "subscribe" {
		s.subscribe(c, st)
	} else {
		s.unsubscribe(c, st)
	}
}

// socket is one open WebSocket. An idle socket costs one goroutine, its reader: a
// writer runs only while events wait in the outbox, and a ping only until its pong.
type socket struct {
	s                *Server
	conn             *websocket.Conn
	c                *client
	ready            atomic.Bool // the handshake is done: writes may start
	writing, pinging atomic.Bool
}

// wake starts a writer unless one runs; the hub calls it after queueing an event.
func (ws *socket) wake() {
	if ws.ready.Load() && ws.writing.CompareAndSwap(false, true) {
		go ws.drain()
	}
}

// drain writes the queued events and exits when the outbox is empty.
func (ws *socket) drain() {
	for {
		select {
		case m := <-ws.c.out:
			if err := writeFrame(context.Background(), ws.conn, m); err != nil {
				ws.c.end(endServer)
				return
			}
		default:
			ws.writing.Store(false)
			// An event queued between the empty read and the store has no writer yet.
			if len(ws.c.out) == 0 || !ws.writing.CompareAndSwap(false, true) {
				return
			}
		}
	}
}

// ping waits for the peer's pong; a pong that has not come when the next ping is due
// means the peer is gone.
func (ws *socket) ping() {
	if !ws.ready.Load() || !ws.pinging.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer ws.pinging.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), ws.s.opts.Ping)
		defer cancel()
		if err := ws.conn.Ping(ctx); err != nil {
			ws.c.end(endDead)
		}
	}()
}

// closeFor closes the socket once its client has ended, with a status saying why.
func (ws *socket) closeFor(reason string) {
	if !ws.ready.Load() {
		return // the handshake's end closes it
	}
	if reason == endDead {
		go ws.conn.CloseNow() // a closing handshake would wait for a peer who is gone
		return
	}
	go ws.conn.Close(closeStatus(reason), reason)
}

// wsFrame encodes m as Mastodon's WebSocket sends it.
func wsFrame(m *message) ([]byte, error) {
	var v any = frame{Stream: m.stream, Event: m.event, Payload: m.payload}
	if m.error != nil {
		v = m.error
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("streaming: encode frame: %w", err)
	}
	return b, nil
}

func writeFrame(ctx context.Context, conn *websocket.Conn, m *message) error {
	b := m.ws
	if b == nil {
		var err error
		if b, err = wsFrame(m); err != nil {
			return err
		}
	}
	wctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Write(wctx, websocket.MessageText, b)
}

func closeStatus(reason string) websocket.StatusCode {
	switch reason {
	case endSession:
		return websocket.StatusPolicyViolation
	case endSlow:
		return websocket.StatusTryAgainLater
	case endBinary:
		return websocket.StatusUnsupportedData
	}
	return websocket.StatusGoingAway
}
