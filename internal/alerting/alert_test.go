package alerting

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// sig returns a signal of person p for indicator ind first seen at t0+at.
func sig(id, p, ind string, sev unmask.Severity, at time.Duration) unmask.Signal {
	return unmask.Signal{
		ID: id, PersonID: p, Indicator: ind, Detector: "sigma:rmm-" + ind, Severity: sev, Weight: 0.5,
		Explanation: "Evidence " + id + ".", Time: t0.Add(at), LastSeen: t0.Add(at), Count: 1,
	}
}

// seenAgain returns s re-raised at t0+at.
func seenAgain(s unmask.Signal, at time.Duration) unmask.Signal {
	s.LastSeen = t0.Add(at)
	s.Count++
	return s
}

// MustManager returns a manager over a fresh memStore with the clock at t0.
func MustManager(tb testing.TB, opts Options) (*Manager, *memStore) {
	tb.Helper()
	st := newMemStore()
	opts.Store = st
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	m, err := NewManager(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return m, st
}

// counts summarises a Result.
type counts struct{ Created, Updated, Suppressed, Duplicates int }

func countsOf(r Result) counts {
	return counts{len(r.Created), len(r.Updated), r.Suppressed, r.Duplicates}
}

// TestProcessSequence feeds batches in order and checks what each did and the alerts that
// result.
func TestProcessSequence(t *testing.T) {
	s1 := sig("s1", "p1", "N-01", unmask.SeverityMedium, 0)
	s2 := sig("s2", "p1", "N-01", unmask.SeverityHigh, time.Minute)
	s3 := sig("s3", "p1", "§3.1", unmask.SeverityLow, 2*time.Minute)
	s4 := sig("s4", "p2", "N-01", unmask.SeverityLow, 3*time.Minute)
	s5 := sig("s5", "p1", "N-01", unmask.SeverityCritical, time.Hour)
	steps := []struct {
		name  string
		batch []unmask.Signal
		want  counts
	}{
		{"first-batch-opens-three", []unmask.Signal{s1, s2, s3, s4, s3}, counts{Created: 3, Duplicates: 1}},
		{"replay-is-duplicate", []unmask.Signal{s1, s2}, counts{Duplicates: 2}},
		{"later-sighting-updates", []unmask.Signal{seenAgain(s1, 30*time.Minute)}, counts{Updated: 1}},
		{"new-signal-joins", []unmask.Signal{s5, s4}, counts{Updated: 1, Duplicates: 1}},
	}
	m, st := MustManager(t, Options{})
	for _, step := range steps {
		res, err := m.Process(t.Context(), step.batch...)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if diff := cmp.Diff(step.want, countsOf(res)); diff != "" {
			t.Errorf("%s: result (-want +got):\n%s", step.name, diff)
		}
	}
	want := []*unmask.Alert{
		{ID: "alert-1", PersonID: "p1", Concern: "N-01", Title: "N-01: Evidence s2.", Severity: unmask.SeverityCritical,
			Status: unmask.AlertOpen, SignalIDs: []string{"s1", "s2", "s5"}, Count: 4,
			FirstSeen: t0, LastSeen: t0.Add(time.Hour), CreatedAt: t0, UpdatedAt: t0},
		{ID: "alert-2", PersonID: "p1", Concern: "§3.1", Title: "§3.1: Evidence s3.", Severity: unmask.SeverityLow,
			Status: unmask.AlertOpen, SignalIDs: []string{"s3"}, Count: 1,
			FirstSeen: t0.Add(2 * time.Minute), LastSeen: t0.Add(2 * time.Minute), CreatedAt: t0, UpdatedAt: t0},
		{ID: "alert-3", PersonID: "p2", Concern: "N-01", Title: "N-01: Evidence s4.", Severity: unmask.SeverityLow,
			Status: unmask.AlertOpen, SignalIDs: []string{"s4"}, Count: 1,
			FirstSeen: t0.Add(3 * time.Minute), LastSeen: t0.Add(3 * time.Minute), CreatedAt: t0, UpdatedAt: t0},
	}
	if diff := cmp.Diff(want, st.All()); diff != "" {
		t.Errorf("alerts (-want +got):\n%s", diff)
	}
}

func TestProcessGrouping(t *testing.T) {
	batch := []unmask.Signal{
		sig("a", "p", "N-01", unmask.SeverityLow, 0),
		sig("b", "p", "N-02", unmask.SeverityLow, 0),
		sig("c", "p", "§3.1", unmask.SeverityLow, 0),
		sig("d", "p", "X-1", unmask.SeverityLow, 0),
	}
	tests := []struct {
		name     string
		grouping Grouping
		concerns map[string]string
		want     []string // concerns
	}{
		{"by-indicator", GroupByIndicator, nil, []string{"N-01", "N-02", "X-1", "§3.1"}},
		{"by-family", GroupByFamily, nil, []string{"X-1", "endpoint", "network"}},
		{"explicit-concern", GroupByIndicator, map[string]string{"N-01": "remote-control", "§3.1": "remote-control"},
			[]string{"N-02", "X-1", "remote-control"}},
		{"explicit-concern-before-family", GroupByFamily, map[string]string{"N-02": "vpn"}, []string{"X-1", "endpoint", "network", "vpn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, st := MustManager(t, Options{Grouping: tt.grouping, Concerns: tt.concerns})
			if _, err := m.Process(t.Context(), batch...); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range st.All() {
				got = append(got, a.Concern)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("concerns (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProcessAfterAnalystAction(t *testing.T) {
	s1 := sig("s1", "p", "N-03", unmask.SeverityHigh, 0)
	tests := []struct {
		name       string
		status     unmask.AlertStatus
		next       unmask.Signal
		want       counts
		wantAlerts int
	}{
		{"acknowledged-still-updated", unmask.AlertAcknowledged, sig("s2", "p", "N-03", unmask.SeverityHigh, time.Hour), counts{Updated: 1}, 1},
		{"closed-replay-ignored", unmask.AlertClosed, s1, counts{Duplicates: 1}, 1},
		{"closed-new-sighting-reopens", unmask.AlertClosed, seenAgain(s1, time.Hour), counts{Created: 1}, 2},
		{"closed-new-signal-reopens", unmask.AlertClosed, sig("s2", "p", "N-03", unmask.SeverityHigh, time.Hour), counts{Created: 1}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, st := MustManager(t, Options{})
			res, err := m.Process(t.Context(), s1)
			if err != nil {
				t.Fatal(err)
			}
			st.setStatus(res.Created[0].ID, tt.status)
			res, err = m.Process(t.Context(), tt.next)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, countsOf(res)); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if got := len(st.All()); got != tt.wantAlerts {
				t.Errorf("%d alerts stored, want %d", got, tt.wantAlerts)
			}
		})
	}
}

// TestProcessMergesOnConflict: another writer opens the alert between our lookup and our
// create; the manager must merge into it rather than fail or open a second one.
func TestProcessMergesOnConflict(t *testing.T) {
	m, st := MustManager(t, Options{})
	st.beforeCreate = func() {
		st.beforeCreate = nil
		other := &unmask.Alert{PersonID: "p", Concern: "O-02", Title: "O-02", Severity: unmask.SeverityLow,
			Status: unmask.AlertOpen, SignalIDs: []string{"theirs"}, Count: 1, FirstSeen: t0, LastSeen: t0}
		if err := st.CreateAlert(t.Context(), other); err != nil {
			t.Error(err)
		}
	}
	res, err := m.Process(t.Context(), sig("ours", "p", "O-02", unmask.SeverityHigh, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(counts{Updated: 1}, countsOf(res)); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	all := st.All()
	if len(all) != 1 || !cmp.Equal(all[0].SignalIDs, []string{"theirs", "ours"}) || all[0].Severity != unmask.SeverityHigh {
		t.Fatalf("alerts %+v, want one alert holding both signals at high severity", all)
	}
}

func TestProcessRejectsInvalidSignals(t *testing.T) {
	good := sig("ok", "p", "N-01", unmask.SeverityLow, 0)
	tests := []struct {
		name string
		edit func(s *unmask.Signal)
	}{
		{"no-id", func(s *unmask.Signal) { s.ID = "" }},
		{"no-person", func(s *unmask.Signal) { s.PersonID = "" }},
		{"bad-severity", func(s *unmask.Signal) { s.Severity = "urgent" }},
		{"no-time", func(s *unmask.Signal) { s.Time = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, st := MustManager(t, Options{})
			bad := good
			bad.ID = "bad"
			tt.edit(&bad)
			if _, err := m.Process(t.Context(), good, bad); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("Process() = %v, want EINVALID", err)
			}
			if n := len(st.All()); n != 0 {
				t.Fatalf("%d alerts stored from a rejected batch", n)
			}
		})
	}
}

func TestProcessStoreError(t *testing.T) {
	m, st := MustManager(t, Options{})
	st.err = unmask.Errorf(unmask.EUNAVAILABLE, "Store down.")
	_, err := m.Process(t.Context(), sig("s", "p", "N-01", unmask.SeverityLow, 0))
	if unmask.ErrorCode(err) != unmask.EUNAVAILABLE || !errors.Is(err, st.err) {
		t.Fatalf("Process() = %v, want the store's EUNAVAILABLE", err)
	}
}

func TestNewManagerValidates(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"no-store", Options{}},
		{"bad-grouping", Options{Store: newMemStore(), Grouping: "team"}},
		{"bad-suppression", Options{Store: newMemStore(), Suppressions: []Suppression{{ID: "x"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewManager(tt.opts); unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("NewManager() = %v, want EINVALID", err)
			}
		})
	}
}

func TestNewIDOption(t *testing.T) {
	n := 0
	m, st := MustManager(t, Options{NewID: func() string { n++; return "custom-" + string(rune('0'+n)) }})
	if _, err := m.Process(t.Context(), sig("s", "p", "N-01", unmask.SeverityLow, 0)); err != nil {
		t.Fatal(err)
	}
	if got := st.All()[0].ID; got != "custom-1" {
		t.Fatalf("alert ID %q, want custom-1", got)
	}
}
