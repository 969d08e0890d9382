package sigma

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask/rules"
)

// This file checks the shortcuts of the matching path against plain implementations:
// the scan cache and key memo (results equal to scanning every value afresh), the
// two-walk contains scan (the patterns of one walk), the case-folding words, the regex
// and glob gates (never reject a match) and the throughput streams' hit rates (equal
// to evaluating every rule).

// throughputEvents returns the benchmark streams with case and Unicode variants.
func throughputEvents(tb testing.TB) [][]byte {
	tb.Helper()
	events := append(newEventGen(11).events(300), newEventGen(12).mixed(300)...)
	for _, ev := range newEventGen(13).events(60) {
		events = append(events, mapValues(tb, ev, strings.ToUpper), mapValues(tb, ev, func(s string) string { return strings.ReplaceAll(s, "e", "É") }))
	}
	return thin(events, 8)
}

// TestThroughputHitRates runs the throughput rule set over its streams twice (the
// second pass answered from the scan cache and key memo), and requires every event's
// hits to equal those of a matcher without the cache and of evaluating every rule.
func TestThroughputHitRates(t *testing.T) {
	fast, _ := MustPackEngine(t)
	uncached, _ := MustPackEngine(t)
	uncached.noScanCache = true
	slow, _ := MustPackEngine(t)
	slow.noPrefilter = true
	events := throughputEvents(t)
	fm, um, sm := fast.NewMatcher(), uncached.NewMatcher(), slow.NewMatcher()
	total := 0
	for pass := range 2 {
		for i, ev := range events {
			want := MustHits(t, sm, ev)
			total += len(want)
			if diff := cmp.Diff(want, MustHits(t, fm, ev)); diff != "" {
				t.Errorf("pass %d event %d: cached hits differ (-all rules +cached):\n%s", pass, i, diff)
			}
			if diff := cmp.Diff(want, MustHits(t, um, ev)); diff != "" {
				t.Errorf("pass %d event %d: uncached hits differ (-all rules +uncached):\n%s", pass, i, diff)
			}
		}
	}
	if total == 0 {
		t.Error("no hits: the comparison checked nothing")
	}
	t.Logf("%d events twice: %d hits, %.2f evaluations per event (all rules: %d)", len(events), total,
		float64(fm.Stats().Evaluated)/float64(fm.Stats().Events), len(fast.rules))
}

