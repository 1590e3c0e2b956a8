package reliability

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// privateRedis is a redis-server of the test's own on a free port, which it may stop
// and start; the machine's shared Redis on 6379 is never touched.
type privateRedis struct {
	t    *testing.T
	bin  string
	port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("Redis fault test skipped: redis-server is not installed")
	}
	r := &privateRedis{t: t, bin: bin, port: freePort(t), dir: t.TempDir()}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *privateRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command(r.bin, "--port", fmt.Sprint(r.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(r.cmd, r.done)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("redis-server did not start")
}

func (r *privateRedis) stop() {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Kill()
	<-r.done
	r.cmd = nil
}

// TestRedisOutage stops the Redis that carries tusk's events under load: posting goes
// on or answers 503, tusk recovers without a restart, and nothing acknowledged is lost.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	outage := outageLength()
	rd := startPrivateRedis(t)
	in := newInstance(t, "", map[string]string{"REDIS_URL": rd.URL()})
	st := in.openStore()
	ms := in.newMembers(st, "alice", "bob")
	p := in.serve()
	stream := openStream(t, in, ms[0])
	load := startFaultLoad(in, ms)
	time.Sleep(2 * time.Second)

	down := time.Now()
	rd.stop()
	time.Sleep(outage)
	rd.start()
	up := time.Now()
	time.Sleep(3 * time.Second)
	load.end()
	if !stream.sawAny(load.ackedSince(up.Add(time.Second)), 20*time.Second) {
		t.Errorf("the stream opened before the outage got no post made after Redis came back; log:\n%s", in.tail())
	}
	if !p.alive() {
		t.Fatalf("tusk exited during the Redis outage; log:\n%s", in.tail())
	}
	answers := load.since(up.Add(time.Second))
	ok := 0
	for _, a := range answers {
		if a.code/100 == 2 {
			ok++
		}
	}
	if ok == 0 {
		t.Fatalf("no post succeeded after Redis came back; log:\n%s", in.tail())
	}
	checkOutageAnswers(t, load.since(down), down, up, false)
	checkAcked(t, in, load)
}

// stream is an SSE connection to the public timeline, keeping the texts of its updates.
type stream struct {
	mu    sync.Mutex
	texts []string
}

func openStream(t *testing.T, in *instance, m member) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", in.base+"/api/v1/streaming/public", nil)
	req.Header.Set("Authorization", "Bearer "+m.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("open stream: %v %v", resp, err)
	}
	s := &stream{}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				s.mu.Lock()
				s.texts = append(s.texts, line)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// sawAny waits until an update carries one of texts.
func (s *stream) sawAny(texts []string, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		for _, got := range s.texts {
			for _, want := range texts {
				if strings.Contains(got, want) {
					s.mu.Unlock()
					return true
				}
			}
		}
		s.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
