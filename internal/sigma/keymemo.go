package sigma

import (
	"bytes"
	"encoding/binary"
)

// keyMemo remembers, per path-trie node and member position, the last key an event
// held there and what it looked up to. Events from one source repeat their keys in the
// same order, so the scanner can recognise a key by comparing the input with the
// remembered bytes (closing quote included) and skip finding its end, checking for
// escapes and hashing it into the trie: a mismatch just takes the full path. The
// lookup is a function of the node and the key's bytes alone, so the memo never
// changes a result. It belongs to one Matcher.
type keyMemo struct {
	nodes [][]memoKey // by trie node; nil until the node's first object
}

// maxMemoMembers bounds the member positions remembered per node.
const maxMemoMembers = 64

// memoKey is one remembered key: n bytes (the key and its closing quote) whose first
// and last eight are head and tail (head masked to n bytes when shorter), the whole of
// them in long, and the child.
type memoKey struct {
	head, tail uint64
	mask       uint64 // the bytes of head that belong to the key
	n          int32  // 0: empty
	child      int32
	long       []byte // for keys over sixteen bytes
}

func newKeyMemo(t *pathTrie) *keyMemo {
	return &keyMemo{nodes: make([][]memoKey, len(t.nodes))}
}

// node returns the entries for the members of an object at node n (nil when n < 0
// or there is no memo).
func (m *keyMemo) node(n int32) []memoKey {
	if m == nil || n < 0 {
		return nil
	}
	es := m.nodes[n]
	if es == nil {
		es = make([]memoKey, maxMemoMembers)
		m.nodes[n] = es
	}
	return es
}

// match reports whether d at i (just after a key's opening quote) holds e's key and
// closing quote. With sixteen bytes of input to spare, which is the common case as
// a value follows, it takes two loads.
func (e *memoKey) match(d []byte, i int) bool {
	n := int(e.n)
	if n == 0 {
		return false
	}
	if n <= 16 && i+16 <= len(d) {
		if h := binary.LittleEndian.Uint64(d[i:]) & e.mask; n <= 8 || h != e.head {
			return h == e.head
		}
		return binary.LittleEndian.Uint64(d[i+n-8:]) == e.tail
	}
	if i+n > len(d) {
		return false
	}
	b := d[i : i+n]
	if n > 16 {
		return bytes.Equal(b, e.long)
	}
	head, tail := keyWords(b)
	return head == e.head && tail == e.tail
}

// set remembers the key and closing quote b and its child. Escapes need no care: the
// same bytes from the same start end at the same quote and decode to the same key.
func (e *memoKey) set(b []byte, child int32) {
	e.n, e.child = int32(len(b)), child
	e.head, e.tail = keyWords(b)
	e.mask = ^uint64(0)
	if len(b) < 8 {
		e.mask = 1<<(8*len(b)) - 1
	}
	if len(b) > 16 {
		e.long = append(e.long[:0], b...)
	}
}
