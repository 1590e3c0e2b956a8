package streaming_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// engines runs fn on a fresh instance per engine, in parallel; instances start after
// t.Parallel so that paused tests hold no database connections.
func engines(t *testing.T, fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			fn(t, servertest.Start(t, engine, nil))
		})
	}
}

// event is one received event, from either transport.
type event struct {
	Stream  []string
	Event   string
	Payload string
	Error   string
	Status  int
}

const waitFor = 5 * time.Second

// quiet is how long a test waits to be sure an event does not come.
const quiet = 400 * time.Millisecond

// receiver is a stream seen from a client: events arrive on ch; closed when it ends.
type receiver struct {
	ch     chan event
	cancel context.CancelFunc
	err    error // why the stream ended, once ch is closed
}

func (r *receiver) closeInfo() error { return r.err }

// next returns the next event, failing after waitFor.
func (r *receiver) next(t *testing.T) event {
	t.Helper()
	select {
	case e, ok := <-r.ch:
		if !ok {
			t.Fatal("stream ended; want an event", r.closeInfo())
		}
		return e
	case <-time.After(waitFor):
		t.Fatal("no event within", waitFor)
	}
	return event{}
}

// expect returns the next event, which must be of the given name.
func (r *receiver) expect(t *testing.T, name string) event {
	t.Helper()
	e := r.next(t)
	if e.Event != name {
		t.Fatalf("event = %q (%+v); want %q", e.Event, e, name)
	}
	return e
}

// expectAll reads one event per name, in any order (they come from different channels).
func (r *receiver) expectAll(t *testing.T, names ...string) []event {
	t.Helper()
	want := map[string]int{}
	for _, n := range names {
		want[n]++
	}
	var out []event
	for range names {
		e := r.next(t)
		if want[e.Event] == 0 {
			t.Fatalf("event %q (%+v); want one of %v", e.Event, e, names)
		}
		want[e.Event]--
		out = append(out, e)
	}
	return out
}

// none fails when an event arrives within quiet.
func (r *receiver) none(t *testing.T) {
	t.Helper()
	select {
	case e, ok := <-r.ch:
		if ok {
			t.Fatalf("unexpected event %+v", e)
		}
	case <-time.After(quiet):
	}
}

// ended waits for the stream to be closed by the server.
func (r *receiver) ended(t *testing.T) {
	t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case _, ok := <-r.ch:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("stream still open")
		}
	}
}

// wsConn is a raw WebSocket to the streaming API.
type wsConn struct {
	*receiver
	conn      *websocket.Conn
	closeCode chan websocket.StatusCode
}

// dialWS opens /api/v1/streaming with the token in access_token and query added.
func dialWS(t *testing.T, in *servertest.Instance, token, query string) *wsConn {
	t.Helper()
	conn, resp, err := tryWS(in, token, query, nil)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	return watchWS(t, conn)
}

func tryWS(in *servertest.Instance, token, query string, opts *websocket.DialOptions) (*websocket.Conn, *http.Response, error) {
	u := "ws" + strings.TrimPrefix(in.URL, "http") + "/api/v1/streaming?" + query
	if token != "" {
		u += "&access_token=" + url.QueryEscape(token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	return websocket.Dial(ctx, u, opts)
}

func watchWS(t *testing.T, conn *websocket.Conn) *wsConn {
	ctx, cancel := context.WithCancel(context.Background())
	w := &wsConn{receiver: &receiver{ch: make(chan event, 64), cancel: cancel}, conn: conn, closeCode: make(chan websocket.StatusCode, 1)}
	t.Cleanup(func() { cancel(); _ = conn.CloseNow() })
	go func() {
		defer close(w.ch)
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				w.err = err
				w.closeCode <- websocket.CloseStatus(err)
				return
			}
			var f struct {
				Stream  []string `json:"stream"`
				Event   string   `json:"event"`
				Payload string   `json:"payload"`
				Error   string   `json:"error"`
				Status  int      `json:"status"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Errorf("frame %s: %v", data, err)
				return
			}
			w.ch <- event(f)
		}
	}()
	return w
}

// send writes a subscribe or unsubscribe request.
func (w *wsConn) send(t *testing.T, req map[string]any) {
	t.Helper()
	data, _ := json.Marshal(req)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := w.conn.Write(ctx, websocket.MessageText, data); err != nil {
		t.Fatal(err)
	}
}

// subscribe subscribes and proves the subscription is live with a harmless round trip:
// an unknown stream's error comes back after the subscription is in place.
func (w *wsConn) subscribe(t *testing.T, req map[string]any) {
	t.Helper()
	req["type"] = "subscribe"
	w.send(t, req)
	w.send(t, map[string]any{"type": "subscribe", "stream": "nonsense"})
	if e := w.next(t); e.Error != "Unknown stream type" {
		t.Fatalf("after subscribing to %v got %+v; want the marker error", req, e)
	}
}

// openSSE opens an SSE stream at path (after /api/v1/streaming/) with a bearer token.
// It returns once the server has answered 200, so the subscription is live.
func openSSE(t *testing.T, in *servertest.Instance, token, path string) *receiver {
	t.Helper()
	r, status, body := trySSE(t, in, token, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, status, body)
	}
	return r
}

func trySSE(t *testing.T, in *servertest.Instance, token, path string) (*receiver, int, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", in.URL+"/api/v1/streaming/"+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		defer cancel()
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = bufio.NewReader(resp.Body).WriteTo(&b)
		return nil, resp.StatusCode, b.String()
	}
	r := &receiver{ch: make(chan event, 64), cancel: cancel}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	br := bufio.NewReader(resp.Body)
	if first, _ := br.ReadString('\n'); first != ":)\n" {
		t.Fatalf("first SSE line = %q; want \":)\"", first)
	}
	go readSSE(br, r.ch)
	return r, resp.StatusCode, ""
}

func readSSE(br *bufio.Reader, ch chan event) {
	defer close(ch)
	var e event
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			e.Event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			e.Payload = strings.TrimPrefix(line, "data: ")
		case line == "" && e.Event != "":
			ch <- e
			e = event{}
		}
	}
}

// statusID reads the id of a status payload.
func statusID(t *testing.T, e event) string {
	t.Helper()
	var v struct {
		ID     string `json:"id"`
		Reblog *struct {
			ID string `json:"id"`
		} `json:"reblog"`
	}
	if err := json.Unmarshal([]byte(e.Payload), &v); err != nil {
		t.Fatalf("payload %q: %v", e.Payload, err)
	}
	return v.ID
}

// post publishes a status as m and returns its id.
func post(t *testing.T, m *servertest.Member, body map[string]any) string {
	t.Helper()
	r := m.Do(t, "POST", "/api/v1/statuses", body)
	if r.Status != http.StatusOK {
		t.Fatalf("post = %d %s", r.Status, r.Body)
	}
	var st struct {
		ID string `json:"id"`
	}
	r.JSON(t, &st)
	return st.ID
}

// call fails the test unless the request answers 200.
func call(t *testing.T, m *servertest.Member, method, path string, body any) *servertest.Response {
	t.Helper()
	r := m.Do(t, method, path, body)
	if r.Status != http.StatusOK {
		t.Fatalf("%s %s = %d %s", method, path, r.Status, r.Body)
	}
	return r
}

func follow(t *testing.T, follower, target *servertest.Member) {
	t.Helper()
	call(t, follower, "POST", "/api/v1/accounts/"+idOf(target)+"/follow", nil)
}

func idOf(m *servertest.Member) string { return strconv.FormatInt(m.Account.ID, 10) }
