package sigma

// record holds the needed fields of the event being matched. Its slices are reused from
// event to event, so matching allocates nothing once they have grown.
type record struct {
	vals          []fieldVal
	present       []int32    // the slots of vals set in this event, in first-set order
	leaves        []fieldVal // every scalar value, only when keyword searches need them
	extra         []fieldVal // further elements of array values (fieldVal.next)
	leavesLowered bool
	arena         []byte // unescaped and lowercased value bytes
	// keys, when set, remembers the event's keys for the scanner (keyMemo).
	keys *keyMemo
	// seen holds the prefilter literals that occurred in this event.
	seen bitset
}

// bitset is a set of small integers. The matcher clears its sets for every event: a
// few kilobytes that stay in the first-level cache, where stamping entries with an
// event number would take 32 times the room and miss the cache on most lookups.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(i&63)) != 0 }

func (b bitset) add(i int32) { b[i>>6] |= 1 << (i & 63) }

// reset clears r for an event with n needed fields.
func (r *record) reset(n int) {
	if len(r.vals) != n {
		if cap(r.vals) < n {
			r.vals = make([]fieldVal, n)
		}
		r.vals = r.vals[:n]
		clear(r.vals)
	} else {
		for _, s := range r.present { // an event sets few of the fields
			r.vals[s] = fieldVal{}
		}
	}
	r.present = r.present[:0]
	r.leaves = r.leaves[:0]
	r.extra = r.extra[:0]
	r.leavesLowered = false
	r.arena = r.arena[:0]
}

// lower sets v.low, aliasing v.raw when it has nothing to lowercase.
func (r *record) lower(v *fieldVal) {
	v.lowered = true
	if !needsLower(v.raw) {
		v.low = v.raw
		return
	}
	start := len(r.arena)
	r.arena = appendLower(r.arena, v.raw)
	v.low = r.arena[start:len(r.arena):len(r.arena)]
}

// low returns the lowercase value of v, computing it on first use.
func (r *record) low(v *fieldVal) []byte {
	if !v.lowered {
		r.lower(v)
	}
	return v.low
}

// lowerLeaves lowercases every leaf value once, on first use by a keyword search.
func (r *record) lowerLeaves() {
	if r.leavesLowered {
		return
	}
	r.leavesLowered = true
	for i := range r.leaves {
		r.lower(&r.leaves[i])
	}
}

// set stores a value into slot if no higher-priority path filled it already.
// An element of a JSON array after the first is chained to the slot's value through
// record.extra (array is set), so that a rule matches when any element does.
func (r *record) set(slot int, prio uint8, raw []byte, state uint8, array bool) {
	v := &r.vals[slot]
	if v.state != stAbsent && v.prio < prio {
		return
	}
	if v.state != stAbsent && v.prio == prio {
		if !array {
			return
		}
		r.extra = append(r.extra, fieldVal{raw: raw, state: state, prio: prio})
		for v.next != 0 { // v is re-derived after the append, which may move extra
			v = &r.extra[v.next-1]
		}
		v.next = int32(len(r.extra))
		return
	}
	if v.state == stAbsent {
		r.present = append(r.present, int32(slot))
	}
	v.fill(raw, state, prio)
}

// fill makes v the value raw, as fieldVal{raw: raw, state: state, prio: prio} would.
// It stores field by field: the compiler builds a composite literal on the stack and
// copies it with wide loads, which stall on the narrow stores just made.
func (v *fieldVal) fill(raw []byte, state, prio uint8) {
	v.raw = raw
	v.low = nil
	v.lowered = false
	v.state = state
	v.prio = prio
	v.scanned = false
	v.next = 0
}

// nextElem returns the next array element after v, or nil.
func (r *record) nextElem(v *fieldVal) *fieldVal {
	if v.next == 0 {
		return nil
	}
	return &r.extra[v.next-1]
}

// anySeen reports whether any of the prefilter literals ids occurred in this event.
// (slices.ContainsFunc with the method value would call it indirectly per literal.)
func (r *record) anySeen(ids []int32) bool {
	seen := r.seen
	for i := range ids {
		if id := ids[i]; seen[id>>6]&(1<<(id&63)) != 0 {
			return true
		}
	}
	return false
}

// gatesPass reports whether every gate has a literal that occurred in this event.
func (r *record) gatesPass(gates [][]int32) bool {
	for _, g := range gates {
		if !r.anySeen(g) {
			return false
		}
	}
	return true
}
