package risk

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
)

func TestPreview(t *testing.T) {
	people := []Input{
		{Subject: Subject{PersonID: "vpn-traveller"}, Signals: []unmask.Signal{
			sig("v1", "vpn-traveller", "N-02", 0), sig("v2", "vpn-traveller", "N-06", 0),
		}},
		{Subject: Subject{PersonID: "rmm-admin"}, Signals: []unmask.Signal{sig("r1", "rmm-admin", "§3.1", 0)}},
		{Subject: Subject{PersonID: "quiet"}, Signals: nil},
	}
	alt := DefaultConfig()
	alt.Indicators["N-02"] = IndicatorWeight{Weight: 20}
	alt.Indicators["§3.1"] = IndicatorWeight{Weight: 4}
	got, err := Preview(people, DefaultConfig(), alt, t0)
	if err != nil {
		t.Fatal(err)
	}
	base := DefaultConfig()
	want := []Change{
		{
			PersonID: "vpn-traveller",
			OldRank:  2, OldScore: Score(base, people[0].Subject, people[0].Signals, t0).Score, OldBand: unmask.BandLow,
			NewRank: 1, NewScore: Score(alt, people[0].Subject, people[0].Signals, t0).Score, NewBand: unmask.BandMedium,
		},
		{
			PersonID: "rmm-admin",
			OldRank:  1, OldScore: Score(base, people[1].Subject, people[1].Signals, t0).Score, OldBand: unmask.BandMedium,
			NewRank: 2, NewScore: Score(alt, people[1].Subject, people[1].Signals, t0).Score, NewBand: unmask.BandLow,
		},
		{PersonID: "quiet", OldRank: 3, OldBand: unmask.BandLow, NewRank: 3, NewBand: unmask.BandLow},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Preview (-want +got):\n%s", diff)
	}
	if got[0].Moved() != 1 || got[1].Moved() != -1 || got[2].Moved() != 0 {
		t.Errorf("Moved() = %d, %d, %d, want 1, -1, 0", got[0].Moved(), got[1].Moved(), got[2].Moved())
	}
}

func TestPreviewRejectsInvalidConfig(t *testing.T) {
	bad := DefaultConfig()
	bad.Diminishing = 2
	if _, err := Preview(nil, DefaultConfig(), bad, t0); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Fatalf("Preview with bad alt = %v, want EINVALID", err)
	}
	if _, err := Preview(nil, bad, DefaultConfig(), t0); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Fatalf("Preview with bad base = %v, want EINVALID", err)
	}
}

func TestEnginePreviewLeavesScores(t *testing.T) {
	e, _ := MustEngine(t, nil)
	if _, err := e.Upsert(sig("a", "a", "N-02", 0), sig("b", "b", "§3.1", 0)); err != nil {
		t.Fatal(err)
	}
	before := e.Ranking()
	alt := DefaultConfig()
	alt.Indicators["N-02"] = IndicatorWeight{Weight: 40}
	changes, err := e.Preview(alt)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].PersonID != "a" || changes[0].OldRank != 2 {
		t.Fatalf("Preview = %+v, want a to move from 2 to 1", changes)
	}
	if diff := cmp.Diff(before, e.Ranking()); diff != "" {
		t.Errorf("Preview changed the engine's scores (-want +got):\n%s", diff)
	}
}

// BenchmarkPreview measures a what-if re-ranking of 1,000 people with 40 signals each.
func BenchmarkPreview(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	people := make([]Input, 1000)
	for i := range people {
		id := fmt.Sprintf("p%04d", i)
		people[i] = Input{Subject: randomSubject(r, id), Signals: randomSignals(r, id, 40)}
	}
	alt := DefaultConfig()
	alt.Indicators["N-02"] = IndicatorWeight{Weight: 20}
	base := DefaultConfig()
	for b.Loop() {
		if _, err := Preview(people, base, alt, t0); err != nil {
			b.Fatal(err)
		}
	}
}
