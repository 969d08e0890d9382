package resolve

// genCache is a bounded map that keeps what is used: entries go into the current
// generation; when it holds half the bound, it becomes the previous one and the one before
// is dropped, and an entry found in the previous generation moves back into the current
// one. Entries unused for a whole generation are forgotten, which approximates LRU
// eviction without a list to maintain. It is not safe for concurrent use.
type genCache[K comparable, V any] struct {
	half      int // entries per generation
	cur, prev map[K]V
}

func newGenCache[K comparable, V any](bound int) *genCache[K, V] {
	half := max(bound/2, 1)
	return &genCache[K, V]{half: half, cur: make(map[K]V), prev: make(map[K]V)}
}

// get returns the value of k and whether it is cached.
func (c *genCache[K, V]) get(k K) (V, bool) {
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.prev[k]
	if ok {
		delete(c.prev, k)
		c.put(k, v)
	}
	return v, ok
}

// peek returns the value of k without moving it.
func (c *genCache[K, V]) peek(k K) (V, bool) {
	if v, ok := c.cur[k]; ok {
		return v, true
	}
	v, ok := c.prev[k]
	return v, ok
}

// put sets the value of k.
func (c *genCache[K, V]) put(k K, v V) {
	if _, ok := c.cur[k]; !ok && len(c.cur) >= c.half {
		c.prev, c.cur = c.cur, make(map[K]V, c.half)
	}
	delete(c.prev, k)
	c.cur[k] = v
}

// remove forgets k.
func (c *genCache[K, V]) remove(k K) {
	delete(c.cur, k)
	delete(c.prev, k)
}

// len returns the number of cached entries.
func (c *genCache[K, V]) len() int { return len(c.cur) + len(c.prev) }
