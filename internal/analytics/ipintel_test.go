package analytics

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask/internal/ipintel"
)

// TestEngineWithIntel wires a real ipintel.Intel over CIDR feeds into the Engine.
func TestEngineWithIntel(t *testing.T) {
	intel, err := ipintel.New(ipintel.Options{Feeds: []ipintel.Feed{
		{Name: "astrill-ioc", Kind: ipintel.KindCIDR, Tag: ipintel.TagAstrill, Location: filepath.Join("testdata", "astrill.txt")},
		{Name: "corp-egress", Kind: ipintel.KindCIDR, Tag: ipintel.TagCorporate, Location: filepath.Join("testdata", "corporate.txt")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := intel.Load(t.Context()); err != nil {
		t.Fatal(err)
	}
	eng, err := New(Options{Lookup: intel.Lookup, Now: func() time.Time { return monday }})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		ip     string
		want   string // indicator, or "" for none
		inText string
	}{
		{"astrill-egress", "203.0.113.9", "N-01", "astrill-ioc feed lists as Astrill VPN egress"},
		{"corporate-egress", "198.51.100.3", "", ""},
		{"unlisted", "192.0.2.1", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := eng.Process(signin("p-"+tt.name, at(0, 9), tt.ip))
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("Process() = %+v, want no signal", got)
			case tt.want != "" && (len(got) != 1 || got[0].Indicator != tt.want || !strings.Contains(got[0].Explanation, tt.inText)):
				t.Errorf("Process() = %+v, want one %s mentioning %q", got, tt.want, tt.inText)
			}
		})
	}
}
