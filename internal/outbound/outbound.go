// Package outbound is the one HTTP client for every request tusk sends to another
// server (federation, link previews, media, WebFinger). It refuses special-purpose
// addresses after DNS resolution, follows at most a few redirects, each checked the same
// way, bounds connect and total time, and caps the body it reads.
package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Limits Mastodon applies to what it fetches.
const (
	MaxRedirects   = 3
	ConnectTimeout = 5 * time.Second
	TotalTimeout   = 30 * time.Second
	MaxJSON        = 1 << 20 // ActivityPub documents, WebFinger, NodeInfo
)

// Errors a caller can tell apart with errors.Is.
var (
	ErrForbiddenAddress = errors.New("outbound: address not allowed")
	ErrTooManyRedirects = errors.New("outbound: too many redirects")
	ErrBadURL           = errors.New("outbound: URL not allowed")
	ErrBadHeader        = errors.New("outbound: header not allowed")
	ErrTooLarge         = errors.New("outbound: response body too large")
)

// Options configure a Client; zero values take Mastodon's limits.
type Options struct {
	Guard          Guard
	UserAgent      string
	ConnectTimeout time.Duration
	Timeout        time.Duration // the whole request, body included
	MaxRedirects   int
}

// Client sends guarded requests. Safe for concurrent use.
type Client struct {
	http      *http.Client
	userAgent string
	timeout   time.Duration
}

// New builds a client.
func New(o Options) *Client {
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = ConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = TotalTimeout
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = MaxRedirects
	}
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, Control: o.Guard.control}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy from the environment would dial for us, past the guard
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    o.ConnectTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConnsPerHost:    4,
		// A custom DialContext turns Go's automatic HTTP/2 off; ask for it again, so a
		// server that offers it gets many deliveries over one connection.
		ForceAttemptHTTP2: true,
	}
	c := &http.Client{Transport: transport, CheckRedirect: checkRedirect(o.MaxRedirects)}
	return &Client{http: c, userAgent: o.UserAgent, timeout: o.Timeout}
}

// control runs after DNS resolution, just before each connection attempt.
func (g Guard) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !g.Permits(ip) {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, host)
	}
	return nil
}

func checkRedirect(max int) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > max {
			return ErrTooManyRedirects
		}
		return checkURL(req.URL.String())
	}
}

// checkURL accepts absolute http(s) URLs with a host and no raw CR or LF.
func checkURL(raw string) error {
	if strings.ContainsAny(raw, "\r\n") {
		return ErrBadURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	return nil
}

func checkHeader(h http.Header) error {
	for k, vs := range h {
		if strings.ContainsAny(k, "\r\n:") {
			return ErrBadHeader
		}
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") {
				return fmt.Errorf("%w: %s", ErrBadHeader, k)
			}
		}
	}
	return nil
}

// Response is a finished request with its body read.
type Response struct {
	URL       *url.URL // where the body finally came from, after redirects
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool // GetPrefix only: the body went on past the limit
}

// Get fetches rawURL with the extra headers and reads at most limit bytes of body.
func (c *Client) Get(ctx context.Context, rawURL string, header http.Header, limit int64) (*Response, error) {
	return c.Do(ctx, http.MethodGet, rawURL, header, nil, limit)
}

// GetPrefix fetches rawURL but keeps only the first limit bytes of a longer body
// instead of failing: enough of an HTML page to read its <head>.
func (c *Client) GetPrefix(ctx context.Context, rawURL string, header http.Header, limit int64) (*Response, error) {
	return c.do(ctx, http.MethodGet, rawURL, header, nil, limit, true)
}

// Do sends one request and reads at most limit bytes of its body; a longer body is
// ErrTooLarge. The deadline covers connecting, redirects and reading the body.
func (c *Client) Do(ctx context.Context, method, rawURL string, header http.Header, body io.Reader, limit int64) (*Response, error) {
	return c.do(ctx, method, rawURL, header, body, limit, false)
}

func (c *Client) do(ctx context.Context, method, rawURL string, header http.Header, body io.Reader, limit int64, prefix bool) (*Response, error) {
	if err := checkURL(rawURL); err != nil {
		return nil, err
	}
	if err := checkHeader(header); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	for k, vs := range header {
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	if c.userAgent != "" && req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("outbound: %s %s: %w", method, rawURL, err)
	}
	defer resp.Body.Close()
	out := &Response{URL: resp.Request.URL, Status: resp.StatusCode, Header: resp.Header}
	if out.Body, out.Truncated, err = readCapped(resp, limit, prefix); err != nil {
		return nil, fmt.Errorf("outbound: %s %s: %w", method, rawURL, err)
	}
	return out, nil
}

// readCapped reads at most limit bytes; more is ErrTooLarge unless prefix allows a cut.
func readCapped(resp *http.Response, limit int64, prefix bool) (data []byte, truncated bool, err error) {
	if resp.ContentLength > limit && !prefix {
		return nil, false, ErrTooLarge
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(data)) > limit {
		if !prefix {
			return nil, false, ErrTooLarge
		}
		return data[:limit], true, nil
	}
	return data, false, nil
}

// GetJSON fetches a JSON document of at most MaxJSON bytes into v. The caller names the
// media type it accepts (ActivityPub's, JRD …); the answer must be 200.
func (c *Client) GetJSON(ctx context.Context, rawURL, accept string, v any) (*Response, error) {
	resp, err := c.Get(ctx, rawURL, http.Header{"Accept": {accept}}, MaxJSON)
	if err != nil {
		return nil, err
	}
	if resp.Status != http.StatusOK {
		return resp, fmt.Errorf("outbound: GET %s: status %d", rawURL, resp.Status)
	}
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return resp, fmt.Errorf("outbound: GET %s: %w", rawURL, err)
	}
	return resp, nil
}
