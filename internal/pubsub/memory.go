package pubsub

import (
	"context"
	"errors"
	"sync"
)

// ErrClosed is returned by Publish on a closed bus.
var ErrClosed = errors.New("pubsub: bus closed")

// Memory is the in-process Bus: one process, no broker. Publishing on a channel nobody
// subscribes to is one map lookup under a read lock.
type Memory struct {
	mu     sync.RWMutex
	subs   map[string]map[*subscription]struct{}
	closed bool
}

type subscription struct{ fn func([]byte) }

// NewMemory returns an empty in-process bus.
func NewMemory() *Memory {
	return &Memory{subs: map[string]map[*subscription]struct{}{}}
}

// Publish calls every subscriber of channel in the caller's goroutine, which keeps
// publish order per channel; subscribers must not block (see Bus.Subscribe).
func (m *Memory) Publish(_ context.Context, channel string, payload []byte) error {
	m.mu.RLock()
	if m.closed {
		m.mu.RUnlock()
		return ErrClosed
	}
	set := m.subs[channel]
	if len(set) == 0 {
		m.mu.RUnlock()
		return nil
	}
	fns := make([]func([]byte), 0, len(set))
	for s := range set {
		fns = append(fns, s.fn)
	}
	m.mu.RUnlock()
	// Called outside the lock, so a subscriber may subscribe or unsubscribe from fn.
	for _, fn := range fns {
		fn(payload)
	}
	return nil
}

// Subscribe registers fn on channel until the returned function is called.
func (m *Memory) Subscribe(channel string, fn func(payload []byte)) (unsubscribe func()) {
	s := &subscription{fn: fn}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return func() {}
	}
	set := m.subs[channel]
	if set == nil {
		set = map[*subscription]struct{}{}
		m.subs[channel] = set
	}
	set[s] = struct{}{}
	var once sync.Once
	return func() { once.Do(func() { m.remove(channel, s) }) }
}

func (m *Memory) remove(channel string, s *subscription) {
	m.mu.Lock()
	defer m.mu.Unlock()
	set := m.subs[channel]
	delete(set, s)
	if len(set) == 0 {
		delete(m.subs, channel)
	}
}

// Subscribers reports how many subscriptions channel has (for tests and metrics).
func (m *Memory) Subscribers(channel string) int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.subs[channel])
}

// Close drops every subscription; later publishes fail with ErrClosed.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.subs = map[string]map[*subscription]struct{}{}
	return nil
}
