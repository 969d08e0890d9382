package ipintel

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCIDRList(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		in, out []string
		entries int
		wantErr string
	}{
		{
			name:    "prefixes-comments-trailing-text",
			input:   "# header\n192.0.2.0/24 ExampleVPN\n\n  2001:db8::/32 ; note\n198.51.100.7\n",
			in:      []string{"192.0.2.77", "2001:db8::5", "198.51.100.7"},
			out:     []string{"198.51.100.8", "10.0.0.1"},
			entries: 3,
		},
		{
			name:    "dash-range",
			input:   "10.0.0.5-10.0.0.9\n2001:db8::1-2001:db8::ff\n",
			in:      []string{"10.0.0.5", "10.0.0.9", "2001:db8::80"},
			out:     []string{"10.0.0.4", "10.0.0.10", "2001:db8::100"},
			entries: 2,
		},
		{
			name:    "ipcat-csv",
			input:   "198.18.0.0,198.18.0.255,Example Hosting,https://example.com\n",
			in:      []string{"198.18.0.128"},
			out:     []string{"198.18.1.0"},
			entries: 1,
		},
		{
			name:    "no-final-newline",
			input:   "192.0.2.0/24",
			in:      []string{"192.0.2.1"},
			entries: 1,
		},
		{name: "empty", input: "", wantErr: "no entries"},
		{name: "only-comments", input: "# nothing\n\n", wantErr: "no entries"},
		{name: "html-error-page", input: "<html><body>rate limited</body></html>\n", wantErr: "line 1: parse address"},
		{name: "truncated-last-line", input: "192.0.2.0/24\n198.51.", wantErr: "line 2: parse address \"198.51.\""},
		{name: "bad-prefix-length", input: "192.0.2.0/33\n", wantErr: "line 1: parse prefix"},
		{name: "range-reversed", input: "10.0.0.9-10.0.0.5\n", wantErr: "ends before it starts"},
		{name: "range-mixed-family", input: "10.0.0.1-2001:db8::1\n", wantErr: "mixes IPv4 and IPv6"},
		{name: "zone", input: "fe80::1%eth0\n", wantErr: "has a zone"},
		{name: "not-utf8", input: "192.0.2.0/24\n\xff\xfe\n", wantErr: "line 2: not UTF-8"},
		{name: "line-too-long", input: "192.0.2.0/24 " + strings.Repeat("x", maxLineBytes) + "\n", wantErr: "line 1: longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := ParseCIDRList(strings.NewReader(tt.input))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseCIDRList() error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCIDRList() error = %v", err)
			}
			if got := set.Len(); got != tt.entries {
				t.Errorf("Len() = %d, want %d", got, tt.entries)
			}
			for _, s := range tt.in {
				if !set.Contains(netip.MustParseAddr(s)) {
					t.Errorf("%s not in list", s)
				}
			}
			for _, s := range tt.out {
				if set.Contains(netip.MustParseAddr(s)) {
					t.Errorf("%s in list", s)
				}
			}
		})
	}
}

func TestParseOrgList(t *testing.T) {
	l := MustParseOrgFile(t, filepath.Join("testdata", "orgs.txt"))
	tests := []struct {
		name string
		asn  uint
		org  string
		want bool
	}{
		{"asn-with-name", 64500, "", true},
		{"bare-asn", 64501, "Whatever", true},
		{"name-case-and-punctuation", 9009, "ASTRILL-VPN Ltd.", true},
		{"name-inside-longer-org", 1, "Example Cloud Hosting GmbH", true},
		{"partial-word-does-not-match", 2, "Nastrill VPNs", false},
		{"unlisted", 64502, "Residential Broadband Inc", false},
		{"zero-asn-no-org", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second call is served from the cache
				if got := l.Match(tt.asn, tt.org); got != tt.want {
					t.Fatalf("Match(%d, %q) = %v, want %v", tt.asn, tt.org, got, tt.want)
				}
			}
		})
	}
	if _, err := ParseOrgList(strings.NewReader("---\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("ParseOrgList(punctuation) error = %v, want a line 1 error", err)
	}
	if _, err := ParseOrgList(strings.NewReader("")); !errors.Is(err, errNoEntries) {
		t.Errorf("ParseOrgList(empty) error = %v, want errNoEntries", err)
	}
}

// MustParseOrgFile parses the organisation list at path.
func MustParseOrgFile(tb testing.TB, path string) *OrgList {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	l, err := ParseOrgList(f)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// FuzzParseCIDRList checks that any input either fails cleanly or yields a set whose
// ranges are sorted, disjoint and non-adjacent, and that each accepted line's own
// address is in the set.
func FuzzParseCIDRList(f *testing.F) {
	for _, name := range []string{"vpn.txt", "ranges.csv", "orgs.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("::ffff:1.2.3.4/120\n0.0.0.0/0\n::/0\n"))
	f.Add([]byte("1.2.3.4-1.2.3.4\n255.255.255.255\nffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseCIDRList(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		if set.Len() == 0 {
			t.Fatal("no error and no entries")
		}
		for i, r := range set.v4 {
			if r.lo > r.hi || (i > 0 && (set.v4[i-1].hi >= r.lo || set.v4[i-1].hi+1 == r.lo)) {
				t.Fatalf("v4 range %d not sorted and disjoint: %+v", i, set.v4)
			}
		}
		for i, r := range set.v6 {
			if r.hi.less(r.lo) || (i > 0 && !set.v6[i-1].hi.less(r.lo)) {
				t.Fatalf("v6 range %d not sorted and disjoint", i)
			}
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			tok, _, _ := strings.Cut(strings.TrimSpace(line), " ")
			if a, err := netip.ParseAddr(tok); err == nil && a.Zone() == "" && !set.Contains(a) {
				t.Fatalf("accepted address %s is not in the set", a)
			}
			if p, err := netip.ParsePrefix(tok); err == nil && !set.Contains(p.Addr()) {
				t.Fatalf("accepted prefix %s is not in the set", p)
			}
		}
	})
}

// FuzzParseOrgList checks that any input either fails cleanly or yields a list in which
// every accepted organisation-name line matches itself.
func FuzzParseOrgList(f *testing.F) {
	for _, name := range []string{"orgs.txt", "vpn.txt"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("AS0\nas4294967295\nÄstrill VPN\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseOrgList(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		if l.Len() == 0 {
			t.Fatal("no error and no entries")
		}
		for _, n := range l.names {
			if !l.Match(0, n) {
				t.Fatalf("name %q does not match itself", n)
			}
		}
	})
}
