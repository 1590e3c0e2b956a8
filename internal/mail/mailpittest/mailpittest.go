// Package mailpittest runs a real SMTP server for tests: mailpit, started on loopback
// ports and read back through its HTTP API. Tests that use it are skipped when the
// mailpit binary is not installed.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"go/build"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
)

// Install is the command that provides the binary; .ci/run pins the same version.
const Install = "go install github.com/axllent/mailpit@v1.27.11"

// Server is a running mailpit.
type Server struct {
	SMTPPort int
	API      string // http://127.0.0.1:PORT
}

// Start runs mailpit for the test with extra command-line flags (authentication, TLS,
// recipient rules) and stops it at cleanup. It skips the test when mailpit is missing.
func Start(t testing.TB, flags ...string) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		t.Skipf("mailpit is not installed (not on PATH nor in GOPATH/bin); install it with: %s", Install)
	}
	s := &Server{SMTPPort: freePort(t)}
	httpPort := freePort(t)
	s.API = "http://127.0.0.1:" + strconv.Itoa(httpPort)
	args := append([]string{"--smtp", "127.0.0.1:" + strconv.Itoa(s.SMTPPort), "--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--disable-version-check", "--smtp-disable-rdns", "--quiet"},
		flags...)
	cmd := exec.Command(bin, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for !s.ready() {
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start within 10s: %s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// binary finds mailpit on PATH or in GOPATH/bin, where go install puts it.
func binary() string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		gopath = build.Default.GOPATH
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *Server) ready() bool {
	resp, err := http.Get(s.API + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.SMTPPort))
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Configure points cfg's outgoing mail at this server, without TLS or authentication.
func (s *Server) Configure(cfg *config.Config) {
	cfg.Mail.Server, cfg.Mail.Port = "127.0.0.1", s.SMTPPort
	cfg.Mail.StartTLS, cfg.Mail.AuthMethod = config.StartTLSNever, config.SMTPAuthNone
	if cfg.Mail.From == "" {
		cfg.Mail.From = "notifications@tusk.test"
	}
}

// Address is a mailbox as mailpit reports it.
type Address struct{ Name, Address string }

// Message is one received mail.
type Message struct {
	ID       string
	From     Address
	To       []Address
	Subject  string
	Text     string
	HTML     string
	Username string // the SMTP login used, if any
}

// Recipients lists the To addresses.
func (m Message) Recipients() []string {
	out := make([]string, len(m.To))
	for i, a := range m.To {
		out[i] = a.Address
	}
	return out
}

// Messages returns every received message, newest first, with bodies.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	var list struct{ Messages []Message }
	s.get(t, "/api/v1/messages?limit=500", &list)
	out := make([]Message, len(list.Messages))
	for i, m := range list.Messages {
		s.get(t, "/api/v1/message/"+url.PathEscape(m.ID), &out[i])
		out[i].Username = m.Username
	}
	return out
}

// WaitFor waits up to 15 seconds for n messages to have arrived for to, and returns
// them oldest first.
func (s *Server) WaitFor(t testing.TB, to string, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var got []Message
		for _, m := range s.Messages(t) {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, to) {
					got = append([]Message{m}, got...)
				}
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: %d messages for %s after 15s; want %d", len(got), to, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) get(t testing.TB, path string, v any) {
	t.Helper()
	resp, err := http.Get(s.API + path)
	if err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit API %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit API %s: %v", path, err)
	}
}

// LinkWith finds the first link in text that starts with prefix.
func LinkWith(t testing.TB, text, prefix string) string {
	t.Helper()
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("no link starting %s in:\n%s", prefix, text)
	}
	end := strings.IndexAny(text[i:], " \r\n\"<>")
	if end < 0 {
		return text[i:]
	}
	return text[i : i+end]
}

// String describes a message for failure output.
func (m Message) String() string {
	return fmt.Sprintf("%s → %v: %q", m.From.Address, m.Recipients(), m.Subject)
}
