// Package servertest starts whole tusk instances for tests: the real server on a
// loopback port, on a fresh SQLite or PostgreSQL database, with helpers to make
// members, call the API as they would, and wait for what happens in its own time.
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

// Instance is a running tusk.
type Instance struct {
	*server.Server
	URL string // http://127.0.0.1:PORT
	app *model.App
}

// Engines runs fn once per database engine, each with a fresh instance.
func Engines(t *testing.T, fn func(t *testing.T, in *Instance)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) { fn(t, Start(t, engine, nil)) })
	}
}

// Start runs an instance on engine; configure may adjust its settings.
func Start(t testing.TB, engine store.Engine, configure func(*config.Config)) *Instance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	return StartOn(t, ln, engine, configure)
}

// WorkJobs starts the instance's job workers until the test ends.
func (in *Instance) WorkJobs(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := in.StartJobs(ctx); err != nil {
		cancel()
		t.Fatalf("start jobs: %v", err)
	}
	t.Cleanup(func() { cancel(); in.StopJobs(5 * time.Second) })
}

// StartOn runs an instance on engine serving ln. Its domain is the listener's address,
// without the port when that is 80: handles such as @alice@127.0.0.7 then read as
// they do between real servers, where a domain has no port.
func StartOn(t testing.TB, ln net.Listener, engine store.Engine, configure func(*config.Config)) *Instance {
	t.Helper()
	domain := ln.Addr().String()
	if host, port, err := net.SplitHostPort(domain); err == nil && port == "80" {
		domain = host
	}
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string {
		return map[string]string{"LOCAL_DOMAIN": domain, "TUSK_DATA_DIR": t.TempDir()}[k]
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	if configure != nil {
		configure(&cfg)
	}
	st := storetest.Open(t, engine)
	if _, err := jobs.Migrate(context.Background(), st); err != nil {
		t.Fatalf("migrate job tables: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.Wire(cfg, log, st)
	hs := httptest.NewUnstartedServer(srv.Handler())
	hs.Listener.Close()
	hs.Listener = ln
	hs.Start()
	t.Cleanup(hs.Close)
	return &Instance{Server: srv, URL: hs.URL}
}

// Member is a local account with a user token for the API.
type Member struct {
	in      *Instance
	Account *model.Account
	User    *model.User
	Token   string
}

// NewMember creates a confirmed, approved account and a token with the given scopes
// (default "read write follow push").
func (in *Instance) NewMember(t testing.TB, username string, scopes ...string) *Member {
	t.Helper()
	ctx := context.Background()
	acc, u, err := in.Accounts.Create(ctx, accounts.CreateParams{Username: username, Email: username + "@example.com",
		Password: "correct horse battery staple", Confirmed: true, Approved: true})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return &Member{in: in, Account: acc, User: u, Token: in.Token(t, &u.ID, scopes...)}
}

// Token issues a token for userID (nil for an app-only token).
func (in *Instance) Token(t testing.TB, userID *int64, scopes ...string) string {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"read", "write", "follow", "push"}
	}
	ctx := context.Background()
	if in.app == nil {
		in.app = &model.App{Name: "servertest", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"},
			Scopes:   []string{"read", "write", "follow", "push", "profile", "admin:read", "admin:write"},
			ClientID: "servertest-client", ClientSecret: "servertest-secret"}
		if err := in.Store.Writer().InsertApp(ctx, in.app); err != nil {
			t.Fatalf("app: %v", err)
		}
	}
	token, _, _, err := in.OAuth.IssueToken(ctx, in.app.ID, userID, scopes)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return token
}

// Response is a finished API call.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on malformed JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do calls the API as this member; body, when not nil, is sent as JSON.
func (m *Member) Do(t testing.TB, method, path string, body any) *Response {
	t.Helper()
	return m.in.Do(t, m.Token, method, path, body)
}

// Do calls the API with token ("" for anonymous); body, when not nil, is sent as JSON.
func (in *Instance) Do(t testing.TB, token, method, path string, body any) *Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, in.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return in.Send(t, req)
}

// Send performs a prepared request.
func (in *Instance) Send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Form calls the API with a urlencoded form body, as many clients send.
func (m *Member) Form(t testing.TB, method, path, form string) *Response {
	t.Helper()
	req, err := http.NewRequest(method, m.in.URL+path, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+m.Token)
	return m.in.Send(t, req)
}
