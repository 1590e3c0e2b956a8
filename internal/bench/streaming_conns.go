package bench

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// connsPerSourceAddr is how many connections share one 127.0.0.x source address:
// below the 28,232 ephemeral ports Linux hands out per address by default.
const connsPerSourceAddr = 20000

// minSourceAddrs is how many source addresses connections come from at least, as a
// crowd of clients would, even when one address's ports would be enough.
const minSourceAddrs = 4

// dialTimeout bounds one WebSocket handshake.
const dialTimeout = 30 * time.Second

// sourceAddrs are the loopback addresses connections come from: n of them, or when n
// is 0 at least minSourceAddrs (but no more than conns) and enough that none carries
// more than connsPerSourceAddr of conns connections.
func sourceAddrs(conns, n int) ([]netip.Addr, error) {
	if n == 0 {
		n = max(min(minSourceAddrs, conns), (conns+connsPerSourceAddr-1)/connsPerSourceAddr, 1)
	}
	if n < 1 || n > 254 {
		return nil, fmt.Errorf("bench: %d source addresses; between 1 and 254 fit in 127.0.0.x", n)
	}
	addrs := make([]netip.Addr, n)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{127, 0, 0, byte(i + 1)})
	}
	return addrs, nil
}

// frame is one streaming message as Mastodon sends it: the payload is JSON encoded
// again as a string.
type frame struct {
	Stream  []string `json:"stream"`
	Event   string   `json:"event"`
	Payload string   `json:"payload"`
}

// publicUpdate returns the status id of an "update" frame on the public stream, and
// false for any other frame.
func publicUpdate(data []byte) (string, bool, error) {
	if id, ok := leadingUpdateID(data); ok {
		return id, true, nil
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		return "", false, fmt.Errorf("bench: streaming frame %.100q: %w", data, err)
	}
	if f.Event != "update" || len(f.Stream) == 0 || f.Stream[0] != "public" {
		return "", false, nil
	}
	id, err := statusID(f.Payload)
	return id, err == nil, err
}

// updatePrefix is how a public update's frame begins when the status's id comes first,
// as tusk renders it.
var updatePrefix = []byte(`{"stream":["public"],"event":"update","payload":"{\"id\":\"`)

// leadingUpdateID reads a public update's status id without decoding the frame, when
// the frame begins with updatePrefix and a numeric id: the benchmark's readers run on
// the cores that serve them, and decoding 10,000 copies of every status as JSON cost
// them three times the server's CPU. Any other frame is decoded in full.
func leadingUpdateID(data []byte) (string, bool) {
	rest, ok := bytes.CutPrefix(data, updatePrefix)
	if !ok {
		return "", false
	}
	end := bytes.IndexByte(rest, '\\')
	if end <= 0 || !bytes.HasPrefix(rest[end:], []byte(`\"`)) || !bytes.HasSuffix(data, []byte(`"}`)) {
		return "", false
	}
	for _, d := range rest[:end] {
		if d < '0' || d > '9' {
			return "", false
		}
	}
	return string(rest[:end]), true
}

// statusID reads the "id" of a status rendered as JSON, decoding no more of it than it
// must: every subscriber parses every post, on the machine that serves them.
func statusID(payload string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(payload)))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", fmt.Errorf("bench: update payload is not a JSON object: %.100q", payload)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("bench: update payload: %w", err)
		}
		if key == "id" {
			var id string
			if err := dec.Decode(&id); err != nil || id == "" {
				return "", fmt.Errorf("bench: update payload has no string id: %.100q", payload)
			}
			return id, nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", fmt.Errorf("bench: update payload: %w", err)
		}
	}
	return "", fmt.Errorf("bench: update payload has no id: %.100q", payload)
}

// arrival is one status reaching one connection.
type arrival struct {
	id string
	at time.Time
}

// stream is one open streaming connection and what arrived on it.
type stream struct {
	conn     net.Conn
	in       *bufio.Reader // conn's frames, after what the handshake read ahead
	header   [ws.MaxHeaderSize - 2]byte
	msg      []byte    // the last message, its memory reused for the next
	arrivals []arrival // appended by the connection's reader only
	err      error     // why the reader stopped, unless the fleet closed it
}

