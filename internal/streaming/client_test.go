package streaming

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tuskhq/tusk/internal/model"
	"github.com/tuskhq/tusk/internal/oauth"
)

func TestSlowClientIsDisconnectedWithoutWaiting(t *testing.T) {
	c := newClient(&oauth.Auth{Token: &model.Token{ID: 1}, Account: &model.Account{ID: 2}}, nil, 2)
	start := time.Now()
	for range 3 {
		c.send(&message{event: "update"})
	}
	if time.Since(start) > time.Second {
		t.Error("send waited for the client")
	}
	select {
	case <-c.done:
	default:
		t.Fatal("a client with a full outbox is still connected")
	}
	if r := c.endReason(); r != endSlow {
		t.Errorf("reason = %q; want %q", r, endSlow)
	}
	c.send(&message{event: "update"}) // after the end: dropped, no panic
}

func TestHubDropsRatherThanBlockingTheBus(t *testing.T) {
	h := &hub{log: slog.New(slog.NewTextHandler(io.Discard, nil)), queues: []chan delivery{make(chan delivery, 1)}}
	done := make(chan struct{})
	go func() {
		h.enqueue("timeline:public", []byte(`{}`))
		h.enqueue("timeline:public", []byte(`{}`)) // the queue is full and nobody works it
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("enqueue blocked the bus")
	}
}
