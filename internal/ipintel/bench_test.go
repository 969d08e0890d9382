package ipintel

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// MustBenchList returns a large CIDR list file: the shared X4BNet datacenter list when
// present, else 50,000 synthetic prefixes.
func MustBenchList(b *testing.B) string {
	b.Helper()
	shared := filepath.Join(sharedData, "vpn-lists", "datacenter-ipv4.txt")
	if _, err := os.Stat(shared); err == nil {
		return shared
	}
	r := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	for range 50_000 {
		fmt.Fprintf(&sb, "%d.%d.%d.0/24\n", 1+r.IntN(222), r.IntN(256), r.IntN(256))
	}
	path := filepath.Join(b.TempDir(), "synthetic.txt")
	MustWriteFile(b, path, sb.String())
	return path
}

func benchAddrs() []netip.Addr {
	r := rand.New(rand.NewPCG(5, 6))
	addrs := make([]netip.Addr, 1024)
	for i := range addrs {
		addrs[i] = netip.AddrFrom4([4]byte{byte(1 + r.IntN(222)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
	}
	addrs[0] = netip.MustParseAddr("192.0.2.10")
	addrs[1] = netip.MustParseAddr("203.0.113.5")
	return addrs
}

func BenchmarkPrefixSetContains(b *testing.B) {
	f, err := os.Open(MustBenchList(b))
	if err != nil {
		b.Fatal(err)
	}
	set, err := ParseCIDRList(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	addrs := benchAddrs()
	i := 0
	for b.Loop() {
		set.Contains(addrs[i&1023])
		i++
	}
}

// BenchmarkLookup measures a full lookup: City, ASN and Anonymous-IP databases, two CIDR
// lists (one large) and an organisation list.
func BenchmarkLookup(b *testing.B) {
	in := MustIntel(b, Feed{Name: "big", Kind: KindCIDR, Tag: TagHosting, Location: MustBenchList(b)})
	addrs := benchAddrs()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		in.Lookup(addrs[i&1023])
		i++
	}
}

func BenchmarkParseCIDRList(b *testing.B) {
	data, err := os.ReadFile(MustBenchList(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseCIDRList(strings.NewReader(string(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupMaxMindCity looks up London in MaxMind's GeoIP2-City test database,
// whose records carry names in eight languages, with the partial decode and, for
// comparison, with geoip2's full City record.
func BenchmarkLookupMaxMindCity(b *testing.B) {
	path := filepath.Join(MustSharedDir(b, "mmdb"), "GeoIP2-City-Test.mmdb")
	in, err := New(Options{Feeds: []Feed{{Name: "city", Kind: KindCity, Location: path}}})
	if err != nil {
		b.Fatal(err)
	}
	if err := in.Load(b.Context()); err != nil {
		b.Fatal(err)
	}
	london := netip.MustParseAddr("81.2.69.142")
	b.Run("partial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in.Lookup(london)
		}
	})
	b.Run("geoip2-city", func(b *testing.B) {
		r := in.current.Load().versions[0].mmdb
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.City(london); err != nil {
				b.Fatal(err)
			}
		}
	})
}
