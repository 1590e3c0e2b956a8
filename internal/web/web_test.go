package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestLandingPageCountsMembers(t *testing.T) {
	in := servertest.Start(t, store.SQLite, nil)
	in.NewMember(t, "alice")
	code, body := get(t, in.URL+"/")
	if code != 200 || !strings.Contains(body, "1 member and 0 posts") {
		t.Errorf("GET / = %d %q; want the member count", code, body)
	}
}

func TestSingleUserModeShowsTheOwnersProfile(t *testing.T) {
	in := servertest.Start(t, store.SQLite, func(c *config.Config) { c.SingleUserMode = true })
	if code, body := get(t, in.URL+"/"); code != 404 || !strings.Contains(body, "admin accounts create") {
		t.Errorf("GET / with no account = %d %q; want the hint to create one", code, body)
	}
	alice := in.NewMember(t, "alice")
	alice.Do(t, "POST", "/api/v1/statuses", map[string]any{"status": "public <hello>"})
	alice.Do(t, "POST", "/api/v1/statuses", map[string]any{"status": "followers only", "visibility": "private"})
	code, body := get(t, in.URL+"/")
	if code != 200 || !strings.Contains(body, "public &lt;hello&gt;") || strings.Contains(body, "followers only") {
		t.Errorf("GET / in single-user mode = %d %q; want alice's public post only, escaped", code, body)
	}
}

func TestHealthAndDefaultImages(t *testing.T) {
	in := servertest.Start(t, store.SQLite, nil)
	if code, body := get(t, in.URL+"/health"); code != 200 || body != "OK" {
		t.Errorf("/health = %d %q", code, body)
	}
	resp, err := http.Get(in.URL + "/avatars/original/missing.png")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("missing avatar = %d %v", resp.StatusCode, resp.Header)
	}
}
