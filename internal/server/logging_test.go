package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/tuskhq/tusk/internal/config"
	"github.com/tuskhq/tusk/internal/jobs"
	"github.com/tuskhq/tusk/internal/logging"
	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
	"github.com/tuskhq/tusk/internal/store/storetest"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) lines() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(s.b.Bytes()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// TestRequestLogLinesCarryTheRequestID: with LOG_FORMAT=json at debug, the request's log
// line is JSON and names the id the response returned.
func TestRequestLogLinesCarryTheRequestID(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(flag.NewFlagSet("test", flag.ContinueOnError), nil, func(k string) string {
		return map[string]string{"TUSK_DATA_DIR": t.TempDir(), "LOG_FORMAT": "json", "LOG_LEVEL": "debug"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, store.SQLite)
	if _, err := jobs.Migrate(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	var buf syncBuffer
	srv := server.Wire(cfg, logging.New(&buf, cfg.LogLevel, cfg.LogFormat), st)
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	resp, _ := fetch(t, hs.URL+"/api/v1/no-such-thing", nil)
	id := resp.Header.Get("X-Request-Id")
	for _, line := range buf.lines() {
		if line["msg"] == "request" && line["path"] == "/api/v1/no-such-thing" {
			if line["request_id"] != id || id == "" {
				t.Errorf("request log line %v; want request_id %q", line, id)
			}
			return
		}
	}
	t.Errorf("no JSON request line logged; log: %v", buf.lines())
}
