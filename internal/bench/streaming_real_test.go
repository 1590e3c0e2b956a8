package bench

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/server"
	"github.com/tuskhq/tusk/internal/store"
)

// TestStreamingOnTheRealServer runs the streaming benchmark's setup against the real
// binary: members and tokens written in-process, "tusk serve" started as a child on the
// same database, a status posted through the API. Where the binary serves
// /api/v1/streaming it then runs the whole benchmark at a tiny size.
func TestStreamingOnTheRealServer(t *testing.T) {
	binary := buildTusk(t)
	if binary == "" {
		t.Skip("builds and starts the binary; skipped with -short")
	}
	ctx := context.Background()
	cfg := testConfig(t, store.SQLite)
	srv, err := server.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	o := StreamingOptions{Connections: 4, Members: 2, Posts: 2, PostInterval: 10 * time.Millisecond, Parallel: 2,
		Settle: 10 * time.Millisecond, Idle: 100 * time.Millisecond, Serve: ServeSpec{Binary: binary, Args: serveArgs(cfg)}}
	tokens, err := seedMembers(ctx, srv, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 {
		t.Fatalf("%d tokens; want one per member", len(tokens))
	}
	c, err := startServe(ctx, o.Serve)
	if err != nil {
		t.Fatal(err)
	}
	defer c.stop()
	base := "127.0.0.1:" + itoa(c.port)
	if id, err := postStatus(ctx, base, tokens[1], "hello from the benchmark"); err != nil || id == "" {
		t.Fatalf("postStatus = %q, %v", id, err)
	}
	if _, err := postStatus(ctx, base, "not-a-token", "x"); err == nil {
		t.Error("postStatus with a bad token succeeded")
	}
	r, err := measureStreaming(ctx, target{base: base, pid: c.pid(), alive: c.alive}, tokens, o)
	if err != nil && strings.Contains(err.Error(), "got 404") {
		t.Skip("this binary does not serve /api/v1/streaming yet; the benchmark's client side is tested against a fake server")
	}
	if err != nil {
		t.Fatal(err)
	}
	if r.Opened != 4 || r.Delivery.Requests != 8 || r.Missing != 0 || r.DroppedStreams != 0 || r.RSSMB <= 0 {
		t.Errorf("result = %+v; want 4 streams each receiving both posts", r)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
