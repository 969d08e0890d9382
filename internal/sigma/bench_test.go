package sigma

import (
	"runtime"
	"testing"
	"time"

	"github.com/unmask/unmask/internal/unmasktest"
	"github.com/unmask/unmask/rules"
)

// MustProcessCreationEngine compiles the SigmaHQ windows/process_creation rules with the
// sysmon-evtx pipeline.
func MustProcessCreationEngine(tb testing.TB) (*Engine, int) {
	tb.Helper()
	res := MustLoadTree(tb, "rules/windows/process_creation")
	p, err := DefaultPipeline("sysmon-evtx")
	if err != nil {
		tb.Fatal(err)
	}
	e, err := NewEngine(Options{Rules: res.Rules, Pipeline: p})
	if err != nil {
		tb.Fatal(err)
	}
	return e, len(res.Rules)
}

// MustPackEngine compiles the bundled rule pack (rules.FS) together with the SigmaHQ
// windows/process_creation rules, with the sysmon-evtx pipeline: the rule set of the
// throughput target. The pack's rules (logsource product unmask, which the pipeline does
// not map) apply to every event and select by their own fields.
func MustPackEngine(tb testing.TB) (*Engine, int) {
	tb.Helper()
	pack, err := LoadDir(rules.FS, ParseOptions{})
	if err != nil || len(pack.Errors) > 0 {
		tb.Fatalf("load rule pack: %v %v", err, pack.Errors)
	}
	all := append(append([]*Rule{}, pack.Rules...), MustLoadTree(tb, "rules/windows/process_creation").Rules...)
	p, err := DefaultPipeline("sysmon-evtx")
	if err != nil {
		tb.Fatal(err)
	}
	e, err := NewEngine(Options{Rules: all, Pipeline: p})
	if err != nil {
		tb.Fatal(err)
	}
	if len(e.Problems()) > 0 {
		tb.Fatalf("compile problems: %v", e.Problems())
	}
	return e, len(all)
}

// BenchmarkThroughput is the figure of the throughput target: the bundled pack plus all
// SigmaHQ windows/process_creation rules, on one goroutine (run it with -cpu 1), JSON
// decoding included, over generated 1-1.7 KB Sysmon events in evtx JSON. process_creation
// is a stream of EventID 1 only (about 2% suspicious); mixed adds image loads, network
// connections, DNS queries and file creations, as a host sends them; uncached is the
// first stream with the Matcher's scan cache off, every value scanned afresh.
// cpu-ns/event and events/cpu-s count CPU time, which on a shared machine is what the
// engine costs; events/s is wall time.
func BenchmarkThroughput(b *testing.B) {
	e, n := MustPackEngine(b)
	uncached, _ := MustPackEngine(b)
	uncached.noScanCache = true
	streams := []struct {
		name   string
		e      *Engine
		events [][]byte
	}{
		{"process_creation", e, newEventGen(1).events(4096)},
		{"mixed", e, newEventGen(1).mixed(4096)},
		{"process_creation_uncached", uncached, newEventGen(1).events(4096)},
	}
	for _, st := range streams {
		b.Run(st.name, func(b *testing.B) {
			benchStream(b, st.e, st.events)
			b.Logf("%d rules, %d fields, %d prefiltered fields", n, len(e.slots), prefilteredFields(e))
		})
	}
}

// benchStream matches events round robin on one Matcher and reports per-event figures.
func benchStream(b *testing.B, e *Engine, events [][]byte) {
	size := 0
	for _, ev := range events {
		size += len(ev)
	}
	m := e.NewMatcher()
	hits := 0
	emit := func(Hit) { hits++ }
	at := time.Unix(1_790_000_000, 0)
	for _, ev := range events { // warm the matcher's buffers
		if err := m.MatchJSON(ev, at, emit); err != nil {
			b.Fatal(err)
		}
	}
	hits, evals0 := 0, m.Stats().Evaluated
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	i := 0
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := unmasktest.CPUTime()
	for b.Loop() {
		if err := m.MatchJSON(events[i%len(events)], at, emit); err != nil {
			b.Fatal(err)
		}
		i++
	}
	cpu := unmasktest.CPUTime() - cpu0
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(i)/cpu.Seconds(), "events/cpu-s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(i), "cpu-ns/event")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(i), "allocs/event")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
	b.ReportMetric(float64(m.Stats().Evaluated-evals0)/float64(i), "evals/event")
	b.Logf("mean event %d bytes", size/len(events))
}

