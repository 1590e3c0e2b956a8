package ratelimit

import (
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.5:1234", nil, "203.0.113.5"},
		{"203.0.113.5:1234", []string{"198.51.100.1"}, "203.0.113.5"}, // untrusted peer: header ignored
		{"10.0.0.2:1234", nil, "10.0.0.2"},
		{"10.0.0.2:1234", []string{"198.51.100.1"}, "198.51.100.1"},
		{"10.0.0.2:1234", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},           // the client's own entry is not believed
		{"10.0.0.2:1234", []string{"6.6.6.6, 198.51.100.1, 10.0.0.9"}, "198.51.100.1"}, // two proxies
		{"10.0.0.2:1234", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},         // several headers
		{"10.0.0.2:1234", []string{"10.0.0.7, 10.0.0.9"}, "10.0.0.7"},                  // all trusted: the farthest
		{"10.0.0.2:1234", []string{"198.51.100.1, garbage"}, "10.0.0.2"},
		{"[::1]:1234", []string{"2001:db8::7"}, "2001:db8::7"},
		{"[::ffff:10.0.0.2]:1234", []string{"::ffff:198.51.100.1"}, "198.51.100.1"},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := ClientIP(r, trusted); got.String() != tt.want {
			t.Errorf("ClientIP(%s, %q) = %s; want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestCounterWindows(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 24, 10, 3, 20, 0, time.UTC)
	c := newCounter(func() time.Time { return now })
	for i := 1; i <= 3; i++ {
		n, reset := c.add("k", 5*time.Minute)
		if want := time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC); n != i || !reset.Equal(want) {
			t.Fatalf("hit %d: add = %d, %s; want %d, %s", i, n, reset, i, want)
		}
	}
	if n, _ := c.add("other", 5*time.Minute); n != 1 {
		t.Errorf("another key = %d; want its own count", n)
	}
	now = now.Add(2 * time.Minute) // 10:05:20, a new window
	if n, _ := c.add("k", 5*time.Minute); n != 1 {
		t.Errorf("after the window = %d; want 1", n)
	}
	if _, ok := c.windows["other"]; ok {
		t.Errorf("the ended window of an idle key was kept")
	}
}
