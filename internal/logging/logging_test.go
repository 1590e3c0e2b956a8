package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestJSONLinesCarryTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "info", "json").With("component", "test")
	ctx := WithRequestID(context.Background(), "abc123")
	log.InfoContext(ctx, "handled", "status", 200)
	log.DebugContext(ctx, "hidden at info")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("log output %q is not one JSON object: %v", buf.String(), err)
	}
	if line["request_id"] != "abc123" || line["msg"] != "handled" || line["component"] != "test" {
		t.Errorf("line = %v; want msg, component and request_id abc123", line)
	}
}

func TestTextLinesAndLevels(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "warn", "text")
	log.Info("quiet")
	log.WarnContext(WithRequestID(context.Background(), "r1"), "loud")
	out := buf.String()
	if strings.Contains(out, "quiet") || !strings.Contains(out, "msg=loud") || !strings.Contains(out, "request_id=r1") {
		t.Errorf("text log at warn = %q; want only the warning, with request_id=r1", out)
	}
}

func TestNewRequestIDIsRandom(t *testing.T) {
	a, b := NewRequestID(), NewRequestID()
	if len(a) != 32 || a == b {
		t.Errorf("NewRequestID() = %q, %q; want two different 32-character ids", a, b)
	}
}
