package streaming

import (
	"io"

	"github.com/gobwas/ws"
)

// read serves the client's frames until the connection ends, and closes it: text
// messages go to handle, pings are answered, pongs noted, and a binary frame or a
// protocol error ends the connection with the close status that says so.
func (s *socket) read(handle func([]byte)) {
	defer s.conn.Close()
	var partial []byte // a fragmented text message, while its frames arrive
	for {
		h, err := ws.ReadHeader(s.in)
		if err != nil {
			s.c.end(endClient) // gone, or silent past the close deadline
			return
		}
		if reason := checkHeader(h, len(partial)); reason != "" {
			s.c.end(reason)
			s.discard(h)
			continue // until the client's close frame, or the close deadline
		}
		payload := make([]byte, h.Length)
		if _, err := io.ReadFull(s.in, payload); err != nil {
			s.c.end(endClient)
			return
		}
		ws.Cipher(payload, h.Mask, 0)
		switch h.OpCode {
		case ws.OpClose:
			s.c.end(endClient) // answers with our close frame, unless one went already
			return
		case ws.OpPing:
			if s.c.queueControl(&message{ws: ws.MustCompileFrame(ws.NewPongFrame(payload))}) {
				s.flush()
			}
		case ws.OpPong:
			s.awaiting.Store(false)
		case ws.OpBinary:
			s.c.end(endBinary)
		default: // text, or its continuation
			partial = append(partial, payload...)
			if h.Fin {
				if !s.ended() {
					handle(partial)
				}
				partial = nil
			}
		}
	}
}

// checkHeader is why a frame must end the connection, or "": clients mask their frames,
// no extension was agreed, control frames are short and whole, messages are bounded,
// and a continuation follows a fragment.
func checkHeader(h ws.Header, partial int) string {
	switch {
	case !h.Masked, h.Rsv != 0, h.OpCode.IsReserved():
		return endInvalid
	case h.OpCode.IsControl() && (h.Length > 125 || !h.Fin):
		return endInvalid
	case h.OpCode == ws.OpContinuation && partial == 0, h.OpCode == ws.OpText && partial > 0:
		return endInvalid
	case h.Length > int64(maxClientMessage-partial):
		return endTooBig
	}
	return ""
}

// discard skips a frame's payload, once the connection is ending.
func (s *socket) discard(h ws.Header) {
	if _, err := io.CopyN(io.Discard, s.in, h.Length); err != nil {
		_ = s.conn.Close()
	}
}

func (s *socket) ended() bool {
	select {
	case <-s.c.done:
		return true
	default:
		return false
	}
}
