package store

import (
	"sync"
	"time"
)

// Reads that inbound federation makes for every delivery, about things that change
// seldom, are answered from memory for a short while. A change made through this Store
// clears the cache once its transaction commits (AfterCommit); a change made by another
// process is seen after at most readCacheTTL.
const (
	readCacheTTL  = 5 * time.Second
	readCacheSize = 10_000 // entries per cache; a full cache starts over
)

// caches are shared by every Q of one Store.
type caches struct {
	domainPolicy readCache[DomainPolicy]
	hostDown     readCache[bool]   // only hosts found up are kept
	signers      readCache[Signer] // by account uri
}

// readCache is a small map of answers with an age limit. Its generation makes a read
// that began before a change unable to store its (older) answer after the change.
type readCache[V any] struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]cacheEntry[V]
}

type cacheEntry[V any] struct {
	v  V
	at time.Time
}

// get returns the cached answer for key, if fresh, and the generation a put of a
// newly read answer must quote.
func (c *readCache[V]) get(key string, now time.Time) (v V, gen uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, found := c.m[key]
	if found && now.Sub(e.at) < readCacheTTL {
		return e.v, c.gen, true
	}
	return v, c.gen, false
}

// put keeps v for key unless the cache was cleared since gen was read.
func (c *readCache[V]) put(key string, v V, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= readCacheSize {
		c.m = map[string]cacheEntry[V]{}
	}
	c.m[key] = cacheEntry[V]{v: v, at: now}
}

func (c *readCache[V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

// cachedRead answers key from the cache pick chooses, or with read, keeping what read
// answers when keep (nil: always) says so. Reads inside a transaction, which must see
// its own writes, skip the cache.
func cachedRead[V any](q Q, pick func(*caches) *readCache[V], key string, read func() (V, error), keep func(V) bool) (V, error) {
	if q.caches == nil || q.after != nil {
		return read()
	}
	c, now := pick(q.caches), time.Now()
	v, gen, ok := c.get(key, now)
	if ok {
		return v, nil
	}
	v, err := read()
	if err == nil && (keep == nil || keep(v)) {
		c.put(key, v, gen, now)
	}
	return v, err
}

// clearAfterCommit clears c when q's transaction commits (at once outside one).
func clearAfterCommit[V any](q Q, c func(*caches) *readCache[V]) {
	if q.caches != nil {
		q.AfterCommit(c(q.caches).clear)
	}
}

func domainPolicies(c *caches) *readCache[DomainPolicy] { return &c.domainPolicy }
func hostsDown(c *caches) *readCache[bool]              { return &c.hostDown }
func signers(c *caches) *readCache[Signer]              { return &c.signers }
