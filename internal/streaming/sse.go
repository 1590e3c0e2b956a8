package streaming

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/httpx"
)

// writeTimeout bounds one write to a client; a client that takes longer is gone.
const writeTimeout = 30 * time.Second

// serveSSEPath streams one stream (name, with only_media, tag and list from the query)
// as server-sent events.
func (s *Server) serveSSEPath(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth, _, err := s.authenticate(r)
		if err != nil {
			httpx.WriteError(s.log, w, r, err)
			return
		}
		q := r.URL.Query()
		st, err := s.resolve(r.Context(), auth, withMedia(name, q.Get("only_media") == "true" || q.Get("only_media") == "1"), q.Get("tag"), q.Get("list"))
		if err != nil {
			httpx.WriteError(s.log, w, r, err)
			return
		}
		tr := &sseTransport{ready: make(chan struct{}, 1)}
		c := s.open(auth, tr)
		defer s.close(c)
		s.subscribe(c, st)
		s.streamSSE(w, r, c, tr)
	}
}

// streamSSE writes c's events until the client leaves or the connection must end.
func (s *Server) streamSSE(w http.ResponseWriter, r *http.Request, c *client, tr *sseTransport) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: pass events on as they come
	w.WriteHeader(http.StatusOK)
	write := func(text string) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := w.Write([]byte(text)); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(":)\n") {
		return
	}
	heartbeat := time.NewTicker(s.opts.Heartbeat)
	defer heartbeat.Stop()
	for {
		select {
		case <-tr.ready:
			if !write(sseFrames(c.take())) {
				return
			}
		case <-heartbeat.C:
			if !write(":thump\n") {
				return
			}
		case <-c.done:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// sseTransport wakes an SSE stream's handler, which writes the events itself.
type sseTransport struct {
	ready chan struct{} // one slot: the handler takes everything queued when it wakes
}

func (t *sseTransport) flush() {
	select {
	case t.ready <- struct{}{}:
	default: // already awake
	}
}

func (t *sseTransport) ping()           {} // SSE has its own heartbeat
func (t *sseTransport) closeFor(string) {} // the handler sees the client's end

// sseFrames joins the frames of queued events, to be written and flushed at once.
func sseFrames(out []*message) string {
	if len(out) == 1 && out[0].sse != "" {
		return out[0].sse
	}
	var b strings.Builder
	for _, m := range out {
		if m.sse != "" {
			b.WriteString(m.sse)
		} else {
			b.WriteString(sseFrame(m)) // not stored: a message may be shared
		}
	}
	return b.String()
}

// sseFrame is one event; a payload's newlines (none in JSON) would each need a data line.
func sseFrame(m *message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "event: %s\n", m.event)
	for _, line := range strings.Split(m.payload, "\n") {
		fmt.Fprintf(&b, "data: %s\n", line)
	}
	b.WriteString("\n")
	return b.String()
}
