package sigma

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the user plus system CPU time of this process.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
	cpu0 := cpuTime()
	for b.Loop() {
		if err := m.MatchJSON(events[i%len(events)], at, emit); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	// On a shared machine wall time includes waiting for a core; CPU time does not.
	b.ReportMetric(float64(i)/(cpuTime()-cpu0).Seconds(), "events/cpu-s")
	b.ReportMetric(float64(hits)/float64(i), "hits/event")
	b.ReportMetric(float64(m.Stats().Evaluated)/float64(i), "evals/event")
	b.Logf("%d rules, %d fields, %d prefiltered fields, mean event %d bytes", n, len(e.slots), len(e.pre), size/len(events))
}

// BenchmarkScanJSON measures only reading the needed fields from the raw JSON.
func BenchmarkScanJSON(b *testing.B) {
	e, _ := MustProcessCreationEngine(b)
	events := newEventGen(1).events(4096)
	m := e.NewMatcher()
	i := 0
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		m.rec.reset(len(e.slots))
		if err := scanJSON(events[i%len(events)], e.trie, &m.rec, false); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(i)/(cpuTime()-cpu0).Seconds(), "events/cpu-s")
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
