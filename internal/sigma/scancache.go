package sigma

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// scanCache remembers which patterns the automata of a plan field found in recently
// seen values, so that a value met again is answered by replaying those patterns
// instead of stepping through its bytes again: what the automata find is a function
// of the value's bytes alone, so a replay marks exactly what a scan would. Image paths,
// parents, companies, descriptions and many command lines repeat from event to event;
// values that rarely do (hashes, GUIDs) cost a hash.
//
// Each field with a contains automaton gets cacheWays entries, allocated once on its
// first value and searched four at a time (a value may sit in any entry of the set its
// hash picks, so that two frequent values rarely evict each other), the least recently
// used one replaced; a value longer than cacheKeyMax, or with more than cacheMarksMax
// patterns, is not kept. A value is admitted only on its second sighting (its hash is
// in the table's doorkeeper, a direct-mapped array of the hashes of recent misses), so
// that values met once, such as command lines with a process id, do not evict the
// entries of values that recur. A table takes about 15 KB, so a Matcher's cache is
// that times the fields its events hold (a few hundred KB). The cache belongs to one
// Matcher.
type scanCache struct {
	tables []*cacheTable // by slotPre id; nil until the field's first value

	// The entry being filled while a value is scanned (table nil when none).
	table   *cacheTable
	way     int
	nmarks  int
	full    bool     // more patterns than an entry holds
	stamp   []uint32 // stamp[p] == stampAt when plan pattern p is already in the entry
	stampAt uint32
}

const (
	cacheWays     = 32
	cacheSetWays  = 4
	cacheKeyMax   = 256
	cacheMarksMax = 32
	cacheDoor     = 256
)

// cacheTable holds one field's entries; way w keeps its value in
// keys[w*cacheKeyMax:][:klen[w]] and its patterns in marks[w*cacheMarksMax:][:nmark[w]].
type cacheTable struct {
	hash  [cacheWays]uint64
	used  [cacheWays]uint32 // clock of the last lookup that found the entry
	klen  [cacheWays]uint16 // 0: empty
	nmark [cacheWays]uint8
	keys  [cacheWays * cacheKeyMax]byte
	marks [cacheWays * cacheMarksMax]int32
	door  [cacheDoor]uint64 // hashes of recently missed values, by hash

	clock uint32
	// lookups and hits since the last sample; rest: values to pass by uncached.
	lookups, hits, rest uint32
}

// Fields whose values rarely repeat (random hashes, GUIDs) are not cached for a while:
// every cacheSample lookups, a table that found fewer than cacheSample/cacheMinHits
// values passes the next cacheRest by, then tries again.
const (
	cacheSample  = 1024
	cacheMinHits = 16
	cacheRest    = 16384
)

// get looks value v of plan field sp up. It returns the field's table (nil when v is
// not to be cached: the field has no contains automaton, which steps through every
// byte and is what the cache saves, v is too long, the field is resting, or v is met
// for the first time), the hash of v, the patterns recorded for it and whether it was
// found.
func (c *scanCache) get(sp *slotPre, v []byte) (*cacheTable, uint64, []int32, bool) {
	if c.tables == nil || (sp.ac == nil && sp.acx == nil) || len(v) == 0 || len(v) > cacheKeyMax {
		return nil, 0, nil, false
	}
	t := c.tables[sp.id]
	if t == nil {
		t = &cacheTable{}
		c.tables[sp.id] = t
	}
	if t.rest > 0 {
		t.rest--
		return nil, 0, nil, false
	}
	h := valueHash(v)
	t.clock++
	if t.lookups++; t.lookups == cacheSample {
		if t.hits < cacheSample/cacheMinHits {
			t.rest = cacheRest
		}
		t.lookups, t.hits = 0, 0
	}
	set := int(h%(cacheWays/cacheSetWays)) * cacheSetWays
	for w := set; w < set+cacheSetWays; w++ {
		if t.hash[w] == h && int(t.klen[w]) == len(v) && bytes.Equal(t.keys[w*cacheKeyMax:][:len(v)], v) {
			t.used[w] = t.clock
			t.hits++
			return t, h, t.marks[w*cacheMarksMax:][:t.nmark[w]], true
		}
	}
	if d := &t.door[h>>32%cacheDoor]; *d != h {
		*d = h
		return nil, 0, nil, false
	}
	return t, h, nil, false
}

// begin starts recording the patterns that scanning value v (with hash h) marks,
// into an entry of table t.
func (c *scanCache) begin(t *cacheTable, v []byte, h uint64) {
	set := int(h%(cacheWays/cacheSetWays)) * cacheSetWays
	w := set
	for x := set; x < set+cacheSetWays; x++ {
		if t.klen[x] == 0 {
			w = x
			break
		}
		if t.used[x] < t.used[w] {
			w = x
		}
	}
	t.used[w] = t.clock
	t.klen[w] = 0 // invalid until end
	c.table, c.way, c.nmarks, c.full = t, w, 0, false
	if c.stampAt++; c.stampAt == 0 {
		clear(c.stamp)
		c.stampAt = 1
	}
	t.hash[w] = h
	copy(t.keys[w*cacheKeyMax:], v)
}

// record adds plan pattern p (local pattern local) to the entry being filled.
func (c *scanCache) record(p int, local int32) {
	if c.stamp[p] == c.stampAt {
		return
	}
	c.stamp[p] = c.stampAt
	if c.nmarks == cacheMarksMax {
		c.full = true
		return
	}
	c.table.marks[c.way*cacheMarksMax+c.nmarks] = local
	c.nmarks++
}

// end commits the entry being filled for value v.
func (c *scanCache) end(v []byte) {
	if !c.full {
		c.table.klen[c.way] = uint16(len(v))
		c.table.nmark[c.way] = uint8(c.nmarks)
	}
	c.table = nil
}

// valueHash hashes a value eight bytes at a time.
func valueHash(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^binary.LittleEndian.Uint64(b))*0xff51afd7ed558ccd, 31)
		b = b[8:]
	}
	if len(b) > 0 {
		h = (h ^ loadTail(b)) * 0xc4ceb9fe1a85ec53
	}
	return h ^ h>>29
}
