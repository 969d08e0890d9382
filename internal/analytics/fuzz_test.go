package analytics

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseOffset checks that parseOffset accepts only offsets within ±15 hours and that
// an accepted offset formats back to the same value.
func FuzzParseOffset(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "commit_offsets.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseOffset(s)
		if !ok {
			return
		}
		if strings.ContainsAny(s[1:], "+- ") {
			t.Fatalf("parseOffset(%q) accepted a second sign or a blank", s)
		}
		if math.Abs(v) >= 15 {
			t.Fatalf("parseOffset(%q) = %v, outside ±15h", s, v)
		}
		mins := int(math.Round(math.Abs(v) * 60))
		sign := "+"
		if v < 0 || (v == 0 && s[0] == '-') {
			sign = "-"
		}
		again, ok := parseOffset(fmt.Sprintf("%s%02d%02d", sign, mins/60, mins%60))
		if !ok || math.Abs(again-v) > 1e-9 {
			t.Fatalf("parseOffset(%q) = %v, but its canonical form parses to %v, %v", s, v, again, ok)
		}
	})
}
