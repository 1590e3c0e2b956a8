package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
)

// fakeStreaming is a tiny server speaking Mastodon's streaming protocol over
// WebSocket, and POST /api/v1/statuses that broadcasts an update to the public
// stream, enough to run the benchmark's client side without tusk.
type fakeStreaming struct {
	tokens map[string]bool

	mu         sync.Mutex
	conns      map[*websocket.Conn]bool // true once subscribed to the user stream too
	sources    map[string]int           // connections by remote IP
	nextID     int
	subscribes int
}

func newFakeStreaming(t *testing.T, tokens []string) (*fakeStreaming, *httptest.Server) {
	f := &fakeStreaming{tokens: map[string]bool{}, conns: map[*websocket.Conn]bool{}, sources: map[string]int{}, nextID: 100}
	for _, tok := range tokens {
		f.tokens[tok] = true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/streaming", f.stream)
	mux.HandleFunc("POST /api/v1/statuses", f.post)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeStreaming) authorized(r *http.Request) bool {
	return f.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
}

func (f *fakeStreaming) stream(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(r) {
		http.Error(w, `{"error":"Invalid access token"}`, http.StatusUnauthorized)
		return
	}
	if r.URL.Query().Get("stream") != "public" {
		http.Error(w, `{"error":"Unknown stream type"}`, http.StatusBadRequest)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	f.mu.Lock()
	f.conns[c] = false
	f.sources[host]++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
	}()
	for {
		_, msg, err := c.Read(r.Context())
		if err != nil {
			return
		}
		if string(msg) == `{"type":"subscribe","stream":"user"}` {
			f.mu.Lock()
			f.conns[c] = true
			f.subscribes++
			f.mu.Unlock()
		}
	}
}

// post renders a status whose top-level id is not its first key (the account's id
// comes first), sends it to the public stream, and to user streams as noise the
// benchmark must not count.
func (f *fakeStreaming) post(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(r) || r.FormValue("status") == "" {
		http.Error(w, `{"error":"no"}`, http.StatusUnprocessableEntity)
		return
	}
	f.mu.Lock()
	f.nextID++
	id := fmt.Sprint(f.nextID)
	conns := make(map[*websocket.Conn]bool, len(f.conns))
	for c, user := range f.conns {
		conns[c] = user
	}
	f.mu.Unlock()
	status, _ := json.Marshal(map[string]any{"account": map[string]string{"id": "1"}, "content": r.FormValue("status"), "id": id})
	for c, user := range conns {
		if user {
			c.Write(r.Context(), websocket.MessageText, mastodonFrame("user", "update", status))
		}
		c.Write(r.Context(), websocket.MessageText, mastodonFrame("public", "update", status))
		c.Write(r.Context(), websocket.MessageText, mastodonFrame("public", "delete", []byte(id)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(status)
}

func mastodonFrame(stream, event string, payload []byte) []byte {
	b, _ := json.Marshal(frame{Stream: []string{stream}, Event: event, Payload: string(payload)})
	return b
}

func (f *fakeStreaming) open() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

func TestStreamingClientAgainstAFakeServer(t *testing.T) {
	tokens := []string{"tok-a", "tok-b", "tok-c"}
	fake, srv := newFakeStreaming(t, tokens)
	o := StreamingOptions{Connections: 40, UserStream: true, Posts: 3, PostInterval: 10 * time.Millisecond,
		SourceAddrs: 3, Parallel: 8, Settle: 10 * time.Millisecond, Idle: 100 * time.Millisecond}
	tg := target{base: strings.TrimPrefix(srv.URL, "http://"), pid: os.Getpid(), alive: func() error { return nil }}
	r, err := measureStreaming(context.Background(), tg, tokens, o)
	if err != nil {
		t.Fatal(err)
	}
	if r.Opened != 40 || r.FailedToOpen != 0 || r.SourceAddrs != 3 {
		t.Errorf("opened %d, failed %d (%s), from %d addresses; want 40, 0, 3", r.Opened, r.FailedToOpen, r.FirstOpenError, r.SourceAddrs)
	}
	fake.mu.Lock()
	sources, subscribes := fake.sources, fake.subscribes
	fake.mu.Unlock()
	if want := map[string]int{"127.0.0.1": 14, "127.0.0.2": 13, "127.0.0.3": 13}; !cmp.Equal(sources, want) {
		t.Errorf("connections by source address = %v; want %v", sources, want)
	}
	if subscribes != 40 {
		t.Errorf("%d user-stream subscriptions; want one per connection", subscribes)
	}
	// Only the public updates count: 40 streams × 3 posts, no user-stream copies, no deletes.
	if r.Delivery.Requests != 120 || r.Missing != 0 || r.DroppedStreams != 0 {
		t.Errorf("deliveries %d, missing %d, dropped %d (%s); want 120, 0, 0", r.Delivery.Requests, r.Missing, r.DroppedStreams, r.FirstDropError)
	}
	if d := r.Delivery; d.P50Ms <= 0 || d.P50Ms > d.P99Ms || d.P99Ms > d.MaxMs {
		t.Errorf("delivery latency %+v is not ordered", d)
	}
	if r.BaseRSSMB <= 0 || r.RSSMB <= 0 || r.IdleSeconds <= 0 {
		t.Errorf("process readings missing: %+v", r)
	}
	for i := 0; fake.open() > 0; i++ {
		if i == 100 {
			t.Fatalf("%d connections still open after the benchmark", fake.open())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var table bytes.Buffer
	if err := r.WriteTable(&table); err != nil || !strings.Contains(table.String(), "delivery p50 / p99 / max") {
		t.Errorf("table = %q, %v", table.String(), err)
	}
}

func TestStreamingCountsRefusedConnections(t *testing.T) {
	_, srv := newFakeStreaming(t, []string{"good"})
	addrs, _ := sourceAddrs(5, 0)
	f := openFleet(context.Background(), fleetSpec{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/streaming?stream=public",
		Tokens: []string{"bad"}, Connections: 5, Addrs: addrs, Parallel: 2})
	defer f.close(2)
	if len(f.streams) != 0 || f.failed != 5 || f.firstErr == nil || !strings.Contains(f.firstErr.Error(), "401") {
		t.Errorf("opened %d, failed %d, first error %v; want 0, 5 and an HTTP 401", len(f.streams), f.failed, f.firstErr)
	}
}

func TestSourceAddrs(t *testing.T) {
	for _, tc := range []struct {
		conns, n int
		want     []string
	}{
		{1, 0, []string{"127.0.0.1"}},
		{10, 0, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}},
		{50000, 0, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}},
		{100000, 0, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}},
		{10, 4, []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}},
	} {
		got, err := sourceAddrs(tc.conns, tc.n)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, a := range got {
			s = append(s, a.String())
		}
		if !cmp.Equal(s, tc.want) {
			t.Errorf("sourceAddrs(%d, %d) = %v; want %v", tc.conns, tc.n, s, tc.want)
		}
	}
	if _, err := sourceAddrs(1, 255); err == nil {
		t.Error("255 source addresses accepted")
	}
}

func TestPublicUpdate(t *testing.T) {
	status := `{"account":{"id":"9","note":"{\"id\":\"x\"}"},"media_attachments":[{"id":"7"}],"id":"123"}`
	for _, tc := range []struct {
		name, frame string
		id          string
		ok, err     bool
	}{
		{"public update", string(mastodonFrame("public", "update", []byte(status))), "123", true, false},
		{"id first", string(mastodonFrame("public", "update", []byte(`{"id":"5","content":"<p>hi</p>"}`))), "5", true, false},
		{"id first, not a number", string(mastodonFrame("public", "update", []byte(`{"id":"5x","content":"hi"}`))), "5x", true, false},
		{"id first, cut short", `{"stream":["public"],"event":"update","payload":"{\"id\":\"5\",`, "", false, true},
		{"user stream", string(mastodonFrame("user", "update", []byte(status))), "", false, false},
		{"delete", string(mastodonFrame("public", "delete", []byte("123"))), "", false, false},
		{"no stream", `{"event":"update","payload":"{}"}`, "", false, false},
		{"not JSON", `hello`, "", false, true},
		{"payload not an object", string(mastodonFrame("public", "update", []byte(`"123"`))), "", false, true},
		{"only nested ids", string(mastodonFrame("public", "update", []byte(`{"account":{"id":"9"}}`))), "", false, true},
		{"numeric id", string(mastodonFrame("public", "update", []byte(`{"id":123}`))), "", false, true},
	} {
		id, ok, err := publicUpdate([]byte(tc.frame))
		if id != tc.id || ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("%s: publicUpdate = %q, %v, %v; want %q, %v, error %v", tc.name, id, ok, err, tc.id, tc.ok, tc.err)
		}
	}
}

func TestLatenciesMatchArrivalsToPosts(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	posted := map[string]time.Time{"1": at(0), "2": at(100)}
	f := &fleet{streams: []*stream{
		{arrivals: []arrival{{"1", at(5)}, {"2", at(130)}}},
		{arrivals: []arrival{{"2", at(110)}, {"other", at(120)}}}, // missed "1"; "other" was not posted here
	}}
	took, missing, last := f.latencies(posted)
	if want := []time.Duration{5 * time.Millisecond, 10 * time.Millisecond, 30 * time.Millisecond}; !cmp.Equal(took, want) || missing != 1 {
		t.Errorf("latencies = %v, %d missing; want %v, 1", took, missing, want)
	}
	if want := []time.Duration{5 * time.Millisecond, 30 * time.Millisecond}; !cmp.Equal(last, want) {
		t.Errorf("slowest by post = %v; want %v", last, want)
	}
	var many []time.Duration
	for i := 1; i <= 200; i++ {
		many = append(many, time.Duration(i)*time.Millisecond)
	}
	if l := summarize(many); l.P50Ms != 100 || l.P99Ms != 198 || l.MaxMs != 200 || l.Requests != 200 {
		t.Errorf("summarize(1…200 ms) = %+v; want p50 100, p99 198, max 200", l)
	}
}

func TestProcReadings(t *testing.T) {
	before, err := sampleProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
		// burn CPU so the tick counters move
	}
	after, err := sampleProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if after.rssKB <= 0 || after.cpu <= before.cpu {
		t.Errorf("RSS %d KB, CPU %v → %v; want RSS and rising CPU time", after.rssKB, before.cpu, after.cpu)
	}
	// Other tests share the cores, so the spin gets anything up to one core.
	if share := cpuShare(before, after); share <= 0 || share > float64(runtime.NumCPU())+0.5 {
		t.Errorf("cpuShare while spinning = %.2f; want a share of the machine's cores", share)
	}
	t0 := time.Unix(0, 0)
	if got := cpuShare(procSample{at: t0}, procSample{at: t0.Add(2 * time.Second), cpu: time.Second}); got != 0.5 {
		t.Errorf("1 s of CPU over 2 s = %.2f cores; want 0.5", got)
	}
	if _, err := sampleProc(1 << 30); err == nil {
		t.Error("reading a process that does not exist succeeded")
	}
}
