package ipintel

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

func TestPrefixSetContains(t *testing.T) {
	set := NewPrefixSet(
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("192.0.2.128/25"), // inside the /24: merged
		netip.MustParsePrefix("198.51.100.0/25"),
		netip.MustParsePrefix("198.51.100.128/25"), // adjacent: merged
		netip.MustParsePrefix("203.0.113.7/24"),    // host bits masked
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("::ffff:100.64.0.0/106"), // IPv4-mapped: 100.64.0.0/10
	)
	tests := []struct {
		name string
		addr string
		want bool
	}{
		{"v4-first", "192.0.2.0", true},
		{"v4-last", "192.0.2.255", true},
		{"v4-before", "192.0.1.255", false},
		{"v4-after", "192.0.3.0", false},
		{"v4-merged-adjacent", "198.51.100.200", true},
		{"v4-masked-host-bits", "203.0.113.1", true},
		{"v4-mapped-lookup", "::ffff:192.0.2.9", true},
		{"v4-from-mapped-prefix", "100.127.255.255", true},
		{"v4-outside-mapped-prefix", "100.128.0.0", false},
		{"v6-inside", "2001:db8:ffff::1", true},
		{"v6-outside", "2001:db9::", false},
		{"v6-low", "::1", false},
		{"invalid", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a netip.Addr
			if tt.addr != "" {
				a = netip.MustParseAddr(tt.addr)
			}
			if got := set.Contains(a); got != tt.want {
				t.Errorf("Contains(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
	if v4, v6 := set.Ranges(); v4 != 4 || v6 != 1 {
		t.Errorf("Ranges() = %d, %d; want 4, 1 after merging", v4, v6)
	}
	if got := set.Len(); got != 7 {
		t.Errorf("Len() = %d, want 7", got)
	}
}

// TestPrefixSetMatchesNaive compares the merged binary search with a linear scan over
// random prefixes, including the extremes /0 and full-length.
func TestPrefixSetMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		var prefixes []netip.Prefix
		for range 50 {
			prefixes = append(prefixes, randPrefix(r, round%2 == 0))
		}
		set := NewPrefixSet(prefixes...)
		for range 2000 {
			a := randAddr(r, r.IntN(2) == 0)
			want := false
			for _, p := range prefixes {
				if p.Masked().Contains(a) {
					want = true
					break
				}
			}
			if got := set.Contains(a); got != want {
				t.Fatalf("round %d: Contains(%s) = %v, want %v", round, a, got, want)
			}
		}
	}
}

func randAddr(r *rand.Rand, v4 bool) netip.Addr {
	if v4 {
		// Cluster addresses so that they often hit the random prefixes.
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(256)), byte(r.IntN(256))})
	}
	var b [16]byte
	b[0], b[1], b[2] = 0x20, 0x01, byte(r.IntN(4))
	for i := 3; i < 16; i++ {
		b[i] = byte(r.IntN(256))
	}
	return netip.AddrFrom16(b)
}

func randPrefix(r *rand.Rand, v4 bool) netip.Prefix {
	a := randAddr(r, v4)
	if v4 {
		return netip.PrefixFrom(a, 8+r.IntN(25))
	}
	return netip.PrefixFrom(a, 16+r.IntN(113))
}

func TestPrefixSetExtremes(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		in     []string
		out    []string
	}{
		{"v4-all", "0.0.0.0/0", []string{"0.0.0.0", "255.255.255.255"}, []string{"::1"}},
		{"v6-all-covers-mapped-v4", "::/0", []string{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "1.2.3.4"}, nil},
		{"v6-short-not-covering-mapped", "2000::/3", []string{"2001:db8::1"}, []string{"1.2.3.4"}},
		{"v6-slash64", "2001:db8:1:2::/64", []string{"2001:db8:1:2:ffff:ffff:ffff:ffff"}, []string{"2001:db8:1:3::"}},
		{"v4-host", "192.0.2.1/32", []string{"192.0.2.1"}, []string{"192.0.2.2", "192.0.2.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := NewPrefixSet(netip.MustParsePrefix(tt.prefix))
			for _, s := range tt.in {
				if !set.Contains(netip.MustParseAddr(s)) {
					t.Errorf("%s not in %s", s, tt.prefix)
				}
			}
			for _, s := range tt.out {
				if set.Contains(netip.MustParseAddr(s)) {
					t.Errorf("%s in %s", s, tt.prefix)
				}
			}
		})
	}
}