// BenchmarkMatchJSON measures the SigmaHQ process_creation rules over a benign-heavy
// stream of generated ~1.4 KB Sysmon EventID 1 events, JSON decoding included, on one
// goroutine.
func BenchmarkMatchJSON(b *testing.B) {
	e, n := MustProcessCreationEngine(b)
	events := newEventGen(1).events(4096)
	size := 0
	for _, ev := range events {
		size += len(ev)
	}
	m := e.NewMatcher()
	hits := 0
	emit := func(Hit) { hits++ }
	at := time.Unix(1_790_000_000, 0)
	i := 0
	b.SetBytes(int64(size / len(events)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := unmasktest.CPUTime()
	for b.Loop() {
		if err := m.MatchJSON(events[i%len(events)], at, emit); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	// On a shared machine wall time includes waiting for a core; CPU time does not.
	b.ReportMetric(float64(i)/(unmasktest.CPUTime()-cpu0).Seconds(), "events/cpu-s")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
	b.ReportMetric(float64(m.Stats().Evaluated)/float64(i), "evals/event")
	b.Logf("%d rules, %d fields, %d prefiltered fields, mean event %d bytes", n, len(e.slots), prefilteredFields(e), size/len(events))
}

// BenchmarkScanJSON measures only reading the needed fields from the raw JSON.
func BenchmarkScanJSON(b *testing.B) {
	e, _ := MustProcessCreationEngine(b)
	events := newEventGen(1).events(4096)
	m := e.NewMatcher()
	i := 0
	b.ReportAllocs()
	cpu0 := unmasktest.CPUTime()
	for b.Loop() {
		m.rec.reset(len(e.slots))
		if err := scanJSON(events[i%len(events)], e.trie, &m.rec, false); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(i)/(unmasktest.CPUTime()-cpu0).Seconds(), "events/cpu-s")
}

// BenchmarkMatchFields measures the same rules over field maps (the unmask.Event path).
func BenchmarkMatchFields(b *testing.B) {
	e, _ := MustProcessCreationEngine(b)
	var events []Map
	for _, raw := range newEventGen(1).events(4096) {
		ev := Map{}
		for k, v := range flatEvent(b, raw) {
			if s, ok := v.(string); ok {
				ev["Event.EventData."+k] = s
			}
		}
		ev["Event.System.EventID"] = "1"
		ev["Event.System.Channel"] = "Microsoft-Windows-Sysmon/Operational"
		events = append(events, ev)
	}
	m := e.NewMatcher()
	at := time.Unix(1_790_000_000, 0)
	i, hits := 0, 0
	b.ReportAllocs()
	for b.Loop() {
		m.MatchFields(events[i%len(events)], at, func(Hit) { hits++ })
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
}

// prefilteredFields counts the fields some plan has automata for.
func prefilteredFields(e *Engine) int {
	seen := map[int]bool{}
	for _, p := range e.plans {
		for _, sp := range p.slots {
			seen[sp.slot] = true
		}
	}
	return len(seen)
}

// largestAC returns the contains automaton with the most states.
func largestAC(e *Engine) *ahoCorasick {
	var best *ahoCorasick
	for _, p := range e.plans {
		for _, sp := range p.slots {
			if a := sp.ac; a != nil && (best == nil || len(a.fail) > len(best.fail)) {
				best = a
			}
		}
	}
	return best
}
