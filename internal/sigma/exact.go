package sigma

import (
	"encoding/binary"
	"math/bits"
)

// exactSet finds a field's whole-value literals (eq values) with one hash of the value,
// where a trie walk would step through every byte of a long value such as a full image
// path. Hashing and comparing fold ASCII case eight bytes at a time, so an ASCII value
// is looked up as it is; others are lowercased before, as for the automata.
type exactSet struct {
	mask    uint32
	entries []exactEntry
}

type exactEntry struct {
	lit  []byte // lowercase
	hash uint32
	pat  int32 // local pattern; -1 for an empty entry
}

// buildExact indexes the lowercase literals pats; pattern i reports ids[i].
func buildExact(pats [][]byte, ids []int32) *exactSet {
	size := 8
	for size < 2*len(pats) {
		size *= 2
	}
	x := &exactSet{mask: uint32(size - 1), entries: make([]exactEntry, size)}
	for i := range x.entries {
		x.entries[i].pat = -1
	}
	for i, p := range pats {
		h := foldHash(p)
		j := h & x.mask
		for x.entries[j].pat >= 0 {
			j = (j + 1) & x.mask
		}
		x.entries[j] = exactEntry{lit: p, hash: h, pat: ids[i]}
	}
	return x
}

// find returns the pattern whose literal equals s up to ASCII case, or -1.
func (x *exactSet) find(s []byte) int32 {
	h := foldHash(s)
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		e := &x.entries[j]
		if e.pat < 0 {
			return -1
		}
		if e.hash == h && equalFold(s, e.lit) {
			return e.pat
		}
	}
}

// foldASCII lowercases the ASCII capitals among the eight bytes of w and leaves every
// other byte as it is: with the high bits cleared, adding 0x3f sets a byte's high bit
// from 'A' up and adding 0x25 from 'Z'+1 up, with no carry between bytes.
func foldASCII(w uint64) uint64 {
	t := w &^ swarHi
	upper := (t + swarLo*0x3f) &^ (t + swarLo*0x25) &^ w & swarHi
	return w | upper>>2
}

// loadTail reads the last len(b) < 8 bytes of a value into the low bytes of a word.
func loadTail(b []byte) uint64 {
	var w uint64
	for i := len(b) - 1; i >= 0; i-- {
		w = w<<8 | uint64(b[i])
	}
	return w
}

// foldHash hashes b with ASCII case folded.
func foldHash(b []byte) uint32 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = bits.RotateLeft64((h^foldASCII(binary.LittleEndian.Uint64(b)))*0xff51afd7ed558ccd, 29)
		b = b[8:]
	}
	if len(b) > 0 {
		h = (h ^ foldASCII(loadTail(b))) * 0xc4ceb9fe1a85ec53
	}
	return uint32(h ^ h>>32)
}

// equalFold reports whether s equals the lowercase lit once ASCII case is folded.
func equalFold(s, lit []byte) bool {
	if len(s) != len(lit) {
		return false
	}
	for len(s) >= 8 {
		if foldASCII(binary.LittleEndian.Uint64(s)) != binary.LittleEndian.Uint64(lit) {
			return false
		}
		s, lit = s[8:], lit[8:]
	}
	return len(s) == 0 || foldASCII(loadTail(s)) == loadTail(lit)
}
