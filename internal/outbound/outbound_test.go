package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

func TestGuardPermits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr           string
		want, withLoop bool // without an allow-list; with ALLOWED_PRIVATE_ADDRESSES=127.0.0.0/8
	}{
		{"93.184.215.14", true, true},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", true, true},
		{"127.0.0.1", false, true},
		{"127.255.255.254", false, true},
		{"0.0.0.0", false, false},
		{"10.1.2.3", false, false},
		{"172.16.0.1", false, false},
		{"172.31.255.255", false, false},
		{"192.168.1.1", false, false},
		{"100.64.0.1", false, false},
		{"100.127.255.255", false, false},
		{"169.254.169.254", false, false},
		{"224.0.0.1", false, false},
		{"239.255.255.250", false, false},
		{"255.255.255.255", false, false},
		{"240.0.0.1", false, false},
		{"192.0.2.10", false, false},
		{"198.51.100.7", false, false},
		{"203.0.113.9", false, false},
		{"198.18.0.1", false, false},
		{"192.0.0.8", false, false},
		{"::", false, false},
		{"::1", false, false},
		{"::ffff:127.0.0.1", false, true},
		{"::ffff:7f00:1", false, true},
		{"::ffff:10.0.0.1", false, false},
		{"::ffff:169.254.169.254", false, false},
		{"::127.0.0.1", false, true},
		{"::7f00:1", false, true},
		{"::10.0.0.1", false, false},
		{"::8.8.8.8", false, false}, // the IPv4-compatible form is deprecated: never dialled
		{"64:ff9b::7f00:1", false, true},
		{"64:ff9b::127.0.0.1", false, true},
		{"64:ff9b::808:808", false, false},
		{"64:ff9b:1::a00:1", false, false},
		{"2002:7f00:1::1", false, true},       // 6to4 to 127.0.0.1
		{"2002:a00:1::1", false, false},       // 6to4 to 10.0.0.1
		{"2002:808:808::1", true, true},       // 6to4 to a public address
		{"2001:0:4136:e378::1", false, false}, // Teredo
		{"2001:db8::1", false, false},
		{"3fff::1", false, false},
		{"fc00::1", false, false},
		{"fd12:3456::1", false, false},
		{"fe80::1", false, false},
		{"fe80::1%eth0", false, false},
		{"fec0::1", false, false},
		{"ff02::1", false, false},
		{"100::1", false, false},
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.addr)
		if got := (Guard{}).Permits(ip); got != tt.want {
			t.Errorf("Permits(%q) = %v; want %v", tt.addr, got, tt.want)
		}
		if got := (Guard{Allowed: loopback}).Permits(ip); got != tt.withLoop {
			t.Errorf("Permits(%q) with 127.0.0.0/8 allowed = %v; want %v", tt.addr, got, tt.withLoop)
		}
	}
}

// counting serves ok and counts the requests that reached it.
func counting(t *testing.T, addr string, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("listen %s: %v", addr, err)
	}
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

func ok(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "hello") }

func TestClientRefusesSpecialAddresses(t *testing.T) {
	t.Parallel()
	srv, hits := counting(t, "127.0.0.1:0", ok)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := New(Options{})
	refused := []string{"127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]",
		"[::7f00:1]", "[64:ff9b::7f00:1]", "[::]", "0.0.0.0", "[0:0:0:0:0:ffff:127.0.0.1]", "[2002:7f00:1::1]"}
	for _, host := range refused {
		u := "http://" + host + ":" + port + "/"
		_, err := c.Get(context.Background(), u, nil, 1024)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("Get(%q) = %v; want ErrForbiddenAddress", u, err)
		}
	}
	// Numeric spellings a C resolver would read as 127.0.0.1: whether Go's resolver
	// rejects them or resolves them, nothing may reach the server.
	for _, host := range []string{"2130706433", "0x7f000001", "017700000001", "0177.0.0.1", "0x7f.1", "127.1"} {
		if _, err := c.Get(context.Background(), "http://"+host+":"+port+"/", nil, 1024); err == nil {
			t.Errorf("Get(%q) succeeded", host)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests; want none", n)
	}
	allowed := New(Options{Guard: Guard{Allowed: loopback}})
	resp, err := allowed.Get(context.Background(), srv.URL, nil, 1024)
	if err != nil || string(resp.Body) != "hello" {
		t.Fatalf("with 127.0.0.0/8 allowed: %v, %v; want hello", resp, err)
	}
}

