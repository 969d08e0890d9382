package contact

import (
	"context"
	"sync"
	"time"
)

var _ LineTypeLookup = (*CachedLookup)(nil)

// CachedLookup remembers a LineTypeLookup's answers for a while, since carrier lookups are
// paid per request and the same numbers recur (H-02). Errors are not cached. It is safe
// for concurrent use.
type CachedLookup struct {
	next LineTypeLookup
	ttl  time.Duration
	max  int
	now  func() time.Time

	mu      sync.Mutex // guards entries
	entries map[string]cached
}

type cached struct {
	info LineInfo
	at   time.Time
}

// NewCachedLookup wraps next with a cache of at most max numbers kept for ttl; max ≤ 0
// means 100,000, ttl ≤ 0 means 30 days, nil now means time.Now.
func NewCachedLookup(next LineTypeLookup, ttl time.Duration, max int, now func() time.Time) *CachedLookup {
	if ttl <= 0 {
		ttl = 30 * 24 * time.Hour
	}
	if max <= 0 {
		max = 100_000
	}
	if now == nil {
		now = time.Now
	}
	return &CachedLookup{next: next, ttl: ttl, max: max, now: now, entries: make(map[string]cached)}
}

// LookupLineType returns the cached answer for e164, or asks the wrapped lookup.
func (c *CachedLookup) LookupLineType(ctx context.Context, e164 string) (LineInfo, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[e164]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.info, nil
	}
	info, err := c.next.LookupLineType(ctx, e164)
	if err != nil {
		return LineInfo{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[e164] = cached{info: info, at: now}
	return info, nil
}

// evict drops expired entries, or every entry when none has expired.
func (c *CachedLookup) evict(now time.Time) {
	for k, e := range c.entries {
		if now.Sub(e.at) >= c.ttl {
			delete(c.entries, k)
		}
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
}
