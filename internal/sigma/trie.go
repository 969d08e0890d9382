package sigma

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// trieNode is one key of the path trie the scanner follows. Keys are the dotted path
// segments of the fields the rules need.
type trieNode struct {
	keys  []string
	kids  []int32
	slot  int32 // -1 when no field ends here
	prio  uint8
	wild  int32       // child for the * segment, or -1
	table []trieEntry // open-addressing index into keys by keyHash, when there are many
	deep  bool        // some child has children, so dotted keys can match below
}

// trieEntry is one slot of a node's hash table: the key's length and its first and
// last eight bytes, which for keys up to sixteen bytes decide equality without a
// comparison of the whole key.
type trieEntry struct {
	head, tail uint64
	n          int32
	idx        int32 // index into keys, -1 when empty
}

// keyHead packs up to the first eight bytes of k. Short keys are read with two
// overlapping loads rather than byte by byte: the bytes both loads hold are the same,
// so or-ing them is exact.
func keyHead(k []byte) uint64 {
	switch n := len(k); {
	case n >= 8:
		return binary.LittleEndian.Uint64(k)
	case n >= 4:
		return uint64(binary.LittleEndian.Uint32(k)) | uint64(binary.LittleEndian.Uint32(k[n-4:]))<<(8*(n-4))
	case n > 0:
		return uint64(k[0]) | uint64(k[n/2])<<(8*(n/2)) | uint64(k[n-1])<<(8*(n-1))
	}
	return 0
}

// keyWords returns the first and the last eight bytes of k (the same word when k is
// shorter).
func keyWords(k []byte) (head, tail uint64) {
	if n := len(k); n > 8 {
		return binary.LittleEndian.Uint64(k), binary.LittleEndian.Uint64(k[n-8:])
	}
	h := keyHead(k)
	return h, h
}

// keyHash hashes a key's length and first and last eight bytes for the per-node
// tables; keys that collide are told apart by the comparison.
func keyHash(head, tail uint64, n int) uint32 {
	h := head ^ uint64(n)<<56 ^ tail*0xff51afd7ed558ccd
	return uint32((h * 0x9e3779b97f4a7c15) >> 32)
}

// index builds the per-node hash tables once all paths are added.
func (t *pathTrie) index() {
	for n := range t.nodes {
		nd := &t.nodes[n]
		nd.wild = -1
		for i, k := range nd.keys {
			if k == "*" {
				nd.wild = nd.kids[i]
			}
		}
		nd.deep = false
		for _, c := range nd.kids {
			if len(t.nodes[c].keys) > 0 {
				nd.deep = true
			}
		}
		if len(nd.keys) < 6 {
			nd.table = nil
			continue
		}
		size := 16
		for size < 4*len(nd.keys) {
			size *= 2
		}
		nd.table = make([]trieEntry, size)
		for i := range nd.table {
			nd.table[i].idx = -1
		}
		for i, k := range nd.keys {
			head, tail := keyWords([]byte(k))
			h := keyHash(head, tail, len(k)) & uint32(size-1)
			for nd.table[h].idx >= 0 {
				h = (h + 1) & uint32(size-1)
			}
			nd.table[h] = trieEntry{head: head, tail: tail, n: int32(len(k)), idx: int32(i)}
		}
	}
}

// pathTrie holds the wanted JSON paths; node 0 is the root. A path segment "*" matches
// any one key.
type pathTrie struct {
	nodes []trieNode
	// stripSpaces makes a key with spaces also match its form without them, as the
	// specification asks for Windows event data names ("Process Name" is ProcessName).
	stripSpaces bool
}

func newPathTrie() *pathTrie {
	return &pathTrie{nodes: []trieNode{{slot: -1, wild: -1}}}
}

// add registers a dotted path for slot with priority prio (lower wins).
func (t *pathTrie) add(path string, slot int, prio uint8) {
	n := int32(0)
	for seg := range strings.SplitSeq(path, ".") {
		n = t.child(n, seg, true)
	}
	nd := &t.nodes[n]
	if nd.slot < 0 || prio < nd.prio {
		nd.slot, nd.prio = int32(slot), prio
	}
}

// child returns the child of n named key, creating it when create is set; -1 if absent.
func (t *pathTrie) child(n int32, key string, create bool) int32 {
	nd := &t.nodes[n]
	for i, k := range nd.keys {
		if k == key {
			return nd.kids[i]
		}
	}
	if !create {
		return -1
	}
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, trieNode{slot: -1, wild: -1})
	nd = &t.nodes[n]
	nd.keys = append(nd.keys, key)
	nd.kids = append(nd.kids, id)
	return id
}

// lookup returns the child of n for a JSON key, which may itself be a dotted path.
func (t *pathTrie) lookup(n int32, key []byte) int32 {
	head, tail := keyWords(key)
	if c := t.exactWords(n, key, head, tail); c >= 0 {
		return c
	}
	if t.stripSpaces && keyHas(key, head, tail, ' ') {
		if c := t.stripped(n, key); c >= 0 {
			return c
		}
	}
	if !t.nodes[n].deep || !keyHas(key, head, tail, '.') {
		return -1
	}
	for len(key) > 0 && n >= 0 {
		seg := key
		rest := []byte(nil)
		if j := bytes.IndexByte(key, '.'); j >= 0 {
			seg, rest = key[:j], key[j+1:]
		}
		n = t.exact(n, seg)
		key = rest
	}
	return n
}

// stripped looks key up with its spaces removed.
func (t *pathTrie) stripped(n int32, key []byte) int32 {
	var buf [128]byte
	b := buf[:0]
	for _, c := range key {
		if c != ' ' {
			b = append(b, c)
		}
	}
	return t.exact(n, b)
}

// keyHas reports whether key, whose first and last eight bytes are head and tail,
// holds the byte c (not zero); keys up to sixteen bytes are settled by the two words
// with the zero-byte test, which as a yes/no answer is exact.
func keyHas(key []byte, head, tail uint64, c byte) bool {
	if len(key) > 16 {
		return bytes.IndexByte(key, c) >= 0
	}
	x, y := head^(swarLo*uint64(c)), tail^(swarLo*uint64(c))
	return ((x-swarLo)&^x|(y-swarLo)&^y)&swarHi != 0
}

// exact returns the child of n named key, or the * child, or -1.
func (t *pathTrie) exact(n int32, key []byte) int32 {
	head, tail := keyWords(key)
	return t.exactWords(n, key, head, tail)
}

// exactWords is exact with the key's first and last eight bytes already read.
func (t *pathTrie) exactWords(n int32, key []byte, head, tail uint64) int32 {
	nd := &t.nodes[n]
	if nd.table == nil {
		for i, k := range nd.keys {
			if len(k) == len(key) && k == bytesString(key) {
				return nd.kids[i]
			}
		}
		return nd.wild
	}
	kn := int32(len(key))
	mask := uint32(len(nd.table) - 1)
	for h := keyHash(head, tail, len(key)) & mask; ; h = (h + 1) & mask {
		e := &nd.table[h]
		if e.idx < 0 {
			return nd.wild
		}
		if e.head == head && e.tail == tail && e.n == kn && (kn <= 16 || nd.keys[e.idx] == bytesString(key)) {
			return nd.kids[e.idx]
		}
	}
}
