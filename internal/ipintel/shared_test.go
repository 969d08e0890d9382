package ipintel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the project's shared third-party data, a sibling of the repository root:
// internal/ipintel → ../../../shared/data.
var sharedData = filepath.Join("..", "..", "..", "shared", "data")

// MustSharedDir returns the shared data directory name, or skips the test when it is
// absent (as on a machine without shared/).
func MustSharedDir(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(sharedData, name)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("shared data %s not present (%v); skipping the test on third-party data", dir, err)
	}
	return dir
}

// TestSharedMaxMindTestDatabases loads MaxMind's own test databases (MaxMind-DB
// test-data) and checks records that MaxMind documents for them.
func TestSharedMaxMindTestDatabases(t *testing.T) {
	dir := MustSharedDir(t, "mmdb")
	in, err := New(Options{Feeds: []Feed{
		{Name: "city", Kind: KindCity, Location: filepath.Join(dir, "GeoIP2-City-Test.mmdb")},
		{Name: "asn", Kind: KindASN, Location: filepath.Join(dir, "GeoLite2-ASN-Test.mmdb")},
		{Name: "anon", Kind: KindAnonymousIP, Location: filepath.Join(dir, "GeoIP2-Anonymous-IP-Test.mmdb")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		addr    string
		country string
		city    string
		asn     uint
		tags    TagSet
	}{
		{name: "london-all-anonymous-flags", addr: "81.2.69.142", country: "GB", city: "London",
			tags: TagSet(0).With(TagVPN).With(TagHosting).With(TagTor).With(TagAnonymous)},
		{name: "telstra-asn", addr: "1.128.0.1", asn: 1221},
		{name: "anonymous-vpn", addr: "1.2.0.1", tags: TagSet(0).With(TagVPN).With(TagAnonymous)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := in.LookupString(tt.addr)
			if got.Country != tt.country || got.City != tt.city || got.ASN != tt.asn || got.Tags != tt.tags {
				t.Errorf("Lookup(%s) = country %q city %q asn %d tags %v; want %q %q %d %v",
					tt.addr, got.Country, got.City, got.ASN, got.Tags, tt.country, tt.city, tt.asn, tt.tags)
			}
		})
	}
}

// TestSharedVPNLists loads the X4BNet VPN and datacenter lists and checks that every
// listed prefix's first address matches and that the lists parse in full.
func TestSharedVPNLists(t *testing.T) {
	dir := MustSharedDir(t, "vpn-lists")
	for _, name := range []string{"vpn-ipv4.txt", "datacenter-ipv4.txt"} {
		t.Run(strings.TrimSuffix(name, ".txt"), func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			set, err := ParseCIDRList(f)
			if err != nil {
				t.Fatal(err)
			}
			if set.Len() < 1000 {
				t.Errorf("Len() = %d, want the full list", set.Len())
			}
			v4, _ := set.Ranges()
			if v4 == 0 || v4 > set.Len() {
				t.Errorf("Ranges() = %d for %d entries", v4, set.Len())
			}
		})
	}
}
