// Package ratelimit counts requests per client in fixed windows and refuses those over
// Mastodon's limits with 429, telling clients their budget in X-RateLimit-* headers.
// Counts are kept in memory, per process.
package ratelimit

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/tuskhq/tusk/internal/config"
)

// Request is what a rule looks at: the request, the client's address and who the
// request's valid token belongs to ("" without one).
type Request struct {
	*http.Request
	IP             netip.Addr
	Token, Account string
}

// Rule allows Limit requests per Period for each key its match returns.
type Rule struct {
	Name   string
	Limit  int
	Period time.Duration
	match  func(r Request) (key string, ok bool)
}

// Mastodon's limits (its Rack::Attack throttles).
const (
	APIByToken     = "api/token"     // every API request with a token
	APIByIP        = "api/ip"        // every API request without one
	SignUpByIP     = "sign_up/ip"    // POST /api/v1/accounts
	SignInByIP     = "sign_in/ip"    // POST /oauth/token and the sign-in page
	PasswordByIP   = "password/ip"   // password reset requests and submissions
	ConfirmByIP    = "confirm/ip"    // resending the confirmation mail
	MediaByAccount = "media/account" // uploads, once the media endpoints exist
)

// Rules are Mastodon's limits, each overridable by name from the configuration.
func Rules(overrides map[string]config.RateLimit) []Rule {
	rules := []Rule{
		{Name: APIByToken, Limit: 300, Period: 5 * time.Minute, match: func(r Request) (string, bool) {
			return r.Token, isAPI(r) && r.Token != ""
		}},
		{Name: APIByIP, Limit: 300, Period: 5 * time.Minute, match: func(r Request) (string, bool) {
			return r.IP.String(), isAPI(r) && r.Token == ""
		}},
		{Name: SignUpByIP, Limit: 5, Period: 30 * time.Minute, match: byIPOn("POST", "/api/v1/accounts")},
		{Name: SignInByIP, Limit: 25, Period: 5 * time.Minute, match: byIPOn("POST", "/oauth/token", "/auth/sign_in")},
		{Name: PasswordByIP, Limit: 25, Period: 5 * time.Minute, match: byIPOn("POST", "/auth/password/new", "/auth/password/edit", "/auth/password")},
		{Name: ConfirmByIP, Limit: 25, Period: 5 * time.Minute, match: byIPOn("POST", "/api/v1/emails/confirmations")},
		{Name: MediaByAccount, Limit: 30, Period: 30 * time.Minute, match: func(r Request) (string, bool) {
			return r.Account, r.Method == http.MethodPost && r.Account != "" &&
				(r.URL.Path == "/api/v1/media" || r.URL.Path == "/api/v2/media")
		}},
	}
	for i, rule := range rules {
		if o, ok := overrides[rule.Name]; ok {
			rules[i].Limit, rules[i].Period = o.Limit, o.Period
		}
	}
	return rules
}

func isAPI(r Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func byIPOn(method string, paths ...string) func(Request) (string, bool) {
	return func(r Request) (string, bool) {
		if r.Method != method {
			return "", false
		}
		for _, p := range paths {
			if r.URL.Path == p {
				return r.IP.String(), true
			}
		}
		return "", false
	}
}

// Limiter applies rules to requests.
type Limiter struct {
	Rules []Rule
	// Trusted proxies may name the client in X-Forwarded-For (TRUSTED_PROXY_IP).
	Trusted []netip.Prefix
	// Identify names the request's valid token and its account, or "" for neither.
	Identify func(*http.Request) (token, account string)
	counts   *counter
}

// New builds a limiter over the rules.
func New(rules []Rule, trusted []netip.Prefix, identify func(*http.Request) (string, string)) *Limiter {
	return &Limiter{Rules: rules, Trusted: trusted, Identify: identify, counts: newCounter(time.Now)}
}

// verdict is one rule's count for a request.
type verdict struct {
	rule      Rule
	remaining int
	reset     time.Time
}

// Middleware counts each request against every rule it matches and answers 429 once
// one is spent; the headers describe the rule closest to its limit. Requests from the
// machine itself (loopback, after proxies) are not limited, as in Mastodon.
func (l *Limiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := Request{Request: r, IP: ClientIP(r, l.Trusted)}
		if req.IP.IsLoopback() {
			next.ServeHTTP(w, r)
			return
		}
		if l.Identify != nil {
			req.Token, req.Account = l.Identify(r)
		}
		tightest, matched := l.count(req)
		if !matched {
			next.ServeHTTP(w, r)
			return
		}
		setHeaders(w.Header(), tightest)
		if tightest.remaining < 0 {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":"Too many requests"}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// count adds the request to each matching rule and returns the one with the least left.
func (l *Limiter) count(req Request) (verdict, bool) {
	var tightest verdict
	matched := false
	for _, rule := range l.Rules {
		key, ok := rule.match(req)
		if !ok || rule.Limit <= 0 {
			continue
		}
		n, reset := l.counts.add(rule.Name+"\x00"+key, rule.Period)
		v := verdict{rule: rule, remaining: rule.Limit - n, reset: reset}
		if !matched || v.remaining < tightest.remaining {
			tightest, matched = v, true
		}
	}
	return tightest, matched
}

func setHeaders(h http.Header, v verdict) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(v.rule.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(v.remaining, 0)))
	h.Set("X-RateLimit-Reset", v.reset.UTC().Format("2006-01-02T15:04:05.000Z"))
}
