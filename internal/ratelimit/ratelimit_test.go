package ratelimit_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/ratelimit"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

// call sends a request as if through the local reverse proxy (trusted by default) from
// client, with token when not "".
func call(t *testing.T, in *servertest.Instance, client, token, method, path string, form url.Values) *servertest.Response {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, in.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if client != "" {
		req.Header.Set("X-Forwarded-For", client)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return in.Send(t, req)
}

// budget reads the rate limit headers, failing when they are missing or malformed.
func budget(t *testing.T, r *servertest.Response) (limit, remaining int) {
	t.Helper()
	limit, err1 := strconv.Atoi(r.Header.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(r.Header.Get("X-RateLimit-Remaining"))
	reset, err3 := time.Parse(time.RFC3339, r.Header.Get("X-RateLimit-Reset"))
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("rate limit headers = %v", r.Header)
	}
	if until := time.Until(reset); until <= 0 || until > 30*time.Minute {
		t.Errorf("X-RateLimit-Reset = %s; want within the window", reset)
	}
	return limit, remaining
}

func tooMany(t *testing.T, r *servertest.Response, what string) {
	t.Helper()
	var body map[string]string
	if r.Status != http.StatusTooManyRequests || json.Unmarshal(r.Body, &body) != nil || body["error"] != "Too many requests" {
		t.Fatalf("%s = %d %s; want 429 Too many requests", what, r.Status, r.Body)
	}
	if _, remaining := budget(t, r); remaining != 0 {
		t.Errorf("%s: X-RateLimit-Remaining = %d; want 0", what, remaining)
	}
}

func engines(t *testing.T, limits map[string]config.RateLimit, fn func(t *testing.T, in *servertest.Instance)) {
	t.Parallel()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			t.Parallel()
			fn(t, servertest.Start(t, engine, func(c *config.Config) {
				c.Network.RateLimits = limits
				c.Registrations = config.RegistrationsOpen
			}))
		})
	}
}

func TestAPILimitByIP(t *testing.T) {
	engines(t, map[string]config.RateLimit{ratelimit.APIByIP: {Limit: 3, Period: time.Minute}}, func(t *testing.T, in *servertest.Instance) {
		for i := 0; i < 3; i++ {
			r := call(t, in, "203.0.113.7", "", "GET", "/api/v1/instance", nil)
			if limit, remaining := budget(t, r); r.Status != 200 || limit != 3 || remaining != 2-i {
				t.Fatalf("request %d = %d, limit %d, remaining %d; want 200, 3, %d", i+1, r.Status, limit, remaining, 2-i)
			}
		}
		tooMany(t, call(t, in, "203.0.113.7", "", "GET", "/api/v1/instance", nil), "4th request")
		// The client cannot escape by naming another address itself: the proxy appends
		// the real one, and only that counts.
		tooMany(t, call(t, in, "198.51.100.99, 203.0.113.7", "", "GET", "/api/v1/instance", nil), "spoofed X-Forwarded-For")
		if r := call(t, in, "203.0.113.8", "", "GET", "/api/v1/instance", nil); r.Status != 200 {
			t.Errorf("another client = %d; want 200", r.Status)
		}
		// The machine itself is not limited, and pages outside the API carry no budget.
		if r := call(t, in, "", "", "GET", "/api/v1/instance", nil); r.Status != 200 || r.Header.Get("X-RateLimit-Limit") != "" {
			t.Errorf("loopback = %d %v; want 200 without limits", r.Status, r.Header)
		}
		if r := call(t, in, "203.0.113.7", "", "GET", "/health", nil); r.Status != 200 || r.Header.Get("X-RateLimit-Limit") != "" {
			t.Errorf("/health = %d %v; want 200 without limits", r.Status, r.Header)
		}
	})
}

