package resume

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/minhash"
)

// text returns n distinct words with a prefix, as prose.
func text(prefix string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return strings.Join(w, " ")
}

func fixedClock() time.Time { return time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) }

func MustDetector(tb testing.TB, corpus *Corpus) *Detector {
	tb.Helper()
	d, err := NewDetector(Options{Corpus: corpus, Now: fixedClock})
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

type hit struct {
	Person, Indicator string
}

func TestDetectorScreen(t *testing.T) {
	original := text("career", 300)
	template := text("recruiter", 600)
	bootcamp := text("bootcamp", 150)
	tests := []struct {
		name     string
		corpusOf []string // documents counted for boilerplate before screening
		existing []Entry
		query    Entry
		want     []hit
	}{
		{name: "copy_under_other_name",
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(original)}},
			query:    Entry{DocID: "d2", PersonID: "p2", Name: "Ivan Petrov", Shingles: Shingles("Ivan Petrov " + original + " extra")},
			want:     []hit{{"p2", "H-05"}, {"p1", "H-05"}}},
		{name: "reapplication_same_name",
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(original)}},
			query:    Entry{DocID: "d2", PersonID: "p9", Name: "Roe, Jane", Shingles: Shingles(original)}},
		{name: "same_bootcamp_different_people",
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(bootcamp + " " + text("jane", 150))}},
			query:    Entry{DocID: "d2", PersonID: "p2", Name: "Tom Brown", Shingles: Shingles(bootcamp + " " + text("tom", 150))}},
		{name: "recruiter_template_without_suppression_would_match",
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(template + " " + text("jane", 50))}},
			query:    Entry{DocID: "d2", PersonID: "p2", Name: "Tom Brown", Shingles: Shingles(template + " " + text("tom", 50))},
			want:     []hit{{"p2", "H-05"}, {"p1", "H-05"}}},
		{name: "recruiter_template_suppressed",
			corpusOf: repeat(template, 25),
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(template + " " + text("jane", 50))}},
			query:    Entry{DocID: "d2", PersonID: "p2", Name: "Tom Brown", Shingles: Shingles(template + " " + text("tom", 50))}},
		{name: "too_short_to_compare",
			existing: []Entry{{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles("go developer")}},
			query:    Entry{DocID: "d2", PersonID: "p2", Name: "Tom Brown", Shingles: Shingles("go developer")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var corpus *Corpus
			if tt.corpusOf != nil {
				corpus = NewCorpus(20)
				for _, doc := range tt.corpusOf {
					corpus.Add(Shingles(doc))
				}
			}
			d := MustDetector(t, corpus)
			for _, e := range tt.existing {
				if err := d.Add(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			sigs, err := d.Screen(t.Context(), tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var got []hit
			for _, s := range sigs {
				got = append(got, hit{s.PersonID, s.Indicator})
				if err := s.Validate(); err != nil {
					t.Errorf("invalid signal: %v", err)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Screen mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRememberWithPersistentIndex(t *testing.T) {
	x, err := minhash.NewIndex(minhash.DefaultParams, minhash.NewMemoryStore(4))
	if err != nil {
		t.Fatal(err)
	}
	orig := Entry{DocID: "d1", PersonID: "p1", Name: "Jane Roe", Shingles: Shingles(text("career", 300))}
	first, err := NewDetector(Options{Index: x, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Add(t.Context(), orig); err != nil {
		t.Fatal(err)
	}
	// A restarted process shares the stored index but must be told who owns d1.
	second, err := NewDetector(Options{Index: x, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	copyOf := Entry{DocID: "d2", PersonID: "p2", Name: "Ivan Petrov", Shingles: orig.Shingles}
	if sigs, _ := second.Screen(t.Context(), copyOf); len(sigs) != 0 {
		t.Fatalf("unknown owner produced signals: %+v", sigs)
	}
	second.Remember(orig)
	third := Entry{DocID: "d3", PersonID: "p3", Name: "Li Wei", Shingles: orig.Shingles}
	if sigs, err := second.Screen(t.Context(), third); err != nil || len(sigs) != 4 {
		t.Errorf("after Remember: %d signals, %v; want 4 (d1 and d2 both match)", len(sigs), err)
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s + fmt.Sprintf(" filler%d", i)
	}
	return out
}

func TestCorpus(t *testing.T) {
	c := NewCorpus(2)
	a, b := Shingles(text("a", 10)), Shingles(text("b", 10))
	c.Add(a)
	c.Add(a)
	c.Add(append(a, a...))
	c.Add(b)
	if got := c.DocFreq(a[0]); got != 3 {
		t.Errorf("DocFreq = %d, want 3 (duplicates in one document count once)", got)
	}
	if got := len(c.Filter(append(a, b...))); got != len(b) {
		t.Errorf("Filter kept %d shingles, want %d", got, len(b))
	}
	c.SetDocFreq(b[0], 100)
	if !c.Boilerplate(b[0]) {
		t.Error("SetDocFreq did not make the shingle boilerplate")
	}
}

func TestWords(t *testing.T) {
	if diff := cmp.Diff([]string{"senior", "go", "engineer", "zurich", "2019", "2024"}, Words("Senior Go-Engineer (Zürich), 2019–2024")); diff != "" {
		t.Errorf("Words mismatch (-want +got):\n%s", diff)
	}
}

func TestHistoryPrint(t *testing.T) {
	hist := []Job{
		{Employer: "Acme Corp", Title: "Staff Engineer", StartYear: 2019},
		{Employer: "Globex, Inc.", Title: "Senior Engineer", StartYear: 2015, EndYear: 2019},
	}
	reordered := []Job{
		{Employer: "GLOBEX", Title: "senior engineer", StartYear: 2015, EndYear: 2019},
		{Employer: "acme corporation", Title: "Staff  Engineer", StartYear: 2019},
	}
	tests := []struct {
		name     string
		jobs     []Job
		sameAs   []Job
		want     bool // same print as sameAs
		wantOK   bool
		okSameAs bool
	}{
		{name: "formatting_and_order_ignored", jobs: hist, sameAs: reordered, want: true, wantOK: true, okSameAs: true},
		{name: "different_years", jobs: hist, wantOK: true, okSameAs: true, sameAs: []Job{hist[0], {Employer: "Globex", Title: "Senior Engineer", StartYear: 2016, EndYear: 2019}}},
		{name: "single_job_not_printed", jobs: hist[:1], sameAs: hist[:1]},
		{name: "empty_employer_not_printed", jobs: []Job{hist[0], {Title: "x", StartYear: 2010}}, sameAs: hist, okSameAs: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p1, ok1 := HistoryPrint(tt.jobs)
			p2, ok2 := HistoryPrint(tt.sameAs)
			if ok1 != tt.wantOK || ok2 != tt.okSameAs {
				t.Fatalf("ok = %v, %v; want %v, %v", ok1, ok2, tt.wantOK, tt.okSameAs)
			}
			if ok1 && ok2 && (p1 == p2) != tt.want {
				t.Errorf("prints %q and %q: equal = %v, want %v", p1, p2, p1 == p2, tt.want)
			}
		})
	}
}

func TestSignalExplanation(t *testing.T) {
	d := MustDetector(t, nil)
	orig := text("career", 300)
	if _, err := d.Screen(t.Context(), Entry{DocID: "d1", PersonID: "p1", Name: "Jane Roe", EventID: "ev1", Shingles: Shingles(orig)}); err != nil {
		t.Fatal(err)
	}
	sigs, err := d.Screen(t.Context(), Entry{DocID: "d2", PersonID: "p2", Name: "Ivan Petrov", EventID: "ev2", Shingles: Shingles(orig)})
	if err != nil || len(sigs) != 2 {
		t.Fatalf("Screen = %v, %v; want 2 signals", sigs, err)
	}
	want := unmask.Signal{
		PersonID: "p2", Indicator: "H-05", Detector: DetectorName, Severity: unmask.SeverityHigh, Weight: 0.9,
		EventIDs:    []string{"ev2", "ev1"},
		Explanation: "Résumé is a 100% near-copy of the résumé of another applicant under a different name.",
		Key:         "resume:d1", Time: fixedClock(), LastSeen: fixedClock(), Count: 1,
	}
	if diff := cmp.Diff(want, sigs[0]); diff != "" {
		t.Errorf("signal mismatch (-want +got):\n%s", diff)
	}
}
