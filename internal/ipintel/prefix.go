package ipintel

import (
	"encoding/binary"
	"net/netip"
	"slices"
)

// u128 is an IPv6 address as a 128-bit unsigned integer.
type u128 struct{ hi, lo uint64 }

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

// next returns a+1 and whether it did not overflow.
func (a u128) next() (u128, bool) {
	if a.lo != ^uint64(0) {
		return u128{a.hi, a.lo + 1}, true
	}
	if a.hi != ^uint64(0) {
		return u128{a.hi + 1, 0}, true
	}
	return a, false
}

func toU128(a netip.Addr) u128 {
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

func toU32(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

// mappedV4 is the first IPv4-mapped IPv6 address, ::ffff:0.0.0.0.
var mappedV4 = netip.AddrFrom16([16]byte{10: 0xff, 11: 0xff})

type range4 struct{ lo, hi uint32 }

type range6 struct{ lo, hi u128 }

// PrefixSet is an immutable set of IPv4 and IPv6 addresses built from prefixes and ranges,
// stored as sorted, merged, disjoint ranges so that Contains is a binary search. The zero
// value is an empty set. A PrefixSet is safe for concurrent use.
type PrefixSet struct {
	v4      []range4
	v6      []range6
	entries int
}

// Contains reports whether a is in the set. IPv4-mapped IPv6 addresses match IPv4 entries.
func (s *PrefixSet) Contains(a netip.Addr) bool {
	if s == nil || !a.IsValid() {
		return false
	}
	a = a.Unmap()
	if a.Is4() {
		x := toU32(a)
		r := s.v4
		lo, hi := 0, len(r)
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if r[m].hi < x {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo < len(r) && r[lo].lo <= x
	}
	x := toU128(a)
	r := s.v6
	lo, hi := 0, len(r)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r[m].hi.less(x) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(r) && !x.less(r[lo].lo)
}

// Len returns how many entries (prefixes, addresses or ranges) the set was built from.
func (s *PrefixSet) Len() int {
	if s == nil {
		return 0
	}
	return s.entries
}

// Ranges returns the number of disjoint IPv4 and IPv6 ranges after merging.
func (s *PrefixSet) Ranges() (v4, v6 int) {
	if s == nil {
		return 0, 0
	}
	return len(s.v4), len(s.v6)
}

// prefixBuilder collects ranges for a PrefixSet.
type prefixBuilder struct {
	v4      []range4
	v6      []range6
	entries int
}

// addPrefix adds p, masking host bits. IPv4-mapped IPv6 prefixes become IPv4 prefixes.
func (b *prefixBuilder) addPrefix(p netip.Prefix) {
	p = p.Masked()
	addr, bits := p.Addr(), p.Bits()
	if addr.Is4In6() && bits >= 96 {
		p = netip.PrefixFrom(addr.Unmap(), bits-96)
		addr, bits = p.Addr(), p.Bits()
	}
	b.entries++
	if addr.Is4() {
		lo := toU32(addr)
		hi := lo | (^uint32(0) >> bits)
		if bits == 0 {
			hi = ^uint32(0)
		}
		b.v4 = append(b.v4, range4{lo, hi})
		return
	}
	if bits < 96 && p.Contains(mappedV4) {
		// A short IPv6 prefix that covers ::ffff:0:0/96 covers every IPv4 address, which
		// Contains looks up unmapped.
		b.v4 = append(b.v4, range4{0, ^uint32(0)})
	}
	lo := toU128(addr)
	hi := lo
	switch {
	case bits == 0:
		hi = u128{^uint64(0), ^uint64(0)}
	case bits <= 64:
		hi.hi |= ^uint64(0) >> bits
		hi.lo = ^uint64(0)
	case bits < 128:
		hi.lo |= ^uint64(0) >> (bits - 64)
	}
	b.v6 = append(b.v6, range6{lo, hi})
}

// addRange adds the inclusive range first..last, which must be the same family with
// first <= last (the parser checks).
func (b *prefixBuilder) addRange(first, last netip.Addr) {
	first, last = first.Unmap(), last.Unmap()
	b.entries++
	if first.Is4() {
		b.v4 = append(b.v4, range4{toU32(first), toU32(last)})
		return
	}
	b.v6 = append(b.v6, range6{toU128(first), toU128(last)})
}

// build sorts and merges the collected ranges into a PrefixSet.
func (b *prefixBuilder) build() *PrefixSet {
	slices.SortFunc(b.v4, func(x, y range4) int {
		switch {
		case x.lo < y.lo:
			return -1
		case x.lo > y.lo:
			return 1
		}
		return 0
	})
	v4 := b.v4[:0]
	for _, r := range b.v4 {
		if n := len(v4); n > 0 && (r.lo <= v4[n-1].hi || (v4[n-1].hi != ^uint32(0) && r.lo == v4[n-1].hi+1)) {
			v4[n-1].hi = max(v4[n-1].hi, r.hi)
			continue
		}
		v4 = append(v4, r)
	}
	slices.SortFunc(b.v6, func(x, y range6) int {
		switch {
		case x.lo.less(y.lo):
			return -1
		case y.lo.less(x.lo):
			return 1
		}
		return 0
	})
	v6 := b.v6[:0]
	for _, r := range b.v6 {
		if n := len(v6); n > 0 {
			last := &v6[n-1]
			nx, ok := last.hi.next()
			if !r.lo.less(last.lo) && (!last.hi.less(r.lo) || (ok && nx == r.lo)) {
				if last.hi.less(r.hi) {
					last.hi = r.hi
				}
				continue
			}
		}
		v6 = append(v6, r)
	}
	return &PrefixSet{v4: slices.Clip(v4), v6: slices.Clip(v6), entries: b.entries}
}

// NewPrefixSet returns the set of addresses covered by prefixes.
func NewPrefixSet(prefixes ...netip.Prefix) *PrefixSet {
	var b prefixBuilder
	for _, p := range prefixes {
		if p.IsValid() {
			b.addPrefix(p)
		}
	}
	return b.build()
}
