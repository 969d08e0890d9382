package photo

import "math/bits"

// Distance returns the Hamming distance between two 64-bit hashes.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// chunks is the number of 16-bit substrings multi-index hashing splits a hash into.
const chunks = 4

// multiIndex is a multi-index hash table (Norouzi et al., "Fast Search in Hamming Space
// with Multi-Index Hashing"): by the pigeonhole principle, two hashes within distance r
// agree within ⌊r/4⌋ bits on at least one of four 16-bit chunks, so a query probes each
// chunk's table for the values within that small radius instead of scanning every hash.
type multiIndex struct {
	tables [chunks]map[uint16][]int32
	hashes []uint64
}

func chunk(h uint64, i int) uint16 { return uint16(h >> (16 * i)) }

func (m *multiIndex) add(hash uint64) int {
	n := len(m.hashes)
	m.hashes = append(m.hashes, hash)
	for i := range chunks {
		if m.tables[i] == nil {
			m.tables[i] = make(map[uint16][]int32)
		}
		c := chunk(hash, i)
		m.tables[i][c] = append(m.tables[i][c], int32(n))
	}
	return n
}

// search calls fn once for every item within radius of hash, with its distance.
func (m *multiIndex) search(hash uint64, radius int, fn func(item, dist int)) {
	if len(m.hashes) == 0 || radius < 0 {
		return
	}
	sub := radius / chunks
	seen := make(map[int32]struct{})
	for i := range chunks {
		c := chunk(hash, i)
		variants(c, sub, func(v uint16) {
			for _, item := range m.tables[i][v] {
				if _, dup := seen[item]; dup {
					continue
				}
				seen[item] = struct{}{}
				if d := Distance(m.hashes[item], hash); d <= radius {
					fn(int(item), d)
				}
			}
		})
	}
}

// variants calls fn for every 16-bit value within Hamming distance r of c.
func variants(c uint16, r int, fn func(uint16)) {
	var rec func(v uint16, from, left int)
	rec = func(v uint16, from, left int) {
		fn(v)
		if left == 0 {
			return
		}
		for b := from; b < 16; b++ {
			rec(v^(1<<b), b+1, left-1)
		}
	}
	rec(c, 0, min(r, 16))
}
