package sigma

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// MustHits returns the rule ids that hit one event.
func MustHits(tb testing.TB, m *Matcher, raw []byte) []string {
	tb.Helper()
	out := []string{}
	if err := m.MatchJSON(raw, time.Unix(0, 0), func(h Hit) { out = append(out, h.Rule.Ref()) }); err != nil {
		tb.Fatalf("MatchJSON: %v", err)
	}
	return out
}

// mapValues rewrites every string value under Event.EventData with fn.
func mapValues(tb testing.TB, raw []byte, fn func(string) string) []byte {
	tb.Helper()
	var doc map[string]map[string]map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	for k, v := range doc["Event"]["EventData"] {
		if s, ok := v.(string); ok {
			doc["Event"]["EventData"][k] = fn(s)
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestPrefilterEquivalence checks that the prefiltered path (automata, answered values,
// regex gates, case folding in byte classes) reports exactly what evaluating every rule
// on every event reports, over all SigmaHQ rules and the regression samples, generated
// events and case/Unicode variants of them.
func TestPrefilterEquivalence(t *testing.T) {
	root := MustSigmaHQ(t)
	var rules []*Rule
	for _, dir := range []string{"rules", "rules-threat-hunting", "rules-emerging-threats"} {
		rules = append(rules, MustLoadTree(t, dir).Rules...)
	}
	p, err := DefaultPipeline("sysmon-evtx")
	if err != nil {
		t.Fatal(err)
	}
	fast, err := NewEngine(Options{Rules: rules, Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	slow, err := NewEngine(Options{Rules: rules, Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	slow.noPrefilter = true
	var events [][]byte
	samples, _ := filepath.Glob(filepath.Join(root, "regression_data", "*", "*", "*", "*", "*.json"))
	more, _ := filepath.Glob(filepath.Join(root, "regression_data", "*", "*", "*", "*", "*", "*.json"))
	for _, s := range append(samples, more...) {
		raw, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, MustSplitJSON(t, raw)...)
	}
	for _, ev := range newEventGen(3).events(150) {
		events = append(events, ev, mapValues(t, ev, strings.ToUpper), mapValues(t, ev, func(s string) string { return strings.ReplaceAll(s, "e", "É") }))
	}
	events = thin(events, 24)
	fm, sm := fast.NewMatcher(), slow.NewMatcher()
	total := 0
	for i, ev := range events {
		want := MustHits(t, sm, ev)
		total += len(want)
		if diff := cmp.Diff(want, MustHits(t, fm, ev)); diff != "" {
			t.Errorf("event %d: prefiltered hits differ (-all rules +prefiltered):\n%s", i, diff)
		}
	}
	t.Logf("%d events, %d rules, %d hits, prefilter evaluated %d rules vs %d", len(events), fast.Len(), total, fm.Stats().Evaluated, sm.Stats().Evaluated)
	if total == 0 {
		t.Error("no hits at all: the comparison checked nothing")
	}
}

// TestSparseAutomaton forces the sparse rows for deep automaton states (used only when
// a pattern set exceeds denseBudget) and checks them against evaluating every rule.
func TestSparseAutomaton(t *testing.T) {
	old := denseBudget
	denseBudget = 4096
	t.Cleanup(func() { denseBudget = old })
	sparse, _ := MustProcessCreationEngine(t)
	if a := largestAC(sparse); a == nil || int(a.nDense) >= len(a.fail) {
		t.Fatal("budget did not force sparse states")
	}
	slow, _ := MustProcessCreationEngine(t)
	slow.noPrefilter = true
	events := newEventGen(5).events(200)
	for _, ev := range newEventGen(6).events(100) {
		events = append(events, mapValues(t, ev, strings.ToUpper))
	}
	fm, sm := sparse.NewMatcher(), slow.NewMatcher()
	for i, ev := range thin(events, 4) {
		if diff := cmp.Diff(MustHits(t, sm, ev), MustHits(t, fm, ev)); diff != "" {
			t.Errorf("event %d (-all rules +sparse prefilter):\n%s", i, diff)
		}
	}
}
