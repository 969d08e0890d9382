package sigma

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// MustParse parses YAML documents that must all be valid.
func MustParse(tb testing.TB, src string) []*Rule {
	tb.Helper()
	rules, errs := ParseFile("test.yml", []byte(src), ParseOptions{Placeholders: map[string][]string{
		"Admins": {"adm_*", "root"},
	}})
	if len(errs) > 0 {
		tb.Fatalf("ParseFile: %v", errs)
	}
	return rules
}

// MustEngine compiles YAML documents with the given pipeline (nil for field names as
// they are).
func MustEngine(tb testing.TB, p *Pipeline, src string) *Engine {
	tb.Helper()
	e, err := NewEngine(Options{Rules: MustParse(tb, src), Pipeline: p})
	if err != nil {
		tb.Fatalf("NewEngine: %v", err)
	}
	if len(e.Problems()) > 0 {
		tb.Fatalf("NewEngine problems: %v", e.Problems())
	}
	return e
}

// detectionRule wraps a detection body (indented two spaces) into a rule document.
func detectionRule(id, detection string) string {
	return fmt.Sprintf("title: rule %s\nid: %s\nname: %s\nlogsource: {product: windows, category: process_creation}\ndetection:\n%s\n", id, id, id, detection)
}

// hitIDs returns the ids of the rules that hit, in emit order.
func hitIDs(hits []Hit) []string {
	out := []string{}
	for _, h := range hits {
		out = append(out, h.Rule.Ref())
	}
	return out
}

// MustMatch runs one event through both APIs (JSON and field map) and checks they agree.
func MustMatch(tb testing.TB, e *Engine, ev Map) []string {
	tb.Helper()
	var viaMap, viaJSON []Hit
	e.NewMatcher().MatchFields(ev, time.Unix(0, 0), func(h Hit) { viaMap = append(viaMap, h) })
	if err := e.NewMatcher().MatchJSON(flatJSON(ev), time.Unix(0, 0), func(h Hit) { viaJSON = append(viaJSON, h) }); err != nil {
		tb.Fatalf("MatchJSON: %v", err)
	}
	a, b := hitIDs(viaMap), hitIDs(viaJSON)
	if strings.Join(a, ",") != strings.Join(b, ",") {
		tb.Fatalf("MatchFields hits %v, MatchJSON hits %v", a, b)
	}
	return a
}

// flatJSON encodes a map as a flat JSON object with keys in sorted order.
func flatJSON(m Map) []byte {
	var b strings.Builder
	b.WriteByte('{')
	first := true
	for _, k := range sortedKeys(m) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(m[k])
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return []byte(b.String())
}

func sortedKeys(m Map) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// thin keeps every nth event under the race detector and all of them otherwise.
func thin(events [][]byte, n int) [][]byte {
	if !raceEnabled {
		return events
	}
	out := make([][]byte, 0, len(events)/n+1)
	for i := 0; i < len(events); i += n {
		out = append(out, events[i])
	}
	return out
}
