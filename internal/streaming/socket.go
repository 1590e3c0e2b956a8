package streaming

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gobwas/ws"
)

// closeWait is how long a socket that sent its close frame waits for the client's.
const closeWait = 5 * time.Second

// pingFrame is the same for every socket: no payload, not masked.
var pingFrame = ws.MustCompileFrame(ws.NewPingFrame(nil))

// socket is one open WebSocket, kept small because a process holds tens of thousands:
// no buffers of its own (frames are read straight from the connection, and written from
// bytes encoded once for every subscriber), no timer, and one goroutine, its reader.
// Writes never wait on the peer on the hub's path: what the kernel does not take at
// once is finished by a goroutine that lives only until the outbox is empty.
type socket struct {
	c    *client
	conn net.Conn
	raw  syscall.RawConn // for writes that must not wait; nil when conn has no descriptor
	in   io.Reader       // conn, after whatever the handshake read ahead

	ready    atomic.Bool // the handshake is done: writes may start
	awaiting atomic.Bool // a ping waits for its pong
	closing  atomic.Bool // the close frame is queued, or the connection dropped

	wmu    sync.Mutex // one writer at a time, so that frames keep their order
	slow   bool       // a goroutine is writing to a peer that did not take everything at once
	closed bool       // nothing more may be written
}

// accept completes the handshake on the hijacked connection and lets writes start.
func (s *socket) accept(w http.ResponseWriter, r *http.Request, protocol string) error {
	conn, rw, _, err := upgrader(protocol).Upgrade(r, w)
	if err != nil {
		if conn != nil {
			_ = conn.Close()
		}
		return err
	}
	s.conn, s.in = conn, conn
	if n := rw.Reader.Buffered(); n > 0 { // a client may send right after its request
		ahead, _ := rw.Reader.Peek(n)
		s.in = io.MultiReader(bytes.NewReader(bytes.Clone(ahead)), conn)
	}
	// rw's buffers (8 KB) are dropped here: they would otherwise live as long as the socket.
	if sc, ok := conn.(syscall.Conn); ok {
		s.raw, _ = sc.SyscallConn()
	}
	s.ready.Store(true)
	select {
	case <-s.c.done: // ended during the handshake
		s.closeFor(s.c.endReason())
	default:
		s.flush() // events queued during the handshake
	}
	return nil
}

// flush writes what waits in the outbox, as far as the kernel takes it at once.
func (s *socket) flush() {
	if !s.ready.Load() {
		return // accept flushes once the handshake is done
	}
	s.wmu.Lock()
	if s.slow || s.closed {
		s.wmu.Unlock()
		return // the slow writer takes what was queued; after a close, nothing goes
	}
	b, closing := frames(s.c.take())
	if len(b) == 0 {
		s.wmu.Unlock()
		return
	}
	n, err := s.tryWrite(b)
	switch {
	case err != nil:
		s.closed = true
	case n == len(b):
		s.closed = closing
	default:
		s.slow = true
	}
	s.wmu.Unlock()
	switch {
	case err != nil:
		s.drop()
	case n < len(b):
		go s.writeSlow(b[n:], closing)
	case closing:
		s.afterClose()
	}
}

// writeSlow finishes writing to a peer that did not take everything at once, with the
// usual deadline, and then whatever was queued meanwhile, until the outbox is empty.
func (s *socket) writeSlow(rest []byte, closing bool) {
	for {
		_ = s.conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := s.conn.Write(rest); err != nil {
			s.wmu.Lock()
			s.closed = true
			s.wmu.Unlock()
			s.drop()
			return
		}
		s.wmu.Lock()
		if closing {
			s.closed = true
			s.wmu.Unlock()
			s.afterClose()
			return
		}
		rest, closing = frames(s.c.take())
		if len(rest) == 0 {
			s.slow = false
			s.wmu.Unlock()
			return
		}
		s.wmu.Unlock()
	}
}

// frames joins queued messages into the bytes to write, up to a close frame; a single
// message is written from its own (shared) bytes without a copy.
func frames(out []*message) (b []byte, closing bool) {
	if len(out) == 1 {
		return frameOf(out[0]), out[0].closing
	}
	for _, m := range out {
		b = append(b, frameOf(m)...)
		if m.closing {
			return b, true
		}
	}
	return b, false
}

func frameOf(m *message) []byte {
	if m.ws != nil {
		return m.ws
	}
	b, _ := wsFrame(m) // a message that cannot be encoded is left out
	return b
}

// drop ends a connection whose writes fail: no closing handshake is possible.
func (s *socket) drop() {
	s.closing.Store(true)
	s.c.end(endServer)
	_ = s.conn.Close()
}

// afterClose bounds the wait for the client's close frame once ours is written.
func (s *socket) afterClose() {
	_ = s.conn.SetReadDeadline(time.Now().Add(closeWait))
}

// ping sends a ping, unless the last one is still unanswered: the peer is then gone.
// The server pings every socket from one loop (Server.pingAll).
func (s *socket) ping() {
	if !s.ready.Load() {
		return
	}
	if s.awaiting.Swap(true) {
		s.c.end(endDead)
		return
	}
	if s.c.queueControl(&message{ws: pingFrame}) {
		s.flush()
	}
}

// closeFor closes the socket once its client has ended, with a status saying why.
func (s *socket) closeFor(reason string) {
	if !s.ready.Load() || !s.closing.CompareAndSwap(false, true) {
		return // before the handshake's end, accept closes it
	}
	if reason == endDead {
		_ = s.conn.Close() // a closing handshake would wait for a peer who is gone
		return
	}
	body := ws.NewCloseFrameBody(closeStatus(reason), reason)
	if s.c.queueControl(&message{ws: ws.MustCompileFrame(ws.NewCloseFrame(body)), closing: true}) {
		s.flush()
	} else {
		_ = s.conn.Close()
	}
}