func TestAPILimitByToken(t *testing.T) {
	engines(t, map[string]config.RateLimit{ratelimit.APIByToken: {Limit: 2, Period: time.Minute}}, func(t *testing.T, in *servertest.Instance) {
		ann, bob := in.NewMember(t, "ann"), in.NewMember(t, "bob")
		// A token's budget follows it from address to address.
		for i, ip := range []string{"203.0.113.1", "203.0.113.2"} {
			if r := call(t, in, ip, ann.Token, "GET", "/api/v1/accounts/verify_credentials", nil); r.Status != 200 {
				t.Fatalf("request %d = %d", i+1, r.Status)
			}
		}
		tooMany(t, call(t, in, "203.0.113.3", ann.Token, "GET", "/api/v1/accounts/verify_credentials", nil), "3rd request with the token")
		r := call(t, in, "203.0.113.3", bob.Token, "GET", "/api/v1/accounts/verify_credentials", nil)
		if limit, remaining := budget(t, r); r.Status != 200 || limit != 2 || remaining != 1 {
			t.Errorf("another token = %d, %d/%d; want 200 with its own budget", r.Status, remaining, limit)
		}
		// Without the token the same address has the (default, larger) address budget.
		r = call(t, in, "203.0.113.3", "", "GET", "/api/v1/instance", nil)
		if limit, _ := budget(t, r); r.Status != 200 || limit != 300 {
			t.Errorf("anonymous = %d, limit %d; want 200, 300", r.Status, limit)
		}
	})
}

func TestSignUpAndSignInLimits(t *testing.T) {
	// Sign-up keeps Mastodon's real limit (5 per 30 minutes); sign-in is shrunk to 2.
	engines(t, map[string]config.RateLimit{ratelimit.SignInByIP: {Limit: 2, Period: time.Minute}}, func(t *testing.T, in *servertest.Instance) {
		app := in.Token(t, nil, "read", "write")
		for i := 0; i < 5; i++ {
			form := url.Values{"username": {"user" + strconv.Itoa(i)}, "email": {"u" + strconv.Itoa(i) + "@example.com"},
				"password": {"correct horse battery staple"}, "agreement": {"true"}, "locale": {"en"}}
			r := call(t, in, "203.0.113.50", app, "POST", "/api/v1/accounts", form)
			if limit, remaining := budget(t, r); r.Status != 200 || limit != 5 || remaining != 4-i {
				t.Fatalf("sign-up %d = %d %s, %d/%d; want 200 and the sign-up budget", i+1, r.Status, r.Body, remaining, limit)
			}
		}
		tooMany(t, call(t, in, "203.0.113.50", app, "POST", "/api/v1/accounts", url.Values{"username": {"six"}}), "6th sign-up")

		bad := url.Values{"grant_type": {"password"}, "client_id": {"nope"}, "client_secret": {"nope"}, "username": {"x"}, "password": {"y"}}
		for i := 0; i < 2; i++ {
			if r := call(t, in, "203.0.113.60", "", "POST", "/oauth/token", bad); r.Status == http.StatusTooManyRequests {
				t.Fatalf("token attempt %d refused early", i+1)
			}
		}
		tooMany(t, call(t, in, "203.0.113.60", "", "POST", "/oauth/token", bad), "3rd token attempt")
		tooMany(t, call(t, in, "203.0.113.60", "", "POST", "/auth/sign_in", url.Values{"email": {"x"}}), "sign-in page after")
	})
}

func TestRateLimitsOff(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Network.RateLimitsOff = true
		c.Network.RateLimits = map[string]config.RateLimit{ratelimit.APIByIP: {Limit: 1, Period: time.Minute}}
	})
	for i := 0; i < 3; i++ {
		if r := call(t, in, "203.0.113.7", "", "GET", "/api/v1/instance", nil); r.Status != 200 || r.Header.Get("X-RateLimit-Limit") != "" {
			t.Fatalf("request %d with limits off = %d %v", i+1, r.Status, r.Header)
		}
	}
}
