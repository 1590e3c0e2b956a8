package streaming

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gobwas/ws"

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
	// Subscribed before the handshake completes, so that a client who sees the socket
	// open misses nothing published after.
	sock := &socket{}
	c := s.open(auth, sock)
	sock.c = c
	if initial != nil {
		s.subscribe(c, *initial)
	}
	if err := sock.accept(w, r, protocol); err != nil {
		s.close(c)
		return // the upgrader has answered the client
	}
	// The handler returns once the socket is hijacked: its goroutine's stack grew while
	// authenticating, and a fresh reader keeps an idle socket to a few kilobytes.
	go func() {
		defer s.close(c)
		sock.read(func(data []byte) { s.handleMessage(c, data) })
	}()
}

// upgrader answers the handshake. No extension is offered: permessage-deflate would
// cost a compressor per connection, and every frame would have to be compressed for
// each subscriber instead of encoded once for all.
func upgrader(protocol string) ws.HTTPUpgrader {
	u := ws.HTTPUpgrader{}
	if protocol != "" {
		u.Protocol = func(p string) bool { return p == protocol }
	}
	return u
}

// handleMessage answers one text message of the client: subscribe or unsubscribe.
func (s *Server) handleMessage(c *client, data []byte) {
	var req request
	if json.Unmarshal(data, &req) != nil {
		c.send(errorMessage("Malformed request", http.StatusBadRequest))
		return
	}
	s.handleRequest(context.Background(), c, req)
}

func (s *Server) handleRequest(ctx context.Context, c *client, req request) {
	if req.Type != "subscribe" && req.Type != "unsubscribe" {
		c.send(errorMessage("Unknown message type", http.StatusBadRequest))
		return
	}
	st, err := s.resolve(ctx, c.auth, req.Stream, req.Tag, req.listID())
	if err != nil {
		var he *httpx.Error
		if errors.As(err, &he) {
			c.send(errorMessage(he.Msg, he.Code))
		} else {
			s.log.Warn("streaming: subscribe", "err", err)
			c.send(errorMessage("Internal error", http.StatusInternalServerError))
		}
		return
	}
	if req.Type == "subscribe" {
		s.subscribe(c, st)
	} else {
		s.unsubscribe(c, st)
	}
}

func errorMessage(msg string, status int) *message {
	return &message{error: &errorFrame{Error: msg, Status: status}}
}

// wsFrame encodes m as Mastodon's WebSocket sends it: one text frame, header included.
// A server's frames are not masked, so the same bytes go to every subscriber.
func wsFrame(m *message) ([]byte, error) {
	var v any = frame{Stream: m.stream, Event: m.event, Payload: m.payload}
	if m.error != nil {
		v = m.error
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("streaming: encode frame: %w", err)
	}
	return ws.MustCompileFrame(ws.NewTextFrame(b)), nil // to memory: cannot fail
}

func closeStatus(reason string) ws.StatusCode {
	switch reason {
	case endSession:
		return ws.StatusPolicyViolation
	case endSlow:
		return 1013 // try again later (RFC 6455's registry; gobwas/ws names no constant)
	case endBinary:
		return ws.StatusUnsupportedData
	case endTooBig:
		return ws.StatusMessageTooBig
	case endInvalid:
		return ws.StatusProtocolError
	case endClient:
		return ws.StatusNormalClosure
	}
	return ws.StatusGoingAway
}
