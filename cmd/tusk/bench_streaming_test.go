package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestBenchStreamingHelp(t *testing.T) {
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"bench", "streaming", "--help"}, io.Discard, &stderr, env(nil))
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("bench streaming --help: err = %v; want flag.ErrHelp", err)
	}
	for _, want := range []string{"--connections", "-source-addrs", "-user-stream", "/api/v1/streaming", "DATABASE_URL"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("bench streaming --help does not mention %s", want)
		}
	}
	stderr.Reset()
	run(context.Background(), []string{"bench"}, io.Discard, &stderr, env(nil))
	if !strings.Contains(stderr.String(), "tusk bench streaming") {
		t.Errorf("bench's usage does not name the streaming benchmark:\n%s", stderr.String())
	}
}

func TestBenchStreamingRejectsBadSizes(t *testing.T) {
	err := run(context.Background(), []string{"bench", "streaming", "--connections", "0", "--data-dir", t.TempDir()}, io.Discard, io.Discard, env(nil))
	if err == nil || !strings.Contains(err.Error(), "connections") {
		t.Errorf("--connections 0: err = %v; want one naming connections", err)
	}
}
