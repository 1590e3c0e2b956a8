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
		c := s.open(auth, nil)
		defer s.close(c)
		s.subscribe(c, st)
		s.streamSSE(w, r, c)
	}
}

// streamSSE writes c's events until the client leaves or the connection must end.
func (s *Server) streamSSE(w http.ResponseWriter, r *http.Request, c *client) {
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
		case m := <-c.out:
			frame := m.sse
			if frame == "" {
				frame = sseFrame(m)
			}
			if !write(frame) {
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
