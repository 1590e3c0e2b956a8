package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/mail/mailpittest"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// TestScaleOut runs the scale-out setup as separate "tusk serve" processes sharing one
// PostgreSQL database and one Redis: two web processes behind a round-robin proxy, one
// streaming process, and two workers. A status posted on either web process reaches a
// stream held by the streaming process, a mail enqueued by a web process is sent by a
// worker, a post's delivery to a remote follower is made by a worker, exactly one worker
// leads the scheduler, and the other takes over when it stops.
func TestScaleOut(t *testing.T) {
	t.Parallel()
	dbURL := storetest.PostgresURL(t)
	redisURL := testRedisURL(t)
	mp := mailpittest.Start(t)
	bin := buildTusk(t)
	proxyLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "REDIS_URL="+redisURL, "REDIS_NAMESPACE=t"+strconv.Itoa(os.Getpid()),
		"LOCAL_DOMAIN="+proxyLn.Addr().String(), "TUSK_DATA_DIR="+t.TempDir(), "TUSK_REGISTRATIONS=open",
		"SMTP_SERVER=127.0.0.1", "SMTP_PORT="+strconv.Itoa(mp.SMTPPort), "SMTP_ENABLE_STARTTLS=never",
		"SMTP_AUTH_METHOD=none", "LOG_LEVEL=warn", "TUSK_RATE_LIMITS=false", "TUSK_JOBS_POLL_INTERVAL=50ms",
		"ALLOWED_PRIVATE_ADDRESSES=127.0.0.0/8") // the fake remote follower is on loopback
	runTusk(t, bin, env, "migrate")
	runTusk(t, bin, env, "admin", "accounts", "create", "alice", "--email", "alice@example.com",
		"--password", "correct horse battery", "--confirmed")

	web1, web2 := startRole(t, bin, env, "web"), startRole(t, bin, env, "web")
	streamer := startRole(t, bin, env, "streaming")
	worker1, worker2 := startRole(t, bin, env, "worker"), startRole(t, bin, env, "worker")
	proxy := newRoundRobin(t, proxyLn, streamer, web1, web2)

	token := passwordToken(t, proxy.URL, "alice@example.com", "correct horse battery")
	checkPostsReachTheStream(t, proxy, token)
	checkWorkerSendsMail(t, proxy.URL, mp, dbURL, worker1, worker2)
	checkWorkerDelivers(t, proxy, token, []*proc{worker1, worker2}, web1, web2, streamer)
	checkOneSchedulerAndFailover(t, dbURL, worker1, worker2, web1, web2, streamer)
}

// testRedisURL is TUSK_TEST_REDIS_URL, or a Redis on the default loopback port; the test
// skips when none answers.
func testRedisURL(t *testing.T) string {
	u := os.Getenv("TUSK_TEST_REDIS_URL")
	if u == "" {
		u = "redis://127.0.0.1:6379/0"
	}
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatalf("TUSK_TEST_REDIS_URL: %v", err)
	}
	c, err := net.DialTimeout("tcp", parsed.Host, time.Second)
	if err != nil {
		t.Skipf("no Redis at %s (%v): start one (redis-server --daemonize yes) or set TUSK_TEST_REDIS_URL", parsed.Host, err)
	}
	c.Close()
	return u
}

// buildTusk compiles this command once into the test's temporary folder.
func buildTusk(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tusk")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runTusk(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tusk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// proc is one running "tusk serve".
type proc struct {
	role string
	port int
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

func (p *proc) url() string { return "http://127.0.0.1:" + strconv.Itoa(p.port) }
func (p *proc) pid() int    { return p.cmd.Process.Pid }

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startRole(t *testing.T, bin string, env []string, role string) *proc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p := &proc{role: role, port: port, out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--role", role, "--bind", "127.0.0.1", "--port", strconv.Itoa(port))
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", role, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := http.Get(p.url() + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("%s process exited at start:\n%s", role, p.out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s process not healthy after 30s:\n%s", role, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop asks the process to finish (SIGTERM) and kills it if it lingers.
func (p *proc) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(40 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("%s process (pid %d) ignored SIGTERM for 40s:\n%s", p.role, p.pid(), p.out.String())
	}
}

// roundRobin is the test's reverse proxy: the streaming API goes to the streaming
// process, everything else alternates between the web processes. Each answer names the
// process that gave it in X-Test-Backend.
type roundRobin struct {
	*httptest.Server
	next atomic.Int64
}

func newRoundRobin(t *testing.T, ln net.Listener, streamer *proc, webs ...*proc) *roundRobin {
	rr := &roundRobin{}
	proxyTo := func(p *proc) *httputil.ReverseProxy {
		target, _ := url.Parse(p.url())
		rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Host = r.In.Host // tusk answers for LOCAL_DOMAIN, the proxy's address
		}}
		rp.ModifyResponse = func(resp *http.Response) error {
			resp.Header.Set("X-Test-Backend", strconv.Itoa(p.port))
			return nil
		}
		return rp
	}
	stream := proxyTo(streamer)
	var web []*httputil.ReverseProxy
	for _, p := range webs {
		web = append(web, proxyTo(p))
	}
	rr.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/streaming") {
			stream.ServeHTTP(w, r)
			return
		}
		web[int(rr.next.Add(1))%len(web)].ServeHTTP(w, r)
	}))
	rr.Listener.Close()
	rr.Listener = ln
	rr.Start()
	t.Cleanup(rr.Close)
	return rr
}

func postForm(t *testing.T, base, token, path string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST %s = %d %v (%v)", path, resp.StatusCode, body, err)
	}
	return resp, body
}

