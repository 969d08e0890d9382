package sigma

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// MustSeedFiles adds every file matching pattern under testdata to the fuzz corpus.
func MustSeedFiles(f *testing.F, pattern string) {
	f.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds for %s: %v", pattern, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzParseFile checks that any YAML either parses into rules that compile and match
// without panicking, or is rejected with *ParseError values.
func FuzzParseFile(f *testing.F) {
	MustSeedFiles(f, "rules/*.yml")
	f.Add([]byte(filterRules))
	f.Add([]byte(baseRules + "---\ntitle: c\ncorrelation:\n  type: temporal\n  rules: [failed_login, mfa_reset]\n  group-by: [User]\n  timespan: 1m\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, errs := ParseFile("fuzz.yml", data, ParseOptions{})
		for _, err := range errs {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T is not *ParseError: %v", err, err)
			}
		}
		e, err := NewEngine(Options{Rules: rules})
		if err != nil {
			t.Fatalf("NewEngine on parsed rules: %v", err)
		}
		m := e.NewMatcher()
		m.MatchFields(Map{"Image": `C:\x.exe`, "CommandLine": "a -b /c", "User": "u"}, time.Unix(0, 0), func(Hit) {})
		if err := m.MatchJSON([]byte(`{"Image":"C:\\x.exe","A":{"B":[1,"x"]}}`), time.Unix(1, 0), func(Hit) {}); err != nil {
			t.Fatalf("MatchJSON: %v", err)
		}
	})
}

// FuzzCondition checks that the condition parser never panics and that what it
// accepts evaluates.
func FuzzCondition(f *testing.F) {
	data, err := os.ReadFile("testdata/conditions/conditions.txt")
	if err != nil {
		f.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f.Add(sc.Text())
	}
	names := []string{"sel_a", "sel_b", "filter_c", "_hidden"}
	f.Fuzz(func(t *testing.T, cond string) {
		n, err := parseCondition(cond, names)
		if err != nil {
			return
		}
		ss := make([]search, len(names))
		for i := range ss {
			ss[i] = search{name: names[i], alts: [][]item{{{field: "F", slot: 0, vals: []vmatch{{kind: mEq, lit: []byte{byte('a' + i)}}}}}}}
		}
		r := &record{vals: []fieldVal{{raw: []byte("b"), low: []byte("b"), state: stPresent}}}
		n.eval(&evalCtx{searches: ss, r: r, memo: make([]int8, len(ss))})
	})
}

// FuzzScanJSON checks the field scanner against encoding/json: every valid JSON
// object scans without error, and a top-level string field "a" decodes identically.
func FuzzScanJSON(f *testing.F) {
	MustSeedFiles(f, "events/*.json")
	f.Add([]byte(`{"a":"x\u00e9\"y","b":{"c":[1,2,{"d":null}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := MustScan(t, string(data), "a", "b.c", "Event.EventData.Image")
		var want map[string]any
		if jerr := json.Unmarshal(data, &want); jerr != nil || want == nil {
			return
		}
		if err != nil {
			if bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > maxJSONDepth {
				return
			}
			t.Fatalf("valid JSON object rejected: %v", err)
		}
		if s, ok := want["a"].(string); ok && countKey(data) == 1 && utf8.Valid(data) && got["a"] != s {
			t.Fatalf("a = %q, encoding/json says %q", got["a"], s)
		}
	})
}

// countKey counts occurrences of the key "a" so that duplicate keys (where
// encoding/json keeps the last and the scanner the first) are skipped.
func countKey(data []byte) int {
	return bytes.Count(data, []byte(`"a"`))
}

// FuzzMatchJSON checks on arbitrary events that the prefiltered matcher reports what
// evaluating every rule reports.
func FuzzMatchJSON(f *testing.F) {
	MustSeedFiles(f, "events/*.json")
	f.Add([]byte(`{"Image":"C:\\Windows\\powershell.exe","CommandLine":"powershell /enc AAA","ProcessId":4242,"User":"x","ParentUser":"X","Hashes":""}`))
	data, err := os.ReadFile("testdata/rules/modifiers.yml")
	if err != nil {
		f.Fatal(err)
	}
	rules, errs := ParseFile("modifiers.yml", data, ParseOptions{})
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	fast, err := NewEngine(Options{Rules: rules})
	if err != nil {
		f.Fatal(err)
	}
	slow, err := NewEngine(Options{Rules: rules})
	if err != nil {
		f.Fatal(err)
	}
	slow.noPrefilter = true
	fm, sm := fast.NewMatcher(), slow.NewMatcher()
	f.Fuzz(func(t *testing.T, raw []byte) {
		var a, b []string
		errA := fm.MatchJSON(raw, time.Unix(0, 0), func(h Hit) { a = append(a, h.Rule.ID) })
		errB := sm.MatchJSON(raw, time.Unix(0, 0), func(h Hit) { b = append(b, h.Rule.ID) })
		if (errA == nil) != (errB == nil) || strings.Join(a, ",") != strings.Join(b, ",") {
			t.Fatalf("prefiltered %v (%v), all rules %v (%v)", a, errA, b, errB)
		}
	})
}
