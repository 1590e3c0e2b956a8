// Package id makes Mastodon-style identifiers: 64-bit, sortable by creation time,
// rendered to clients as decimal strings.
package id

import (
	"strconv"
	"sync"
	"time"
)

// Generator hands out unique ids: the millisecond timestamp shifted left 16 bits, plus
// a sequence in the low bits. Ids from one generator are strictly increasing.
type Generator struct {
	mu   sync.Mutex
	last int64
}

// New returns the next id.
func (g *Generator) New() int64 {
	return g.At(time.Now())
}

// At returns an id for the given time, still strictly greater than any id issued before,
// so backdated objects (remote statuses, seeded data) keep unique ids.
func (g *Generator) At(t time.Time) int64 {
	candidate := t.UnixMilli() << 16
	g.mu.Lock()
	defer g.mu.Unlock()
	if candidate <= g.last {
		// Same millisecond (or a clock step backwards): take the next sequence number.
		if candidate>>16 == g.last>>16 || candidate < g.last {
			candidate = g.last + 1
		}
	}
	g.last = candidate
	return candidate
}

// Lower returns the smallest id that could have been issued at t: useful for
// turning a time into a max_id / min_id bound.
func Lower(t time.Time) int64 { return t.UnixMilli() << 16 }

// Time returns the creation time encoded in an id.
func Time(id int64) time.Time { return time.UnixMilli(id >> 16).UTC() }

// Format renders an id as Mastodon does in JSON.
func Format(id int64) string { return strconv.FormatInt(id, 10) }

// Parse reads an id from a path or query parameter.
func Parse(s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil && v > 0
}
