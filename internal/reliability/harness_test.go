package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tuskhq/tusk/internal/accounts"
	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
)

// The tests run the real tusk binary, built once per test run, as a subprocess they can
// kill: nothing of the process under test lives in the test's own memory.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func tuskBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tusk-reliability-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tusk")
		out, err := exec.Command("go", "build", "-o", binPath, "../../cmd/tusk").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// envInt reads a size from the environment: CI runs small, the full run sets it.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// instance is the settings of one tusk under test, as environment variables.
type instance struct {
	t    *testing.T
	bin  string
	env  map[string]string
	base string // http://127.0.0.1:PORT
	logs string // the processes' stderr, appended
}

func newInstance(t *testing.T, databaseURL string, extra map[string]string) *instance {
	t.Helper()
	port := freePort(t)
	dir := t.TempDir()
	env := map[string]string{
		// The domain is the listening address, so the URLs tusk gives its actors reach it
		// (fake remotes follow them) and use http, as for any loopback domain.
		"LOCAL_DOMAIN": fmt.Sprintf("127.0.0.1:%d", port), "BIND": "127.0.0.1", "PORT": strconv.Itoa(port), "TUSK_DATA_DIR": dir,
		"DATABASE_URL": databaseURL, "TUSK_RATE_LIMITS": "false", "ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8",
		"TUSK_JOBS_POLL_INTERVAL": "200ms", "TUSK_JOB_TIMEOUT": "5s", "TUSK_JOB_RESCUE_AFTER": "6s", "TUSK_JOB_RETRY_BASE": "200ms",
		"LOG_LEVEL": "warn",
	}
	for k, v := range extra {
		env[k] = v
	}
	in := &instance{t: t, bin: tuskBinary(t), env: env, base: fmt.Sprintf("http://127.0.0.1:%d", port), logs: filepath.Join(dir, "tusk.log")}
	in.run("migrate")
	return in
}

func (in *instance) environ() []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range in.env {
		out = append(out, k+"="+v)
	}
	return out
}

// run runs a tusk command to completion.
func (in *instance) run(args ...string) {
	in.t.Helper()
	cmd := exec.Command(in.bin, args...)
	cmd.Env = in.environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		in.t.Fatalf("tusk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// proc is a running "tusk serve".
type proc struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// serve starts "tusk serve" and waits until it answers.
func (in *instance) serve() *proc {
	in.t.Helper()
	logf, err := os.OpenFile(in.logs, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		in.t.Fatal(err)
	}
	cmd := exec.Command(in.bin, "serve")
	cmd.Env = in.environ()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); logf.Close(); close(p.done) }()
	in.t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(in.base + "/api/v1/instance")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			in.t.Fatalf("tusk serve exited: %v; log:\n%s", cmd.ProcessState, in.tail())
		case <-time.After(50 * time.Millisecond):
		}
	}
	in.t.Fatalf("tusk serve did not answer within a minute; log:\n%s", in.tail())
	return nil
}

// kill ends a tusk process with SIGKILL, as a power cut or the OOM killer would.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop ends a tusk process as systemd would, letting it finish its jobs.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done
}

// alive reports whether the process is still running.
func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (in *instance) tail() string {
	b, _ := os.ReadFile(in.logs)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// config is the instance's configuration, read from its environment as the binary reads it.
func (in *instance) config() config.Config {
	in.t.Helper()
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string { return in.env[k] })
	if err != nil {
		in.t.Fatal(err)
	}
	return cfg
}

// actorURI is the ActivityPub id of a local account.
func (in *instance) actorURI(username string) string {
	return in.config().BaseURL() + "/users/" + username
}

// openStore opens the instance's database in the test, as the binary does.
func (in *instance) openStore() *store.Store {
	in.t.Helper()
	st, err := server.OpenStore(context.Background(), in.config())
	if err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() { st.Close() })
	return st
}

// member is a local account with a token.
type member struct {
	Name  string
	ID    int64
	Token string
}

// newMembers creates confirmed members and tokens straight in the database, before the
// server starts, so the load needs no sign-up flow.
func (in *instance) newMembers(st *store.Store, names ...string) []member {
	in.t.Helper()
	ctx := context.Background()
	cfg := in.config()
	acc := &accounts.Service{Store: st, Config: cfg, PasswordCost: bcrypt.MinCost}
	oa := &oauth.Service{Store: st, Config: cfg, Accounts: acc, Log: slog.New(slog.DiscardHandler)}
	app := &model.App{Name: "reliability", RedirectURIs: []string{"urn:ietf:wg:oauth:2.0:oob"}, Scopes: []string{"read", "write", "follow"},
		ClientID: "reliability-" + strconv.FormatInt(time.Now().UnixNano(), 36), ClientSecret: "secret"}
	if err := st.Writer().InsertApp(ctx, app); err != nil {
		in.t.Fatal(err)
	}
	var out []member
	for _, name := range names {
		a, u, err := acc.Create(ctx, accounts.CreateParams{Username: name, Email: name + "@example.com",
			Password: "correct horse battery staple", Confirmed: true, Approved: true})
		if err != nil {
			in.t.Fatal(err)
		}
		token, _, _, err := oa.IssueToken(ctx, app.ID, &u.ID, app.Scopes)
		if err != nil {
			in.t.Fatal(err)
		}
		out = append(out, member{Name: name, ID: a.ID, Token: token})
	}
	return out
}

// call makes one API request and returns the status and body; err is a transport error
// (the process is gone), not an HTTP error status.
func (in *instance) call(client *http.Client, m member, method, path string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, in.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+m.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// post publishes a status and returns it when the server acknowledged it.
func (in *instance) post(client *http.Client, m member, text string) (int, posted, error) {
	code, body, err := in.call(client, m, "POST", "/api/v1/statuses", map[string]any{"status": text})
	if err != nil || code/100 != 2 {
		return code, posted{}, err
	}
	var s posted
	if err := json.Unmarshal(body, &s); err != nil || s.ID == "" || s.URI == "" {
		return code, posted{}, fmt.Errorf("2xx without a status: %q", body)
	}
	return code, s, nil
}

// posted is an acknowledged status: its id, and its URI that deliveries carry.
type posted struct {
	ID  string
	URI string
}
