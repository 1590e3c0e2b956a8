package pubsub

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestMemoryDeliversInOrderToEverySubscriber(t *testing.T) {
	m := NewMemory()
	var mu sync.Mutex
	var a, b []string
	unA := m.Subscribe("c", func(p []byte) { mu.Lock(); a = append(a, string(p)); mu.Unlock() })
	m.Subscribe("c", func(p []byte) { mu.Lock(); b = append(b, string(p)); mu.Unlock() })
	m.Subscribe("other", func(p []byte) { t.Errorf("other channel got %q", p) })
	for _, p := range []string{"1", "2", "3"} {
		if err := m.Publish(context.Background(), "c", []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	unA()
	unA() // unsubscribing twice is harmless
	_ = m.Publish(context.Background(), "c", []byte("4"))
	if got := len(a); got != 3 || a[2] != "3" {
		t.Errorf("a = %v; want [1 2 3]", a)
	}
	if len(b) != 4 || b[0] != "1" || b[3] != "4" {
		t.Errorf("b = %v; want [1 2 3 4]", b)
	}
	if n := m.Subscribers("c"); n != 1 {
		t.Errorf("Subscribers(c) = %d; want 1", n)
	}
}

func TestMemoryForgetsEmptyChannelsAndCloses(t *testing.T) {
	m := NewMemory()
	un := m.Subscribe("c", func([]byte) {})
	un()
	if len(m.subs) != 0 {
		t.Errorf("channels after the last unsubscribe = %d; want 0", len(m.subs))
	}
	if err := m.Publish(context.Background(), "nobody", []byte("x")); err != nil {
		t.Errorf("Publish without subscribers = %v", err)
	}
	_ = m.Close()
	if err := m.Publish(context.Background(), "c", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish after Close = %v; want ErrClosed", err)
	}
}

func TestMemorySubscriberMayUnsubscribeWhileDelivering(t *testing.T) {
	m := NewMemory()
	var un func()
	calls := 0
	un = m.Subscribe("c", func([]byte) { calls++; un() })
	_ = m.Publish(context.Background(), "c", nil)
	_ = m.Publish(context.Background(), "c", nil)
	if calls != 1 {
		t.Errorf("calls = %d; want 1", calls)
	}
}

func BenchmarkMemoryPublishWithoutSubscribers(b *testing.B) {
	m := NewMemory()
	ctx := context.Background()
	for b.Loop() {
		_ = m.Publish(ctx, "timeline:1", nil)
	}
}
