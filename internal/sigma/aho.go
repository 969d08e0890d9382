package sigma

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// ahoCorasick is a multi-pattern matcher over byte classes. States are numbered
// breadth first; the first ones (all of them, up to denseBudget) have full DFA rows,
// and any deeper ones keep only their trie children and a failure link, so that a
// very large pattern set cannot grow the table without bound.
type ahoCorasick struct {
	class  [256]uint8
	nclass int
	nDense int32   // states below nDense have rows in dense
	limit  int32   // nDense*nclass: row offsets below it are dense
	div    rowDiv  // row offset -> state
	dense  []int32 // dense[s*nclass+k]: next state's row offset (id*nclass), ^offset when it reports
	kidAt  []int32 // deep state s: its children are kidK/kidS[kidAt[s-nDense]:kidAt[s-nDense+1]]
	kidK   []uint8
	kidS   []int32
	fail   []int32
	outAt  []int32 // state s reports outs[outAt[s]:outAt[s+1]]: its patterns and its suffixes'
	outs   []int32
	report []bool  // the state reports something
	depth  []int32 // the length of the pattern prefix a state stands for
	// start marks the bytes some pattern starts with. When few bytes do (skip), the
	// scan jumps over the others while in the root state instead of stepping on each.
	start [256]bool
	skip  bool
	// When the first bytes are at most four once ASCII case is folded, startWord holds
	// each of them in every byte of a word (repeats fill the rest), so that the skip
	// tests eight bytes at a time.
	startWord [4]uint64
	wordSkip  bool
}

// maxSkipStarts is the most distinct first bytes (either case) for which skipping in
// the root state pays: beyond it, most bytes of a value start a pattern anyway.
const maxSkipStarts = 8

// rowDiv divides exact multiples of a row width by it: a shift by the width's power of
// two and a multiplication by the inverse of its odd part modulo 2^32, much cheaper
// than a division on the path that reports a state.
type rowDiv struct {
	shift uint8
	inv   uint32
}

func newRowDiv(n int) rowDiv {
	t := 0
	for n&1 == 0 {
		n >>= 1
		t++
	}
	odd := uint32(n)
	inv := odd // correct to 3 bits; each Newton step doubles them
	for range 5 {
		inv *= 2 - odd*inv
	}
	return rowDiv{shift: uint8(t), inv: inv}
}

// state returns off divided by the row width; off must be a multiple of it.
func (d rowDiv) state(off int32) int32 {
	return int32((uint32(off) >> d.shift) * d.inv)
}

// denseBudget bounds the dense rows' bytes per automaton (64 MiB). Full rows are
// fastest (the SigmaHQ process_creation command-line set needs about 33 MiB); only a
// larger pattern set falls back to sparse rows for its deepest states.
var denseBudget = 1 << 26

