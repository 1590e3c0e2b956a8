package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func fetch(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
	Down   []string          `json:"down"`
}

func readyz(t *testing.T, base string) (int, readiness) {
	t.Helper()
	resp, body := fetch(t, base+"/readyz", nil)
	var r readiness
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("/readyz body %q: %v", body, err)
	}
	return resp.StatusCode, r
}

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	servertest.Engines(t, func(t *testing.T, in *servertest.Instance) {
		if resp, body := fetch(t, in.URL+"/health", nil); resp.StatusCode != 200 || body != "OK" {
			t.Errorf("/health = %d %q; want 200 OK", resp.StatusCode, body)
		}
		code, r := readyz(t, in.URL)
		if code != 200 || r.Status != "ok" || r.Checks["database"] != "ok" || len(r.Down) != 0 {
			t.Errorf("/readyz = %d %+v; want 200 with the database ok", code, r)
		}
		in.Store.Close() // the database is gone; liveness stays, readiness goes
		if resp, _ := fetch(t, in.URL+"/health", nil); resp.StatusCode != 200 {
			t.Errorf("/health with the database closed = %d; want 200 (the process still runs)", resp.StatusCode)
		}
		code, r = readyz(t, in.URL)
		if code != 503 || r.Status != "unavailable" || len(r.Down) != 1 || r.Down[0] != "database" {
			t.Errorf("/readyz with the database closed = %d %+v; want 503 naming the database", code, r)
		}
	})
}

func TestReadinessChecksTheS3Bucket(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		// A configured bucket on a port nothing listens on: reachable it is not.
		c.Storage.S3 = config.S3Config{Bucket: "media", Endpoint: "127.0.0.1:1", Region: "us-east-1",
			AccessKey: "k", SecretKey: "s", PathStyle: true}
	})
	code, r := readyz(t, in.URL)
	if code != 503 || len(r.Down) != 1 || r.Down[0] != "s3" || r.Checks["database"] != "ok" {
		t.Errorf("/readyz with an unreachable bucket = %d %+v; want 503 naming s3 only", code, r)
	}
}

func TestRolesChooseTheRoutes(t *testing.T) {
	t.Parallel()
	paths := []string{"/api/v1/instance", "/api/v1/streaming/health", "/health", "/oauth/authorize", "/"}
	for _, tc := range []struct {
		role                   string
		web, streaming, worker bool
		want                   []int // by path above
	}{
		{"all", true, true, true, []int{200, 200, 200, 400, 200}},
		{"web", true, false, false, []int{200, 404, 200, 400, 200}},
		{"streaming", false, true, false, []int{404, 200, 200, 404, 404}},
		{"worker", false, false, true, []int{404, 404, 200, 404, 404}},
	} {
		t.Run(tc.role, func(t *testing.T) {
			t.Parallel()
			in := servertest.Start(t, store.SQLite, func(c *config.Config) {
				c.Jobs.Web, c.Jobs.Streaming, c.Jobs.Worker = tc.web, tc.streaming, tc.worker
			})
			for i, p := range paths {
				if resp, body := fetch(t, in.URL+p, nil); resp.StatusCode != tc.want[i] {
					t.Errorf("role %s: GET %s = %d %.80q; want %d", tc.role, p, resp.StatusCode, body, tc.want[i])
				}
			}
		})
	}
}

var generatedID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	trusting := servertest.Start(t, store.SQLite, nil) // TRUSTED_PROXY_IP defaults to loopback
	distrusting := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Network.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	})
	for _, tc := range []struct {
		name, base, sent string
		echoed           bool
	}{
		{"a trusted proxy's id is kept", trusting.URL, "req-42.a_b", true},
		{"none given", trusting.URL, "", false},
		{"hostile characters", trusting.URL, "x\"; drop", false},
		{"too long", trusting.URL, strings.Repeat("a", 129), false},
		{"an untrusted peer's id is replaced", distrusting.URL, "req-42", false},
	} {
		h := http.Header{}
		if tc.sent != "" {
			h.Set("X-Request-Id", tc.sent)
		}
		resp, _ := fetch(t, tc.base+"/api/v1/instance", h)
		got := resp.Header.Get("X-Request-Id")
		if tc.echoed && got != tc.sent || !tc.echoed && !generatedID.MatchString(got) {
			t.Errorf("%s: X-Request-Id %q answered %q; want echoed=%t", tc.name, tc.sent, got, tc.echoed)
		}
	}
}
