package sigma

import (
	"bytes"
	"encoding/binary"
	"slices"
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

// trieEntry is one slot of a node's hash table: the key's length and first bytes for a
// cheap reject before the full comparison.
type trieEntry struct {
	head uint64
	n    int32
	idx  int32 // index into keys, -1 when empty
}

// keyHead packs up to the first eight bytes of k.
func keyHead(k []byte) uint64 {
	if len(k) >= 8 {
		return binary.LittleEndian.Uint64(k)
	}
	var h uint64
	for i := range k {
		h |= uint64(k[i]) << (8 * i)
	}
	return h
}

// keyHash hashes a key's length, first and last eight bytes, for the per-node tables;
// keys that collide are told apart by the full comparison.
func keyHash(k []byte) uint32 {
	h := keyHead(k) ^ uint64(len(k))<<56
	if len(k) > 8 {
		h ^= binary.LittleEndian.Uint64(k[len(k)-8:]) * 0xff51afd7ed558ccd
	}
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
			h := keyHash([]byte(k)) & uint32(size-1)
			for nd.table[h].idx >= 0 {
				h = (h + 1) & uint32(size-1)
			}
			nd.table[h] = trieEntry{head: keyHead([]byte(k)), n: int32(len(k)), idx: int32(i)}
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
	if c := t.exact(n, key); c >= 0 {
		return c
	}
	nd := &t.nodes[n]
	if t.stripSpaces && hasByte(key, ' ') {
		var buf [128]byte
		b := buf[:0]
		for _, c := range key {
			if c != ' ' {
				b = append(b, c)
			}
		}
		if c := t.exact(n, b); c >= 0 {
			return c
		}
	}
	if !nd.deep || !hasByte(key, '.') {
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

// exact returns the child of n named key, or the * child, or -1.
func (t *pathTrie) exact(n int32, key []byte) int32 {
	nd := &t.nodes[n]
	if nd.table != nil {
		mask := uint32(len(nd.table) - 1)
		head, n := keyHead(key), int32(len(key))
		for h := keyHash(key) & mask; nd.table[h].idx >= 0; h = (h + 1) & mask {
			if e := &nd.table[h]; e.head == head && e.n == n && (n <= 8 || nd.keys[e.idx] == bytesString(key)) {
				return nd.kids[e.idx]
			}
		}
		return nd.wild
	}
	for i, k := range nd.keys {
		if len(k) == len(key) && k == bytesString(key) {
			return nd.kids[i]
		}
	}
	return nd.wild
}

// hasByte reports whether c occurs in the short key k.
func hasByte(k []byte, c byte) bool {
	return slices.Contains(k, c)
}