// byteClasses numbers the bytes that occur in pats from 1; all others are class 0.
// Patterns are lowercase, so each uppercase ASCII letter gets its lowercase letter's
// class: the automata then fold ASCII case themselves.
func byteClasses(pats [][]byte) ([256]uint8, int) {
	var class [256]uint8
	n := 0
	for _, p := range pats {
		for _, c := range p {
			if class[c] == 0 {
				n++
				class[c] = uint8(n)
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		class[c] = class[c+'a'-'A']
	}
	return class, n + 1
}

// buildAho compiles the patterns; pattern i is reported as ids[i].
func buildAho(pats [][]byte, ids []int32) *ahoCorasick {
	a := &ahoCorasick{}
	a.class, a.nclass = byteClasses(pats)
	nc := a.nclass
	// The trie as a dense table: trie[s*nc+k] is the child of s on class k, 0 for none
	// (the root is never a child).
	trie := make([]int32, nc)
	outs := [][]int32{nil}
	for i, p := range pats {
		s := 0
		for _, c := range p {
			k := s*nc + int(a.class[c])
			if trie[k] == 0 {
				trie[k] = int32(len(outs))
				outs = append(outs, nil)
				trie = append(trie, make([]int32, nc)...)
			}
			s = int(trie[k])
		}
		outs[s] = append(outs[s], ids[i])
	}
	kids := make([][]int32, len(outs)) // per state: class<<24 | child, from the trie
	for s := range outs {
		for k := range nc {
			if c := trie[s*nc+k]; c != 0 {
				kids[s] = append(kids[s], int32(k)<<24|c)
			}
		}
	}
	order, fail, dict := link(trie, outs, nc)
	a.renumber(trie, outs, kids, order, fail, dict)
	return a
}

// link turns the trie into the full transition table with failure links, breadth
// first; it returns the states in breadth-first order, the failure and dict links.
func link(goTo []int32, outs [][]int32, nc int) (order, fail, dict []int32) {
	n := len(outs)
	fail = make([]int32, n)
	dict = make([]int32, n)
	dict[0] = -1
	order = make([]int32, 1, n)
	for k := range nc {
		if c := goTo[k]; c != 0 {
			order = append(order, c)
		}
	}
	for q := 1; q < len(order); q++ {
		s := order[q]
		f := fail[s]
		if len(outs[f]) > 0 {
			dict[s] = f
		} else {
			dict[s] = dict[f]
		}
		row, frow := int(s)*nc, int(f)*nc
		for k := range nc {
			c := goTo[row+k]
			if c == 0 {
				goTo[row+k] = goTo[frow+k]
				continue
			}
			fail[c] = goTo[frow+k]
			order = append(order, c)
		}
	}
	return order, fail, dict
}

// renumber stores the automaton with states in breadth-first order: dense rows for
// the first states within denseBudget, sparse children for the rest. A state's outputs
// are flattened with those of its dict chain, so that reporting is one loop.
func (a *ahoCorasick) renumber(goTo []int32, outs, kids [][]int32, order, fail, dict []int32) {
	nc, n := a.nclass, len(outs)
	id := make([]int32, n)
	for i, s := range order {
		id[s] = int32(i)
	}
	a.nDense = int32(min(n, max(1, denseBudget/(4*nc))))
	a.limit = a.nDense * int32(nc)
	a.div = newRowDiv(nc)
	a.dense = make([]int32, int(a.nDense)*nc)
	a.fail = make([]int32, n)
	a.outAt = make([]int32, n+1)
	a.report = make([]bool, n)
	a.depth = make([]int32, n)
	reports := func(s int32) bool { return len(outs[s]) > 0 || dict[s] >= 0 }
	for i, s := range order {
		a.fail[i] = id[fail[s]]
		a.outAt[i] = int32(len(a.outs))
		for d := s; d >= 0; d = dict[d] {
			a.outs = append(a.outs, outs[d]...)
		}
		a.report[i] = reports(s)
		for _, kc := range kids[s] { // breadth first: a child comes after its parent
			a.depth[id[kc&(1<<24-1)]] = a.depth[i] + 1
		}
		if int32(i) < a.nDense {
			for k := range nc {
				t := goTo[int(s)*nc+k]
				a.dense[i*nc+k] = id[t] * int32(nc)
				if reports(t) {
					a.dense[i*nc+k] = ^a.dense[i*nc+k]
				}
			}
			continue
		}
		a.kidAt = append(a.kidAt, int32(len(a.kidK)))
		for _, kc := range kids[s] {
			a.kidK = append(a.kidK, uint8(kc>>24))
			a.kidS = append(a.kidS, id[kc&(1<<24-1)])
		}
	}
	a.outAt[n] = int32(len(a.outs))
	a.kidAt = append(a.kidAt, int32(len(a.kidK)))
	a.setStarts(goTo)
}

// setStarts finds the bytes patterns start with (the root's transitions, goTo's first
// row) and whether the scan skips to them.
func (a *ahoCorasick) setStarts(goTo []int32) {
	starts := 0
	for c := range 256 {
		if k := a.class[c]; k != 0 && goTo[k] != 0 {
			a.start[c] = true
			starts++
		}
	}
	a.skip = starts <= maxSkipStarts
	var low []byte
	for c := range 256 {
		if b := byte(foldASCII(uint64(c))); a.start[c] && !slices.Contains(low, b) {
			low = append(low, b)
		}
	}
	if a.wordSkip = a.skip && len(low) > 0 && len(low) <= len(a.startWord); a.wordSkip {
		for i := range a.startWord {
			a.startWord[i] = swarLo * uint64(low[min(i, len(low)-1)])
		}
	}
}

// nextStart returns the index of the first byte of s at or after i that starts a
// pattern, or len(s). Folding ASCII case in a word and testing it for each first byte
// is exact: the first bytes, like the patterns, are closed under ASCII case.
func (a *ahoCorasick) nextStart(s []byte, i int) int {
	if a.wordSkip {
		sw := &a.startWord
		for ; i+8 <= len(s); i += 8 {
			w := foldASCII(binary.LittleEndian.Uint64(s[i:]))
			if m := zeroBytes(w^sw[0]) | zeroBytes(w^sw[1]) | zeroBytes(w^sw[2]) | zeroBytes(w^sw[3]); m != 0 {
				return i + bits.TrailingZeros64(m)/8
			}
		}
	}
	for i < len(s) && !a.start[s[i]] {
		i++
	}
	return i
}

// step steps from row offset off on class k; it returns the new row offset and
// whether that state reports.
func (a *ahoCorasick) step(off, k int32) (int32, bool) {
	if off < a.limit {
		x := a.dense[off+k]
		if x < 0 {
			return ^x, true
		}
		return x, false
	}
	return a.stepSparse(off, k)
}

// stepSparse steps from a deep state kept as sparse children (row offset off) on class
// k; it returns the new row offset and whether that state reports.
func (a *ahoCorasick) stepSparse(off, k int32) (int32, bool) {
	st := a.next(a.div.state(off), uint8(k))
	return st * int32(a.nclass), a.report[st]
}

// reported returns the patterns the state at row offset off reports.
func (a *ahoCorasick) reported(off int32) []int32 {
	st := a.div.state(off)
	return a.outs[a.outAt[st]:a.outAt[st+1]]
}

// next returns the state after st on class k.
func (a *ahoCorasick) next(st int32, k uint8) int32 {
	for st >= a.nDense {
		d := st - a.nDense
		for i := a.kidAt[d]; i < a.kidAt[d+1]; i++ {
			if a.kidK[i] == k {
				return a.kidS[i]
			}
		}
		st = a.fail[st]
	}
	x := a.dense[int(st)*a.nclass+int(k)]
	if x < 0 {
		x = ^x
	}
	return x / int32(a.nclass)
}

// anchoredTrie matches patterns anchored at the start of a value, or, built over
// reversed patterns and walked backwards, at its end. A walk stops at the first byte
// with no transition, so it costs at most the longest pattern, not the value length.
type anchoredTrie struct {
	class  [256]uint8
	nclass int
	div    rowDiv
	next   []int32   // row offset of the child, ^offset when it has outputs, -1 when none
	out    [][]int32 // patterns ending at a state
}

// buildAnchored compiles pats (reversed when reverse is set); pattern i reports ids[i].
func buildAnchored(pats [][]byte, ids []int32, reverse bool) *anchoredTrie {
	t := &anchoredTrie{}
	t.class, t.nclass = byteClasses(pats)
	nc := t.nclass
	t.div = newRowDiv(nc)
	t.next = make([]int32, nc)
	for i := range t.next {
		t.next[i] = -1
	}
	t.out = [][]int32{nil}
	for i, p := range pats {
		st := t.insert(p, reverse)
		t.out[st] = append(t.out[st], ids[i])
	}
	for i, x := range t.next {
		if st := x / int32(nc); x > 0 && len(t.out[st]) > 0 {
			t.next[i] = ^x
		}
	}
	return t
}

// insert adds the path of p and returns its final state.
func (t *anchoredTrie) insert(p []byte, reverse bool) int32 {
	nc := t.nclass
	off := int32(0)
	for j := range p {
		c := p[j]
		if reverse {
			c = p[len(p)-1-j]
		}
		k := off + int32(t.class[c])
		if t.next[k] < 0 {
			t.next[k] = int32(len(t.out) * nc)
			t.out = append(t.out, nil)
			for range nc {
				t.next = append(t.next, -1)
			}
		}
		off = t.next[k]
	}
	return off / int32(nc)
}
