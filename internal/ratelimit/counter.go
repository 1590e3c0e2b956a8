package ratelimit

import (
	"sync"
	"time"
)

// counter counts hits per key in fixed windows aligned to multiples of the period, so
// every client's window of a rule ends at the same instants (what X-RateLimit-Reset says).
type counter struct {
	mu        sync.Mutex
	now       func() time.Time
	windows   map[string]*window
	nextSweep time.Time
}

type window struct {
	end time.Time
	n   int
}

func newCounter(now func() time.Time) *counter {
	return &counter{now: now, windows: map[string]*window{}}
}

// add counts one hit for key and returns the count in the current window and its end.
func (c *counter) add(key string, period time.Duration) (int, time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.sweep(now)
	end := now.Truncate(period).Add(period)
	w := c.windows[key]
	if w == nil || !w.end.Equal(end) {
		w = &window{end: end}
		c.windows[key] = w
	}
	w.n++
	return w.n, end
}

// sweep drops ended windows once a minute, so memory follows the active clients.
func (c *counter) sweep(now time.Time) {
	if now.Before(c.nextSweep) {
		return
	}
	c.nextSweep = now.Add(time.Minute)
	for k, w := range c.windows {
		if !now.Before(w.end) {
			delete(c.windows, k)
		}
	}
}
