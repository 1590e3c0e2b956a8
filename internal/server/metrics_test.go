package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/server/servertest"
	"github.com/tuskhq/tusk/internal/store"
)

func TestMetricsCountMediaBytesAndStreams(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Admin.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	file := bytes.Repeat([]byte("x"), 12345)
	const key = "media_attachments/1/original/a.bin"
	if err := in.MediaStorage.Put(context.Background(), key, bytes.NewReader(file), int64(len(file)), "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	if resp, body := fetch(t, in.URL+"/system/"+key, nil); resp.StatusCode != 200 || len(body) != len(file) {
		t.Fatalf("GET media = %d, %d bytes", resp.StatusCode, len(body))
	}
	_, scrape := fetch(t, in.URL+"/metrics", nil)
	for _, want := range []string{
		"tusk_media_served_bytes_total 12345\n",
		"tusk_streaming_connections 0\n",
		`tusk_http_request_duration_seconds_count{code="200",route="GET /system/{key...}"} 1`,
		`go_goroutines `,
		`go_sql_open_connections{db_name="tusk"}`,
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestMetricsCountOpenStreams(t *testing.T) {
	t.Parallel()
	in := servertest.Start(t, store.SQLite, func(c *config.Config) {
		c.Admin.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	alice := in.NewMember(t, "alice", "read")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, in.URL+"/api/v1/streaming/public?access_token="+alice.Token, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("open stream: %v, %v", resp, err)
	}
	defer resp.Body.Close()
	if _, scrape := fetch(t, in.URL+"/metrics", nil); !strings.Contains(scrape, "tusk_streaming_connections 1\n") {
		t.Errorf("/metrics with one stream open lacks tusk_streaming_connections 1")
	}
}
