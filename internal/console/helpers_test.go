package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tuskhq/tusk/internal/console"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

const password = "correct horse battery staple"

// engines runs fn on a fresh instance per engine.
func engines(t *testing.T, fn func(t *testing.T, in *servertest.Instance)) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			fn(t, servertest.Start(t, engine, nil))
		})
	}
}

// member makes a member with role ("" for none) and a token with every admin scope.
func member(t *testing.T, in *servertest.Instance, name, role string) *servertest.Member {
	t.Helper()
	m := in.NewMember(t, name, "read", "write", "admin:read", "admin:write")
	if role != "" {
		m.User.Role = role
		if err := in.Store.Writer().UpdateUser(context.Background(), m.User); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// startJobs works every queue until the test ends.
func startJobs(t *testing.T, in *servertest.Instance) {
	t.Helper()
	if err := in.StartJobs(context.Background()); err != nil {
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() { in.StopJobs(5 * time.Second) })
}

// enqueue inserts a job outside any transaction.
func enqueue(t *testing.T, in *servertest.Instance, args river.JobArgs, opts *river.InsertOpts) {
	t.Helper()
	if err := in.Jobs.Enqueue(context.Background(), in.Store.Writer(), args, opts); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

// undecodable has the kind of the sampling job but a payload its worker cannot
// decode: the job goes straight to the dead set, and again whenever it is retried.
type undecodable []int

func (undecodable) Kind() string { return console.SampleArgs{}.Kind() }

func queueStats(t *testing.T, in *servertest.Instance, name string) console.QueueStats {
	t.Helper()
	stats, err := in.Jobs.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stats {
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("no queue %s", name)
	return console.QueueStats{}
}

func jobsIn(t *testing.T, in *servertest.Instance, queue, state string) []console.JobInfo {
	t.Helper()
	list, err := in.Jobs.Jobs(context.Background(), queue, state, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// waitFor polls cond for up to 15 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// browser is a web client with cookies that does not follow redirects.
type browser struct {
	t      *testing.T
	in     *servertest.Instance
	client *http.Client
	csrf   string
}

func newBrowser(t *testing.T, in *servertest.Instance) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, in: in, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) do(req *http.Request) *servertest.Response {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return &servertest.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

func (b *browser) get(path string) *servertest.Response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.in.URL+path, nil)
	return b.do(req)
}

// post sends a form with the page's CSRF token, unless form sets its own.
func (b *browser) post(path string, form url.Values, header ...string) *servertest.Response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.in.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func (b *browser) signIn(m *servertest.Member) *servertest.Response {
	b.t.Helper()
	b.get("/auth/sign_in")
	return b.post("/auth/sign_in", url.Values{"email": {m.User.Email}, "password": {password}, "next": {"/admin/queues"}})
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.in.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
