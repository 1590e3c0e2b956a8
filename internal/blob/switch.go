package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"time"
)

// Backend names.
const (
	BackendLocal = "local"
	BackendS3    = "s3"
)

// State is which backend is active, and during a move the one reads fall back to.
type State struct {
	Backend  string
	Fallback string
}

// Switch is the Store the instance uses: it writes to the active backend and reads from
// it, falling back to the previous one while a move copies objects across, so no URL
// breaks at any moment of a move. Which backend is active is persisted (the database's
// media_storage row), and the switch re-reads it every Interval, so an admin's move from
// another process reaches a running server.
type Switch struct {
	Backends map[string]Store
	// Load reads the persisted state; ok is false when none was ever recorded.
	Load     func(ctx context.Context) (s State, ok bool, err error)
	Default  State         // the state before any was recorded: the configuration's backend
	Interval time.Duration // how stale the state may get; 0 means 2 seconds
	Log      *slog.Logger

	mu      sync.Mutex
	state   State
	checked time.Time
}

// Refresh reads the persisted state now.
func (s *Switch) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshLocked(ctx)
}

func (s *Switch) refreshLocked(ctx context.Context) error {
	s.checked = time.Now() // a failure is retried after Interval, not on every read
	st, ok, err := s.Load(ctx)
	if err != nil {
		return err
	}
	if !ok {
		st = s.Default
	}
	if s.Backends[st.Backend] == nil {
		return fmt.Errorf("blob: the active media backend is %q, which is not configured", st.Backend)
	}
	s.state = st
	return nil
}

// State is the state in force, read again when older than Interval. The read is
// synchronous: a server idle during a whole move must not serve its first request from
// the backend it used before.
func (s *Switch) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	interval := s.Interval
	if interval == 0 {
		interval = 2 * time.Second
	}
	if s.checked.IsZero() {
		s.state = s.Default
	}
	if time.Since(s.checked) > interval {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := s.refreshLocked(ctx)
		cancel()
		if err != nil && s.Log != nil {
			s.Log.Warn("media storage: read the active backend; keeping the last one", "err", err)
		}
	}
	return s.state
}

func (s *Switch) stores() (active, fallback Store) {
	st := s.State()
	active = s.Backends[st.Backend]
	if st.Fallback != "" && st.Fallback != st.Backend {
		fallback = s.Backends[st.Fallback]
	}
	return active, fallback
}

// Put writes to the active backend.
func (s *Switch) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	active, _ := s.stores()
	return active.Put(ctx, key, r, size, contentType)
}

// Open reads from the active backend or, during a move, from the fallback when the
// active one lacks key or cannot be reached.
func (s *Switch) Open(ctx context.Context, key string) (Object, error) {
	active, fallback := s.stores()
	o, err := active.Open(ctx, key)
	if err != nil && fallback != nil {
		if o, ferr := fallback.Open(ctx, key); ferr == nil {
			return o, nil
		}
	}
	return o, err
}

// Stat describes key from the active backend, or during a move the fallback.
func (s *Switch) Stat(ctx context.Context, key string) (Info, error) {
	active, fallback := s.stores()
	i, err := active.Stat(ctx, key)
	if err != nil && fallback != nil {
		if i, ferr := fallback.Stat(ctx, key); ferr == nil {
			return i, nil
		}
	}
	return i, err
}

// Delete removes key from both backends, so a move in progress cannot bring it back.
func (s *Switch) Delete(ctx context.Context, key string) error {
	active, fallback := s.stores()
	err := active.Delete(ctx, key)
	if fallback != nil {
		err = errors.Join(err, fallback.Delete(ctx, key))
	}
	return err
}

// List lists the union of both backends during a move, in key order, each key once.
func (s *Switch) List(ctx context.Context, prefix string, fn func(Info) error) error {
	active, fallback := s.stores()
	if fallback == nil {
		return active.List(ctx, prefix, fn)
	}
	seen := map[string]Info{}
	collect := func(i Info) error {
		if _, ok := seen[i.Key]; !ok {
			seen[i.Key] = i
		}
		return nil
	}
	if err := active.List(ctx, prefix, collect); err != nil {
		return err
	}
	if err := fallback.List(ctx, prefix, collect); err != nil {
		return err
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := fn(seen[k]); err != nil {
			return err
		}
	}
	return nil
}