// TestPlansAgree runs the pack, as an unconditional logsource group, with several
// SigmaHQ Windows categories (plans merging the rules every event meets) over the mixed
// stream, and requires the hits of evaluating every rule.
func TestPlansAgree(t *testing.T) {
	pack, err := LoadDir(rules.FS, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := pack.Rules
	for _, dir := range []string{"process_creation", "image_load", "network_connection", "dns_query", "file/file_event"} {
		all = append(all, MustLoadTree(t, "rules/windows/"+dir).Rules...)
	}
	p, err := DefaultPipeline("sysmon-evtx")
	if err != nil {
		t.Fatal(err)
	}
	withPack := *p
	withPack.Logsources = append([]LogsourceMapping{{Logsource: Logsource{Product: "unmask"}}}, p.Logsources...)
	fast, err := NewEngine(Options{Rules: all, Pipeline: &withPack, StrictLogsource: true})
	if err != nil {
		t.Fatal(err)
	}
	slow, err := NewEngine(Options{Rules: all, Pipeline: &withPack, StrictLogsource: true})
	if err != nil {
		t.Fatal(err)
	}
	slow.noPrefilter = true
	if fast.sepBase {
		t.Fatal("the rules every event meets should be merged into the groups' plans")
	}
	fm, sm := fast.NewMatcher(), slow.NewMatcher()
	total := 0
	for pass := range 2 {
		for i, ev := range thin(newEventGen(14).mixed(600), 6) {
			want := MustHits(t, sm, ev)
			total += len(want)
			if diff := cmp.Diff(want, MustHits(t, fm, ev)); diff != "" {
				t.Errorf("pass %d event %d (-all rules +prefiltered):\n%s", pass, i, diff)
			}
		}
	}
	t.Logf("%d groups, %d hits, %.2f evaluations per event", len(fast.lsAlts), total, float64(fm.Stats().Evaluated)/float64(fm.Stats().Events))
}

// TestKeyMemo scans events whose keys change order, escaping and set between events
// with one record (so the key memo is consulted) and requires the values a fresh scan
// finds.
func TestKeyMemo(t *testing.T) {
	paths := []string{"a", "b.c", "k e", "long_key_name_over_sixteen", "x"}
	docs := []string{
		`{"a":"1","b":{"c":"2"},"long_key_name_over_sixteen":"3","x":null}`,
		`{"a":"4","b":{"c":"5"},"long_key_name_over_sixteen":"6","x":"7"}`,
		`{"b":{"c":"8"},"a":"9"}`,
		`{"\u0061":"10","b":{"\u0063":"11"}}`,
		`{"\u0061":"12","b":{"\u0063":"13"}}`,
		`{"ab":"14","a":"15"}`,
		`{"a\"":"16","a":"17"}`,
		`{"long_key_name_over_sixteeN":"18","long_key_name_over_sixteen":"19"}`,
		`{"a":"20","b":[{"c":"21"},{"c":"22"}]}`,
		`{"a":"23","b":{"c":"24"},"long_key_name_over_sixteen":"25","x":"26"}`,
	}
	tr := newPathTrie()
	for i, p := range paths {
		tr.add(p, i, 0)
	}
	tr.index()
	var memo record
	memo.keys = newKeyMemo(tr)
	for round := range 2 {
		for _, doc := range docs {
			var fresh record
			fresh.reset(len(paths))
			memo.reset(len(paths))
			errA := scanJSON([]byte(doc), tr, &fresh, false)
			errB := scanJSON([]byte(doc), tr, &memo, false)
			if (errA == nil) != (errB == nil) {
				t.Fatalf("round %d %s: errors %v and %v", round, doc, errA, errB)
			}
			if got, want := recordValues(&memo), recordValues(&fresh); !cmp.Equal(got, want) {
				t.Errorf("round %d %s: with memo %v, fresh %v", round, doc, got, want)
			}
		}
	}
}

func recordValues(r *record) []string {
	var out []string
	for i := range r.vals {
		for v := &r.vals[i]; v != nil; v = r.nextElem(v) {
			out = append(out, fmt.Sprintf("%d:%d:%s", i, v.state, v.raw))
		}
	}
	return out
}

// TestFoldWords checks the eight-byte case folding, hashing and comparison of the
// whole-value set and the unprintable test against byte-by-byte versions.
func TestFoldWords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("aAzZ@[`{09 \\-.\x00\x7f\x80\xc3\xa9\xff")
	for range 20000 {
		b := make([]byte, r.IntN(30))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		lower := asciiLower(b)
		if len(b) >= 8 {
			if got, want := foldASCII(leWord(b)), leWord(lower); got != want {
				t.Fatalf("foldASCII(%q) = %x, want %x", b[:8], got, want)
			}
		}
		if !equalFold(b, lower) || foldHash(b) != foldHash(lower) {
			t.Fatalf("%q and its ASCII lowercase %q: equalFold %v, hashes %x %x", b, lower, equalFold(b, lower), foldHash(b), foldHash(lower))
		}
		if len(b) > 0 {
			other := bytes.Clone(b)
			other[r.IntN(len(other))] ^= 1 << r.IntN(8)
			if got, want := equalFold(other, lower), bytes.Equal(asciiLower(other), lower); got != want {
				t.Fatalf("equalFold(%q, %q) = %v", other, lower, got)
			}
		}
		printable := true
		for _, c := range b {
			printable = printable && c >= 0x20 && c < 0x7f
		}
		if hasUnprintable(b) == printable {
			t.Fatalf("hasUnprintable(%q) = %v", b, !printable)
		}
	}
}

