package store

import (
	"testing"
	"time"
)

func TestReadCacheAgesAndRefusesStaleReads(t *testing.T) {
	var c readCache[int]
	now := time.Now()
	_, gen, ok := c.get("k", now)
	if ok {
		t.Fatal("empty cache answered")
	}
	c.put("k", 1, gen, now)
	if v, _, ok := c.get("k", now.Add(readCacheTTL-time.Millisecond)); !ok || v != 1 {
		t.Errorf("fresh entry: %d, %v; want 1, true", v, ok)
	}
	if _, _, ok := c.get("k", now.Add(readCacheTTL)); ok {
		t.Error("an entry as old as the TTL still answered")
	}
	_, gen, _ = c.get("k", now) // a read begins…
	c.clear()                   // …a change commits…
	c.put("k", 2, gen, now)     // …and the older answer arrives
	if v, _, ok := c.get("k", now); ok {
		t.Errorf("an answer read before a change was kept: %d", v)
	}
}
