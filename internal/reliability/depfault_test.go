package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// envOutage sets how long the database is down: 5s by default (CI), 30s for the full run.
const envOutage = "TUSK_FAULT_OUTAGE"

// outageLength is how long a dependency stays down.
func outageLength() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(envOutage)); err == nil && d > 0 {
		return d
	}
	return 5 * time.Second
}

// answer is one API response the load saw.
type answer struct {
	at   time.Time
	code int
	body string
}

// faultLoad posts steadily from each member and keeps every answer.
type faultLoad struct {
	mu      sync.Mutex
	answers []answer
	acked   map[string]string // status id → text
	ackedAt []answer          // acknowledged posts' times and texts
	stop    chan struct{}
	wg      sync.WaitGroup
}

func startFaultLoad(in *instance, ms []member) *faultLoad {
	l := &faultLoad{acked: map[string]string{}, stop: make(chan struct{})}
	client := &http.Client{Timeout: 10 * time.Second}
	for i, m := range ms {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for n := 0; ; n++ {
				select {
				case <-l.stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				text := fmt.Sprintf("fault test m%d-%d", i, n)
				code, body, err := in.call(client, m, "POST", "/api/v1/statuses", map[string]any{"status": text})
				l.record(code, body, err, text)
			}
		}()
	}
	return l
}

func (l *faultLoad) record(code int, body []byte, err error, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.answers = append(l.answers, answer{time.Now(), 0, err.Error()})
		return
	}
	l.answers = append(l.answers, answer{time.Now(), code, string(body)})
	var s struct{ ID string }
	if code/100 == 2 && json.Unmarshal(body, &s) == nil && s.ID != "" {
		l.acked[s.ID] = text
		l.ackedAt = append(l.ackedAt, answer{time.Now(), code, text})
	}
}

// ackedSince lists the texts of posts acknowledged from t on.
func (l *faultLoad) ackedSince(t time.Time) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, text := range l.ackedAt {
		if !text.at.Before(t) {
			out = append(out, text.body)
		}
	}
	return out
}

func (l *faultLoad) end() {
	close(l.stop)
	l.wg.Wait()
}

// since returns the answers from t on.
func (l *faultLoad) since(t time.Time) []answer {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []answer
	for _, a := range l.answers {
		if !a.at.Before(t) {
			out = append(out, a)
		}
	}
	return out
}

// TestDatabaseOutage stops tusk's PostgreSQL under load and starts it again: while it is
// down tusk answers 503 with Mastodon's error body, afterwards it serves again without a
// restart, and every post it acknowledged is in the database.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	outage := outageLength()
	pg := startPrivatePG(t)
	in := newInstance(t, pg.URL(), nil)
	st := in.openStore()
	ms := in.newMembers(st, "alice", "bob")
	p := in.serve()
	load := startFaultLoad(in, ms)
	time.Sleep(2 * time.Second)

	down := time.Now()
	pg.stop()
	time.Sleep(outage)
	pg.start()
	up := time.Now()
	recovered := waitForAck(t, load, up)
	time.Sleep(2 * time.Second)
	load.end()
	t.Logf("outage %s; first post acknowledged %s after the database came back", outage, recovered.Sub(up).Round(time.Millisecond))

	if !p.alive() {
		t.Fatalf("tusk exited during the outage; log:\n%s", in.tail())
	}
	checkOutageAnswers(t, load.since(down), down, up, true)
	checkAcked(t, in, load)
}

// waitForAck waits for the first post acknowledged after t.
func waitForAck(t *testing.T, l *faultLoad, after time.Time) time.Time {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		for _, a := range l.since(after) {
			if a.code/100 == 2 {
				return a.at
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("tusk did not recover within a minute of the database coming back")
	return time.Time{}
}

// checkOutageAnswers wants every failure from the outage on to be a 503 with an
// {"error": …} body, and, when want503, the outage to have produced some.
func checkOutageAnswers(t *testing.T, answers []answer, down, up time.Time, want503 bool) {
	t.Helper()
	unavailable, ok := 0, 0
	for _, a := range answers {
		switch {
		case a.code/100 == 2:
			ok++
		case a.code == http.StatusServiceUnavailable && strings.Contains(a.body, `"error"`):
			unavailable++
		default:
			t.Errorf("at %s into the outage: %d %s; want 2xx or 503 with an error", a.at.Sub(down).Round(time.Millisecond), a.code, a.body)
		}
	}
	if want503 && unavailable == 0 {
		t.Error("no 503 while the dependency was down")
	}
	t.Logf("from the stop on: %d answered 503, %d succeeded (%s down)", unavailable, ok, up.Sub(down).Round(time.Millisecond))
}

func checkAcked(t *testing.T, in *instance, l *faultLoad) {
	t.Helper()
	st := in.openStore() // a fresh pool: the first one's connections died with the server
	ctx := context.Background()
	for id, text := range l.acked {
		var got string
		if err := st.DB().QueryRowContext(ctx, `SELECT text FROM statuses WHERE id = $1`, id).Scan(&got); err != nil || got != text {
			t.Errorf("acknowledged post %s = %q, %v; want %q", id, got, err, text)
		}
	}
	t.Logf("%d acknowledged posts all present", len(l.acked))
}
