package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/tuskhq/tusk/internal/store/storetest"
)

const e2eRedis = "127.0.0.1:6379"

// TestStreamingAcrossTwoProcesses starts two "tusk serve" processes of one instance,
// sharing a PostgreSQL database and a Redis, and checks that a status posted through
// one reaches a public stream opened on the other, through go-mastodon's WebSocket
// client. It needs PostgreSQL, Redis, and a binary that serves the streaming API.
func TestStreamingAcrossTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary twice; skipped with -short")
	}
	if c, err := net.DialTimeout("tcp", e2eRedis, time.Second); err != nil {
		t.Skipf("no Redis on %s (%v): start one with redis-server --daemonize yes to run this test", e2eRedis, err)
	} else {
		c.Close()
	}
	env := append(os.Environ(), "DATABASE_URL="+storetest.PostgresURL(t), "REDIS_URL=redis://"+e2eRedis+"/0",
		"REDIS_NAMESPACE=e2e"+fmt.Sprint(time.Now().UnixNano()), "LOCAL_DOMAIN=tusk.test", "LOCAL_HTTPS=false",
		"TUSK_RATE_LIMITS=false", "LOG_LEVEL=warn")
	binary := buildTuskBinary(t)
	runTusk(t, binary, env, "migrate")
	runTusk(t, binary, env, "admin", "accounts", "create", "alice", "--email", "alice@example.com", "--password", password, "--confirmed", "--approve")
	first, second := startTuskProcess(t, binary, env), startTuskProcess(t, binary, env)
	if status := statusLine(http.Get(second + "/api/v1/streaming/health")); status != "200 OK" {
		t.Skipf("this binary does not serve the streaming API yet (GET /api/v1/streaming/health: %s)", status)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	app, err := mastodon.RegisterApp(ctx, &mastodon.AppConfig{Server: first, ClientName: "e2e", Scopes: "read write follow"})
	if err != nil {
		t.Fatalf("RegisterApp: %v", err)
	}
	poster := mastodon.NewClient(&mastodon.Config{Server: first, ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	if err := poster.Authenticate(ctx, "alice@example.com", password); err != nil {
		t.Fatalf("log in: %v", err)
	}
	reader := mastodon.NewClient(&mastodon.Config{Server: second, AccessToken: poster.Config.AccessToken})
	events, err := reader.NewWSClient().StreamingWSPublic(ctx, false)
	if err != nil {
		t.Fatalf("open the public stream on the second process: %v", err)
	}
	awaitUpdateFromOtherProcess(t, ctx, poster, events)
}

// awaitUpdateFromOtherProcess posts until one of the posts arrives on events: the
// second process subscribes to Redis shortly after the stream opens, and what is
// published before that is not delivered to it.
func awaitUpdateFromOtherProcess(t *testing.T, ctx context.Context, poster *mastodon.Client, events chan mastodon.Event) {
	t.Helper()
	posted := map[mastodon.ID]bool{}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			st, err := poster.PostStatus(ctx, &mastodon.Toot{Status: fmt.Sprintf("across processes %d", len(posted)), Visibility: "public"})
			if err != nil {
				t.Fatalf("post on the first process: %v", err)
			}
			posted[st.ID] = true
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the stream on the second process closed")
			}
			if u, isUpdate := ev.(*mastodon.UpdateEvent); isUpdate && posted[u.Status.ID] {
				return
			}
			if e, isErr := ev.(*mastodon.ErrorEvent); isErr {
				t.Logf("stream error: %v", e)
			}
		case <-ctx.Done():
			t.Fatalf("none of %d statuses posted on the first process reached the stream on the second", len(posted))
		}
	}
}

func buildTuskBinary(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "tusk")
	if msg, err := exec.Command("go", "build", "-o", out, "github.com/tuskhq/tusk/cmd/tusk").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	return out
}

// runTusk runs one command of the binary to completion.
func runTusk(t *testing.T, binary string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(env, "TUSK_DATA_DIR="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tusk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// startTuskProcess runs "tusk serve" on a free port until the test ends and returns its URL.
func startTuskProcess(t *testing.T, binary string, env []string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(binary, "serve", "--port", fmt.Sprint(port))
	cmd.Env = append(env, "TUSK_DATA_DIR="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for range 200 {
		if resp, err := http.Get(url + "/health"); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return url
		}
		select {
		case <-exited:
			t.Fatalf("tusk serve exited:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("tusk serve on port %d never answered", port)
	return ""
}

func statusLine(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	resp.Body.Close()
	return resp.Status
}