// fleetSpec says what connections to open.
type fleetSpec struct {
	URL         string       // ws://host:port/api/v1/streaming?stream=public
	Tokens      []string     // connection i signs in with Tokens[i % len(Tokens)]
	Connections int          // how many to open
	UserStream  bool         // also subscribe each connection to its member's user stream
	Addrs       []netip.Addr // source addresses, used in turn
	Parallel    int          // handshakes in flight at once
}

// fleet is the set of open connections.
type fleet struct {
	streams   []*stream
	failed    int   // connections that could not be opened
	firstErr  error // why the first of them failed
	delivered atomic.Int64
	readers   sync.WaitGroup
	closed    sync.Once
	closing   atomic.Bool // set before the fleet closes its connections itself
}

// openFleet opens spec.Connections streams, spec.Parallel handshakes at a time, and
// starts reading each. Connections that fail are counted, not retried.
func openFleet(ctx context.Context, spec fleetSpec) *fleet {
	f := &fleet{}
	dialers := make([]ws.Dialer, len(spec.Addrs))
	for i, a := range spec.Addrs {
		dialers[i] = fromAddr(a)
	}
	var mu sync.Mutex
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range max(1, spec.Parallel) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < spec.Connections && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				s, err := dialStream(ctx, spec, dialers[i%len(dialers)], i)
				mu.Lock()
				if err != nil {
					f.failed++
					f.firstErr = cmpOr(f.firstErr, err)
				} else {
					f.streams = append(f.streams, s)
				}
				mu.Unlock()
				if err == nil {
					f.readers.Go(func() { f.read(s) })
				}
			}
		})
	}
	wg.Wait()
	return f
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// fromAddr is a WebSocket dialer whose connections leave from addr. The readers use
// gobwas/ws, the server's library, for its small footprint: they share the server's
// cores, and every microsecond they spend on a frame is one the server waits for.
func fromAddr(addr netip.Addr) ws.Dialer {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: addr.AsSlice()}, Timeout: dialTimeout}
	return ws.Dialer{NetDial: d.DialContext, Timeout: dialTimeout}
}

// dialStream opens connection i and, when asked, subscribes it to the user stream too.
func dialStream(ctx context.Context, spec fleetSpec, d ws.Dialer, i int) (*stream, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	d.Header = ws.HandshakeHeaderHTTP(http.Header{"Authorization": {"Bearer " + spec.Tokens[i%len(spec.Tokens)]}})
	conn, br, _, err := d.Dial(ctx, spec.URL)
	if err != nil {
		return nil, fmt.Errorf("bench: open stream %d: %w", i, err)
	}
	// A frame is read with one system call and into memory reused for the next: the
	// readers' allocations made the benchmark's collector scan 10,000 stacks per post.
	var in io.Reader = conn
	if br != nil { // frames sent right after the handshake
		in = io.MultiReader(br, conn)
	}
	s := &stream{conn: conn, in: bufio.NewReaderSize(in, 4096)}
	if spec.UserStream {
		if err := wsutil.WriteClientText(conn, []byte(`{"type":"subscribe","stream":"user"}`)); err != nil {
			conn.Close()
			return nil, fmt.Errorf("bench: subscribe stream %d to user: %w", i, err)
		}
	}
	return s, nil
}

// read records every public update arriving on s until the connection ends. Reading
// also answers the server's pings.
func (f *fleet) read(s *stream) {
	defer s.conn.Close()
	for {
		data, err := s.next()
		if err != nil {
			if !f.closing.Load() {
				s.err = err
			}
			return
		}
		at := time.Now()
		id, ok, err := publicUpdate(data)
		if err != nil {
			s.err = err
			return
		}
		if ok {
			s.arrivals = append(s.arrivals, arrival{id: id, at: at})
			f.delivered.Add(1)
		}
	}
}