func TestClientRedirects(t *testing.T) {
	t.Parallel()
	private, privateHits := counting(t, "127.0.0.2:0", ok)
	_, privatePort, _ := net.SplitHostPort(private.Listener.Addr().String())
	var public *httptest.Server
	public, _ = counting(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-private":
			http.Redirect(w, r, private.URL+"/", http.StatusFound)
		case "/to-mapped":
			http.Redirect(w, r, "http://[::ffff:127.0.0.2]:"+privatePort+"/", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/hop":
			n := len(r.URL.Query().Get("n"))
			if n == 0 {
				ok(w, r)
				return
			}
			http.Redirect(w, r, "/hop?n="+strings.Repeat("x", n-1), http.StatusFound)
		}
	})
	// Only the first server's address is allowed: 127.0.0.2 stands for a private host.
	c := New(Options{Guard: Guard{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}})
	tests := []struct {
		path string
		want error
	}{
		{"/to-private", ErrForbiddenAddress},
		{"/to-mapped", ErrForbiddenAddress},
		{"/to-file", ErrBadURL},
		{"/hop?n=xxx", nil},
		{"/hop?n=xxxx", ErrTooManyRedirects},
	}
	for _, tt := range tests {
		resp, err := c.Get(context.Background(), public.URL+tt.path, nil, 1024)
		if tt.want == nil {
			if err != nil || resp.URL.Path != "/hop" {
				t.Errorf("Get(%s) = %v, %v; want the body after 3 redirects", tt.path, resp, err)
			}
			continue
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("Get(%s) = %v; want %v", tt.path, err, tt.want)
		}
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server saw %d requests; want none", n)
	}
}

func TestClientCutsSlowResponseAtDeadline(t *testing.T) {
	t.Parallel()
	srv, _ := counting(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for i := 0; i < 60; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	c := New(Options{Guard: Guard{Allowed: loopback}, Timeout: 1500 * time.Millisecond})
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL, nil, 1<<20)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("slow body: err = %v; want the deadline", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("slow body took %s; want it cut at 1.5s", d)
	}
}

func TestClientCapsBodies(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("a", 2048)
	srv, _ := counting(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.Write([]byte(body[:1000]))
			w.(http.Flusher).Flush() // no Content-Length: the cap must count bytes read
		}
		w.Write([]byte(body))
	})
	c := New(Options{Guard: Guard{Allowed: loopback}})
	for _, path := range []string{"/", "/chunked"} {
		if _, err := c.Get(context.Background(), srv.URL+path, nil, 1024); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Get(%s) with a 1 KB cap = %v; want ErrTooLarge", path, err)
		}
	}
	if resp, err := c.Get(context.Background(), srv.URL, nil, 2048); err != nil || len(resp.Body) != 2048 {
		t.Errorf("Get at exactly the cap = %v; want the whole body", err)
	}
	resp, err := c.GetPrefix(context.Background(), srv.URL, nil, 1024)
	if err != nil || len(resp.Body) != 1024 || !resp.Truncated {
		t.Errorf("GetPrefix with a 1 KB cap = %v; want the first 1 KB, truncated", err)
	}
}

func TestClientRefusesBadRequests(t *testing.T) {
	t.Parallel()
	srv, hits := counting(t, "127.0.0.1:0", ok)
	c := New(Options{Guard: Guard{Allowed: loopback}})
	tests := []struct {
		url    string
		header http.Header
		want   error
	}{
		{srv.URL + "/a\r\nX-Injected: 1", nil, ErrBadURL},
		{srv.URL + "/a\nb", nil, ErrBadURL},
		{"ftp://example.com/", nil, ErrBadURL},
		{"file:///etc/passwd", nil, ErrBadURL},
		{"gopher://127.0.0.1:70/", nil, ErrBadURL},
		{"/relative", nil, ErrBadURL},
		{"http:///nohost", nil, ErrBadURL},
		{srv.URL, http.Header{"Accept": {"text/html\r\nX-Injected: 1"}}, ErrBadHeader},
		{srv.URL, http.Header{"X-A\r\nX-B": {"1"}}, ErrBadHeader},
	}
	for _, tt := range tests {
		if _, err := c.Get(context.Background(), tt.url, tt.header, 1024); !errors.Is(err, tt.want) {
			t.Errorf("Get(%q, %v) = %v; want %v", tt.url, tt.header, err, tt.want)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests; want none", n)
	}
}

func TestGetJSON(t *testing.T) {
	t.Parallel()
	srv, _ := counting(t, "127.0.0.1:0", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			fmt.Fprintf(w, `{"accept":%q}`, r.Header.Get("Accept"))
		case "/big":
			fmt.Fprintf(w, `{"pad":"%s"}`, strings.Repeat("x", MaxJSON))
		case "/bad":
			fmt.Fprint(w, `{"unterminated`)
		default:
			http.NotFound(w, r)
		}
	})
	c := New(Options{Guard: Guard{Allowed: loopback}})
	var got struct{ Accept string }
	if _, err := c.GetJSON(context.Background(), srv.URL+"/ok", "application/activity+json", &got); err != nil || got.Accept != "application/activity+json" {
		t.Errorf("GetJSON(/ok) = %+v, %v", got, err)
	}
	if _, err := c.GetJSON(context.Background(), srv.URL+"/big", "application/json", &got); !errors.Is(err, ErrTooLarge) {
		t.Errorf("GetJSON(/big) = %v; want ErrTooLarge past 1 MB", err)
	}
	for _, path := range []string{"/bad", "/missing"} {
		if _, err := c.GetJSON(context.Background(), srv.URL+path, "application/json", &got); err == nil {
			t.Errorf("GetJSON(%s) succeeded", path)
		}
	}
}
