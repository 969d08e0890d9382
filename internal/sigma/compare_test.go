package sigma

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
	kont "github.com/markuskont/go-sigma-rule-engine"
)

// This file runs the same rules and events through two other Go Sigma engines:
// github.com/bradleyjkemp/sigma-go v0.6.6 and github.com/markuskont/go-sigma-rule-engine
// v0.3.0 (test-only dependencies), for the benchmark and for a differential test.

// flatEvent decodes an evtx JSON event (encoding/json, as the other engines need a map)
// and flattens Event.System and Event.EventData into Sigma field names.
func flatEvent(tb testing.TB, raw []byte) map[string]any {
	tb.Helper()
	var doc struct {
		Event struct {
			System    map[string]any `json:"System"`
			EventData map[string]any `json:"EventData"`
		} `json:"Event"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatalf("decode event: %v", err)
	}
	out := make(map[string]any, len(doc.Event.EventData)+4)
	for _, k := range []string{"EventID", "Channel", "Computer"} {
		if v, ok := doc.Event.System[k]; ok {
			out[k] = stringify(v)
		}
	}
	for k, v := range doc.Event.EventData {
		out[strings.ReplaceAll(k, " ", "")] = stringify(v)
	}
	return out
}

func stringify(v any) any {
	switch x := v.(type) {
	case float64:
		return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(json.Number(jsonNumber(x)).String(), "0"), "."), ".")
	case nil, string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func jsonNumber(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// kontEvent adapts a flat map to go-sigma-rule-engine's Event interface.
type kontEvent map[string]any

// Keywords returns every string value for keyword rules.
func (e kontEvent) Keywords() ([]string, bool) {
	out := make([]string, 0, len(e))
	for _, v := range e {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out, len(out) > 0
}

// Select returns one field.
func (e kontEvent) Select(k string) (any, bool) {
	v, ok := e[k]
	return v, ok
}

// sigmaGoRule is one rule loaded by sigma-go.
type sigmaGoRule struct {
	id   string
	eval *evaluator.RuleEvaluator
}

// MustSigmaGoRules loads the process_creation rules that sigma-go parses.
func MustSigmaGoRules(tb testing.TB) ([]sigmaGoRule, int) {
	tb.Helper()
	dir := filepath.Join(MustSigmaHQ(tb), "rules/windows/process_creation")
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []sigmaGoRule
	failed := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		r, err := sigmago.ParseRule(data)
		if err != nil {
			failed++
			continue
		}
		out = append(out, sigmaGoRule{id: r.ID, eval: evaluator.ForRule(r)})
	}
	return out, failed
}

// BenchmarkSigmaGo runs the generated events through sigma-go, decode included.
func BenchmarkSigmaGo(b *testing.B) {
	rules, failed := MustSigmaGoRules(b)
	events := newEventGen(1).events(256)
	ctx := context.Background()
	i, hits := 0, 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ev := flatEvent(b, events[i%len(events)])
		for _, r := range rules {
			if res, err := r.eval.Matches(ctx, ev); err == nil && res.Match {
				hits++
			}
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
	b.Logf("sigma-go: %d rules loaded, %d failed to parse", len(rules), failed)
}

// BenchmarkGoSigmaRuleEngine runs the generated events through
// markuskont/go-sigma-rule-engine, decode included.
func BenchmarkGoSigmaRuleEngine(b *testing.B) {
	rs, err := kont.NewRuleset(kont.Config{Directory: []string{filepath.Join(MustSigmaHQ(b), "rules/windows/process_creation")}})
	if err != nil {
		b.Fatal(err)
	}
	events := newEventGen(1).events(256)
	i, hits := 0, 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, _ := rs.EvalAll(kontEvent(flatEvent(b, events[i%len(events)])))
		hits += len(res)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
	b.Logf("go-sigma-rule-engine: %d rules ok, %d failed, %d unsupported", rs.Ok, rs.Failed, rs.Unsupported)
}

// lackingInSigmaGo lists the modifiers sigma-go v0.6.6 does not implement (it errors
// or, for cased, matches case-insensitively); a difference on a rule using one of them
// is explained by that.
var lackingInSigmaGo = []string{"|windash", "|base64offset", "|utf16", "|wide", "|exists", "|fieldref", "|cased", "|expand", "|re|i", "|re|m", "|re|s"}

// TestCompareSigmaGo runs generated events and the process_creation regression samples
// through this engine and sigma-go on the rules both load, and requires every
// difference to be explained by a modifier sigma-go lacks.
func TestCompareSigmaGo(t *testing.T) {
	root := MustSigmaHQ(t)
	theirs, _ := MustSigmaGoRules(t)
	ours, _ := MustProcessCreationEngine(t)
	texts := map[string]string{}
	for _, r := range MustLoadTree(t, "rules/windows/process_creation").Rules {
		data, err := os.ReadFile(filepath.Join(root, "rules/windows/process_creation", r.Path))
		if err != nil {
			t.Fatal(err)
		}
		texts[r.ID] = string(data)
	}
	events := newEventGen(7).events(40)
	samples, _ := filepath.Glob(filepath.Join(root, "regression_data/rules/windows/process_creation/*/*.json"))
	for _, s := range samples {
		raw, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, MustSplitJSON(t, raw)...)
	}
	events = thin(events, 8)
	features := ruleFeatures(MustLoadTree(t, "rules/windows/process_creation").Rules)
	m := ours.NewMatcher()
	ctx := context.Background()
	agree, explained := 0, map[string]int{}
	for _, raw := range events {
		got := map[string]bool{}
		if err := m.MatchJSON(raw, time.Unix(0, 0), func(h Hit) { got[h.Rule.ID] = true }); err != nil {
			t.Fatal(err)
		}
		ev := flatEvent(t, raw)
		for _, r := range theirs {
			res, err := r.eval.Matches(ctx, ev)
			if err != nil {
				explained["sigma-go evaluation error"]++
				continue
			}
			if res.Match == got[r.id] {
				agree++
				continue
			}
			why := explainDiff(texts[r.id], features[r.id])
			if why == "" {
				t.Errorf("rule %s: this engine %v, sigma-go %v on %s %.200s", r.id, got[r.id], res.Match, ev["Image"], ev["CommandLine"])
				continue
			}
			explained[why]++
		}
	}
	reasons := make([]string, 0, len(explained))
	for k := range explained {
		reasons = append(reasons, k)
	}
	sort.Strings(reasons)
	t.Logf("%d events x %d rules: %d agree", len(events), len(theirs), agree)
	for _, k := range reasons {
		t.Logf("explained differences (%s): %d", k, explained[k])
	}
}

// explainDiff returns the sigma-go gap a rule relies on, or "".
func explainDiff(text string, hasInnerWildcard bool) string {
	for _, m := range lackingInSigmaGo {
		if strings.Contains(text, m) {
			return "sigma-go lacks " + strings.TrimPrefix(m, "|")
		}
	}
	switch {
	case strings.Contains(text, `\\\\`):
		// The specification reads \\\\ as two backslashes; sigma-go keeps four.
		return `sigma-go does not unescape \\\\ to \\`
	case hasInnerWildcard:
		return "sigma-go matches * and ? inside contains/startswith/endswith values literally"
	}
	return ""
}

// ruleFeatures reports per rule id whether a value has wildcards besides the ones
// contains/startswith/endswith add (a glob matcher).
func ruleFeatures(rules []*Rule) map[string]bool {
	out := map[string]bool{}
	for _, r := range rules {
		if r.detection == nil {
			continue
		}
		for _, s := range r.detection.searches {
			for _, alt := range s.alts {
				for _, it := range alt {
					for _, v := range it.vals {
						if v.kind == mGlob {
							out[r.ID] = true
						}
					}
				}
			}
		}
	}
	return out
}