func asciiLower(b []byte) []byte {
	out := bytes.Clone(b)
	for i, c := range out {
		if 'A' <= c && c <= 'Z' {
			out[i] = c + 'a' - 'A'
		}
	}
	return out
}

func leWord(b []byte) uint64 {
	var w uint64
	for i := 7; i >= 0; i-- {
		w = w<<8 | uint64(b[i])
	}
	return w
}

// TestExactSet checks whole-value lookups against a map of lowercase literals.
func TestExactSet(t *testing.T) {
	lits := [][]byte{[]byte("cmd.exe"), []byte("c:\\windows\\system32\\svchost.exe"), []byte("x"), []byte("microsoft® windows® operating system"), []byte("12345678")}
	ids := []int32{0, 1, 2, 3, 4}
	x := buildExact(lits, ids)
	tests := []struct {
		in   string
		want int32
	}{
		{"CMD.EXE", 0}, {"cmd.exe", 0}, {"cmd.ex", -1}, {"cmd.exe ", -1},
		{"C:\\Windows\\System32\\SVCHOST.exe", 1}, {"X", 2}, {"", -1},
		{"Microsoft® Windows® Operating System", 3}, {"12345678", 4}, {"1234567", -1},
	}
	for _, tt := range tests {
		if got := x.find([]byte(tt.in)); got != tt.want {
			t.Errorf("find(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestRegexGates checks on the regexes of all SigmaHQ rules that a value a regex
// matches holds, lowercased, a literal of each of its gate conjuncts and of its
// prefilter set: the gates may only reject values the regex rejects.
func TestRegexGates(t *testing.T) {
	var vms []*vmatch
	for _, dir := range []string{"rules", "rules-threat-hunting", "rules-emerging-threats"} {
		for _, r := range MustLoadTree(t, dir).Rules {
			if r.detection == nil {
				continue
			}
			for _, s := range r.detection.searches {
				for _, alt := range s.alts {
					for i := range alt {
						for v := range alt[i].vals {
							if vm := &alt[i].vals[v]; vm.kind == mRegex || vm.kind == mGlob {
								vms = append(vms, vm)
							}
						}
					}
				}
			}
		}
	}
	values := regexProbeValues(t)
	checked := 0
	for _, vm := range vms {
		sets := append([][]string{vm.needs}, vm.gateLits...)
		for _, v := range values {
			if !probeMatch(vm, v) {
				continue
			}
			checked++
			low := lowerString(v)
			for _, set := range sets {
				if len(set) == 0 {
					continue
				}
				found := false
				for _, l := range set {
					found = found || strings.Contains(low, l)
				}
				if !found {
					t.Errorf("%s matches %q, but its lowercase holds none of %q", probeExpr(vm), v, set)
				}
			}
		}
	}
	t.Logf("%d regexes and globs, %d values, %d matches checked", len(vms), len(values), checked)
	if checked == 0 {
		t.Error("no value matched: the check checked nothing")
	}
}

func probeMatch(vm *vmatch, v string) bool {
	if vm.kind == mRegex {
		return vm.re.MatchString(v)
	}
	s := []byte(v)
	if !vm.cased {
		s = appendLower(nil, s)
	}
	return globMatch(vm.pat, vm.kinds, s)
}

func probeExpr(vm *vmatch) string {
	if vm.kind == mRegex {
		return vm.re.String()
	}
	return fmt.Sprintf("glob %q", vm.pat)
}

// regexProbeValues returns every string value of the regression samples and generated
// events, their upper-case forms and hand-made values for case folding.
func regexProbeValues(tb testing.TB) []string {
	tb.Helper()
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] && utf8.ValidString(s) {
			seen[s] = true
			out = append(out, s, strings.ToUpper(s))
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			add(x)
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	samples, _ := filepath.Glob(filepath.Join(MustSigmaHQ(tb), "regression_data", "rules", "*", "*", "*", "*.json"))
	for _, s := range samples {
		raw, err := os.ReadFile(s)
		if err != nil {
			tb.Fatal(err)
		}
		for _, ev := range MustSplitJSON(tb, raw) {
			var doc any
			if json.Unmarshal(ev, &doc) == nil {
				walk(doc)
			}
		}
	}
	for _, ev := range newEventGen(21).mixed(400) {
		var doc any
		if json.Unmarshal(ev, &doc) == nil {
			walk(doc)
		}
	}
	for _, s := range []string{"ſet x && ſet y && invoke &&\"", "net  config", "C:\\WINDOWS\\SYSTEM32\\X", "-U:", "--uſer :"} {
		add(s)
	}
	return out
}

// TestRegexConjuncts checks the literal sets derived from hand-picked expressions.
func TestRegexConjuncts(t *testing.T) {
	tests := []struct {
		expr string
		want [][]string
	}{
		{`abc`, [][]string{{"abc"}}},
		{`ab.*cd`, [][]string{{"ab"}, {"cd"}}},
		{`-(?:u|-user)\s`, [][]string{{"-u", "--user"}}},
		{`[Rr][Uu][Nn]32`, [][]string{{"run32"}}},
		{`\s-[FTd]\s`, [][]string{{"-f", "-t", "-d"}}},
		{`(?i)set x`, [][]string{{"et x"}}}, // s also matches the long s under (?i)
		{`(?i)kill`, [][]string{{"kill"}}},  // the Kelvin sign lowercases to k
		{`a?b`, [][]string{{"b"}}},
		{`(?:ab|c*)d`, [][]string{{"d"}}},
	}
	for _, tt := range tests {
		got := regexConjuncts(tt.expr)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("regexConjuncts(%q) (-want +got):\n%s", tt.expr, diff)
		}
	}
}

// TestScanACDual checks the two-walk contains scan against the one-walk scan: on
// values made of fragments of the largest automaton's patterns, with dense rows and
// with sparse ones, both must find the same patterns.
func TestScanACDual(t *testing.T) {
	for _, budget := range []int{denseBudget, 4096} {
		old := denseBudget
		denseBudget = budget
		e, _ := MustProcessCreationEngine(t)
		denseBudget = old
		sp, pats := largestACSlot(e)
		r := rand.New(rand.NewPCG(7, uint64(budget)))
		one, dual := e.NewMatcher(), e.NewMatcher()
		for range 3000 {
			var b []byte
			for len(b) < r.IntN(300) {
				p := pats[r.IntN(len(pats))]
				i, j := r.IntN(len(p)+1), r.IntN(len(p)+1)
				b = append(b, p[min(i, j):max(i, j)]...)
				if r.IntN(4) == 0 {
					b = append(b, " \\.-"[r.IntN(4)])
				}
			}
			clear(one.pseen)
			clear(dual.pseen)
			one.scanACOne(sp, sp.ac, b)
			dual.scanACDual(sp, sp.ac, b)
			if !slices.Equal(one.pseen, dual.pseen) {
				t.Fatalf("budget %d, %q: two walks found other patterns than one", budget, b)
			}
		}
	}
}

// largestACSlot returns the plan field with the largest contains automaton and its
// contains literals.
func largestACSlot(e *Engine) (*slotPre, []string) {
	var best *slotPre
	for _, p := range e.plans {
		for i := range p.slots {
			if sp := &p.slots[i]; sp.ac != nil && (best == nil || len(sp.ac.fail) > len(best.ac.fail)) {
				best = sp
			}
		}
	}
	var pats []string
	for _, l := range e.lits {
		if l.slot == best.slot && l.kind == litContains {
			pats = append(pats, l.s)
		}
	}
	return best, pats
}