func newApp(t *testing.T, base string) (id, secret string) {
	_, app := postForm(t, base, "", "/api/v1/apps", url.Values{"client_name": {"scale-out test"},
		"redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}})
	return app["client_id"].(string), app["client_secret"].(string)
}

func passwordToken(t *testing.T, base, email, password string) string {
	id, secret := newApp(t, base)
	_, tok := postForm(t, base, "", "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {id},
		"client_secret": {secret}, "username": {email}, "password": {password}, "scope": {"read write"}})
	return tok["access_token"].(string)
}

// openStream opens the public timeline's server-sent events through the proxy and
// returns the statuses' contents as they arrive.
func openStream(t *testing.T, base, token string) <-chan string {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/streaming/public?access_token="+token, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("open stream: %v %v", resp, err)
	}
	updates := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			if e, ok := strings.CutPrefix(line, "event: "); ok {
				event = e
			} else if data, ok := strings.CutPrefix(line, "data: "); ok && event == "update" {
				var st struct{ Content string }
				if json.Unmarshal([]byte(data), &st) == nil {
					updates <- st.Content
				}
			}
		}
	}()
	return updates
}

func post(t *testing.T, rr *roundRobin, token, text string) string {
	resp, _ := postForm(t, rr.URL, token, "/api/v1/statuses", url.Values{"status": {text}, "visibility": {"public"}})
	return resp.Header.Get("X-Test-Backend")
}

func waitFor(updates <-chan string, text string, d time.Duration) bool {
	timeout := time.After(d)
	for {
		select {
		case c := <-updates:
			if strings.Contains(c, text) {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

// checkPostsReachTheStream posts on each web process in turn and waits for every post at
// the stream held by the streaming process.
func checkPostsReachTheStream(t *testing.T, rr *roundRobin, token string) {
	updates := openStream(t, rr.URL, token)
	// The streaming process subscribes to Redis as the stream opens; until Redis confirms,
	// a post may pass unseen, so warm up until one arrives.
	for i := 0; ; i++ {
		post(t, rr, token, fmt.Sprintf("warm-up %d", i))
		if waitFor(updates, fmt.Sprintf("warm-up %d", i), 2*time.Second) {
			break
		}
		if i == 10 {
			t.Fatal("no post reached the stream in 20s")
		}
	}
	backends := map[string]bool{}
	for i := range 4 {
		text := fmt.Sprintf("scaled post %d", i)
		backends[post(t, rr, token, text)] = true
		if !waitFor(updates, text, 10*time.Second) {
			t.Errorf("%q never reached the stream", text)
		}
	}
	if len(backends) != 2 {
		t.Errorf("posts were served by %v; want both web processes", backends)
	}
}

var pidInClientID = regexp.MustCompile(`_pid(\d+)_`)

// checkWorkerSendsMail signs bob up through a web process; the confirmation mail it
// enqueues must be sent by a worker.
func checkWorkerSendsMail(t *testing.T, base string, mp *mailpittest.Server, dbURL string, workers ...*proc) {
	id, secret := newApp(t, base)
	_, tok := postForm(t, base, "", "/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {id}, "client_secret": {secret}, "scope": {"read write"}})
	postForm(t, base, tok["access_token"].(string), "/api/v1/accounts", url.Values{"username": {"bob"},
		"email": {"bob@example.com"}, "password": {"bob's long password"}, "agreement": {"true"}, "locale": {"en"}})
	mp.WaitFor(t, "bob@example.com", 1)
	var attempted string
	db := openDB(t, dbURL)
	if err := db.QueryRow(`SELECT array_to_string(attempted_by, ',') FROM river_job WHERE kind = 'mail.deliver'`).Scan(&attempted); err != nil {
		t.Fatalf("read the mail job: %v", err)
	}
	if !ranOn(attempted, workers) {
		t.Errorf("the mail job was attempted by %q; want a worker process (pids %d, %d)", attempted, workers[0].pid(), workers[1].pid())
	}
}

func ranOn(clientIDs string, procs []*proc) bool {
	for _, m := range pidInClientID.FindAllStringSubmatch(clientIDs, -1) {
		for _, p := range procs {
			if m[1] == strconv.Itoa(p.pid()) {
				return true
			}
		}
	}
	return false
}

func openDB(t *testing.T, dbURL string) *sql.DB {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// leader is the process River has elected to run the periodic jobs, or nil.
func leader(t *testing.T, db *sql.DB, procs []*proc) *proc {
	var id string
	err := db.QueryRow(`SELECT leader_id FROM river_leader`).Scan(&id)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		t.Fatalf("read the leader: %v", err)
	}
	for _, p := range procs {
		if ranOn(id, []*proc{p}) {
			return p
		}
	}
	t.Fatalf("the scheduler's leader %q is none of the processes", id)
	return nil
}

// checkOneSchedulerAndFailover: the one leader is a worker; stopped, the other worker
// takes over.
func checkOneSchedulerAndFailover(t *testing.T, dbURL string, w1, w2 *proc, others ...*proc) {
	db := openDB(t, dbURL)
	all := append([]*proc{w1, w2}, others...)
	var first *proc
	for deadline := time.Now().Add(30 * time.Second); first == nil; time.Sleep(100 * time.Millisecond) {
		if first = leader(t, db, all); first == nil && time.Now().After(deadline) {
			t.Fatal("no scheduler leader after 30s")
		}
	}
	if first != w1 && first != w2 {
		t.Fatalf("the scheduler runs in the %s process; want a worker", first.role)
	}
	first.stop(t)
	successor := w1
	if first == w1 {
		successor = w2
	}
	for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if leader(t, db, all) == successor {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other worker did not take the scheduler over within 45s")
		}
	}
}