// maxServerMessage bounds what the benchmark reads of one message.
const maxServerMessage = 1 << 20

// next returns the next text or binary message, answering pings on the way; a close
// frame ends the stream with an error naming its status.
func (s *stream) next() ([]byte, error) {
	s.msg = s.msg[:0]
	for {
		h, err := ws.ReadHeaderBuffer(s.in, s.header[:])
		if err != nil {
			return nil, err
		}
		if h.Length > maxServerMessage-int64(len(s.msg)) {
			return nil, fmt.Errorf("bench: a message over %d bytes", maxServerMessage)
		}
		if h.OpCode.IsControl() {
			if err := s.control(h); err != nil {
				return nil, err
			}
			continue
		}
		start := len(s.msg)
		s.msg = slices.Grow(s.msg, int(h.Length))[:start+int(h.Length)]
		if _, err := io.ReadFull(s.in, s.msg[start:]); err != nil {
			return nil, err
		}
		if h.Fin {
			return s.msg, nil
		}
	}
}

// control answers a ping; a close frame ends the stream with an error naming its status.
func (s *stream) control(h ws.Header) error {
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(s.in, p); err != nil {
		return err
	}
	switch h.OpCode {
	case ws.OpPing: // one write, so a pong never splits a close frame the fleet writes
		_, err := s.conn.Write(ws.MustCompileFrame(ws.MaskFrame(ws.NewPongFrame(p))))
		return err
	case ws.OpClose:
		code, reason := ws.ParseCloseFrameData(p)
		return fmt.Errorf("bench: closed by the server: %d %s", code, reason)
	}
	return nil
}

// waitDelivered waits until n public updates arrived in all, or until timeout.
func (f *fleet) waitDelivered(ctx context.Context, n int64, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for f.delivered.Load() < n {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// close ends every connection with a normal closure, parallel at a time, and waits
// for the readers; afterwards the streams' arrivals may be read.
func (f *fleet) close(parallel int) {
	f.closed.Do(func() { f.closeAll(parallel) })
}

func (f *fleet) closeAll(parallel int) {
	f.closing.Store(true)
	closeFrame := ws.MustCompileFrame(ws.MaskFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, ""))))
	work := make(chan *stream)
	var wg sync.WaitGroup
	for range max(1, parallel) {
		wg.Go(func() {
			for s := range work {
				// The reader sees the server's answer and closes the connection; a
				// server that does not answer has the deadline's time.
				_ = s.conn.SetDeadline(time.Now().Add(closeTimeout))
				if _, err := s.conn.Write(closeFrame); err != nil {
					s.conn.Close()
				}
			}
		})
	}
	for _, s := range f.streams {
		work <- s
	}
	close(work)
	wg.Wait()
	f.readers.Wait()
}

// closeTimeout bounds a closing handshake.
const closeTimeout = 5 * time.Second

// readerErrors counts the connections that ended before the fleet closed them.
func (f *fleet) readerErrors() (int, error) {
	n, first := 0, error(nil)
	for _, s := range f.streams {
		if s.err != nil {
			n++
			first = cmpOr(first, s.err)
		}
	}
	return n, first
}

// latencies matches arrivals with the posts' send times; what arrived for a status
// the benchmark did not post is ignored. It also counts the deliveries that never came,
// and returns each post's slowest delivery, in the order of the posts' ids.
func (f *fleet) latencies(posted map[string]time.Time) (took []time.Duration, missing int, lastByPost []time.Duration) {
	last := map[string]time.Duration{}
	for _, s := range f.streams {
		got := 0
		for _, a := range s.arrivals {
			if sent, ok := posted[a.id]; ok {
				d := a.at.Sub(sent)
				took = append(took, d)
				last[a.id] = max(last[a.id], d)
				got++
			}
		}
		missing += max(0, len(posted)-got)
	}
	slices.Sort(took)
	ids := slices.Collect(maps.Keys(last))
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b)) })
	for _, id := range ids {
		lastByPost = append(lastByPost, last[id])
	}
	return took, missing, lastByPost
}
