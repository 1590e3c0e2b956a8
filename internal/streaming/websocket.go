package streaming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

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
	c := s.open(auth)
	if initial != nil {
		s.subscribe(c, *initial)
	}
	conn, err := websocket.Accept(w, r, opts)
	if err != nil {
		s.close(c)
		return // Accept has answered the client
	}
	conn.SetReadLimit(maxClientMessage)
	// The handler returns once the socket is hijacked: its goroutine's stack grew while
	// authenticating, and fresh goroutines keep an idle socket to a few kilobytes.
	go s.runWebSocket(conn, c)
}

// runWebSocket reads the client's requests and, beside, writes its events, until the
// connection ends; Server.Shutdown ends it too.
func (s *Server) runWebSocket(conn *websocket.Conn, c *client) {
	defer s.close(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.writeWebSocket(ctx, conn, c)
	s.readWebSocket(ctx, conn, c)
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
			_ = conn.Close(websocket.StatusUnsupportedData, "binary frames are not supported")
			c.end(endServer)
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

// writeWebSocket sends c's events and pings until the connection ends, then closes it
// with a status saying why.
func (s *Server) writeWebSocket(ctx context.Context, conn *websocket.Conn, c *client) {
	ping := time.NewTicker(s.opts.Ping)
	defer ping.Stop()
	var pinging atomic.Bool
	for {
		select {
		case m := <-c.out:
			if err := writeFrame(ctx, conn, m); err != nil {
				c.end(endServer)
			}
		case <-ping.C:
			if pinging.CompareAndSwap(false, true) {
				go s.ping(ctx, conn, c, &pinging)
			}
		case <-c.done:
			if c.endReason() == endDead {
				_ = conn.CloseNow() // a closing handshake would wait for a peer who is gone
				return
			}
			_ = conn.Close(closeStatus(c.endReason()), c.endReason())
			return
		case <-ctx.Done():
			_ = conn.Close(websocket.StatusGoingAway, endServer)
			return
		}
	}
}

// ping waits for the peer's pong, apart from the writer so events keep flowing; a pong
// that has not come when the next ping is due means the peer is gone.
func (s *Server) ping(ctx context.Context, conn *websocket.Conn, c *client, pinging *atomic.Bool) {
	defer pinging.Store(false)
	pctx, cancel := context.WithTimeout(ctx, s.opts.Ping)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		c.end(endDead)
	}
}

func writeFrame(ctx context.Context, conn *websocket.Conn, m *message) error {
	var v any = frame{Stream: m.stream, Event: m.event, Payload: m.payload}
	if m.error != nil {
		v = m.error
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("streaming: encode frame: %w", err)
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
	}
	return websocket.StatusGoingAway
}
