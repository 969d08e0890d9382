package risk

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/unmasktest"
)

// flood returns n remote-access hits of person p in the days after age.
func flood(p string, n int, age float64) []unmask.Signal {
	out := make([]unmask.Signal, n)
	for i := range out {
		out[i] = sig(fmt.Sprintf("rmm-%02d", i), p, "§3.1", days(age-float64(i)/10))
	}
	return out
}

func TestScoreScenarios(t *testing.T) {
	newHire := Subject{PersonID: "p", HireDate: t0.Add(-days(30))}
	tenured := Subject{PersonID: "p", HireDate: t0.Add(-days(900))}
	applicant := Subject{PersonID: "p"}
	weak := sig("h01", "p", "H-01", days(10))
	weak.Weight = 0 // severity strength
	weak.Severity = unmask.SeverityLow
	tests := []struct {
		name     string
		subject  Subject
		signals  []unmask.Signal
		wantBand unmask.RiskBand
	}{
		{"no-signals", newHire, nil, unmask.BandLow},
		{"rmm-flood-new-hire", newHire, flood("p", 50, 20), unmask.BandMedium},
		{"laptop-farm-corroborated", newHire, []unmask.Signal{
			sig("o02", "p", "O-02", days(25)), sig("n03", "p", "N-03", days(3)),
			sig("kvm", "p", "§3.3", days(2)), sig("h13", "p", "H-13", days(60)),
		}, unmask.BandCritical},
		{"applicant-hiring-only", applicant, []unmask.Signal{
			sig("h02", "p", "H-02", days(2)), sig("h05", "p", "H-05", days(2)), weak,
		}, unmask.BandHigh},
		{"tenured-old-vpn", tenured, []unmask.Signal{sig("n02", "p", "N-02", days(200))}, unmask.BandLow},
		{"identity-owner-complaint-never-decays", tenured, []unmask.Signal{sig("o04", "p", "O-04", days(700))}, unmask.BandHigh},
		{"unknown-indicator", newHire, []unmask.Signal{sig("x", "p", "X-99", 0), sig("y", "p", "X-99", 0)}, unmask.BandLow},
		{"other-people-ignored", newHire, []unmask.Signal{sig("q1", "q", "O-04", 0)}, unmask.BandLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(DefaultConfig(), tt.subject, tt.signals, t0)
			if got.Band != tt.wantBand {
				t.Errorf("band %s (score %v), want %s", got.Band, got.Score, tt.wantBand)
			}
			unmasktest.GoldenJSON(t, filepath.Join("testdata", "score", tt.name+".golden.json"), got)
		})
	}
}

// TestFloodDoesNotOutweighIndependentEvidence: fifty remote-access hits score below three
// moderate signals from independent families.
func TestFloodDoesNotOutweighIndependentEvidence(t *testing.T) {
	sub := Subject{PersonID: "p", HireDate: t0.Add(-days(30))}
	cfg := DefaultConfig()
	hits := Score(cfg, sub, flood("p", 50, 10), t0)
	independent := Score(cfg, sub, []unmask.Signal{
		sig("n01", "p", "N-01", days(5)), sig("o01", "p", "O-01", days(20)), sig("h13", "p", "H-13", days(45)),
	}, t0)
	one := Score(cfg, sub, flood("p", 1, 10), t0)
	if hits.Score >= independent.Score {
		t.Errorf("50 RMM hits scored %v, not below independent evidence's %v", hits.Score, independent.Score)
	}
	if hits.Score > 2*one.Score {
		t.Errorf("50 RMM hits scored %v, more than twice one hit's %v", hits.Score, one.Score)
	}
}

func TestScoreStageAwareness(t *testing.T) {
	hired := t0.Add(-days(100))
	tests := []struct {
		name      string
		age       float64 // days before t0 the signal was seen
		wantStage Stage
		wantMul   float64
	}{
		{"before-hire", 120, StageApplicant, 1},
		{"day-one", 100, StageNewHire, 1.5},
		{"day-89", 11, StageNewHire, 1.5},
		{"day-90", 10, StageTenured, 0.8},
	}
	cfg := DefaultConfig()
	cfg.Families["endpoint"] = FamilyConfig{Cap: 40} // no decay, to isolate the stage
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := Subject{PersonID: "p", HireDate: hired}
			s := sig("s", "p", "§3.1", days(tt.age))
			if got := sub.StageAt(s.Time, cfg.NewHireDays); got != tt.wantStage {
				t.Fatalf("stage %s, want %s", got, tt.wantStage)
			}
			b := compute(&cfg, sub, []unmask.Signal{s}, t0)
			if got, want := b.indicators[0].points, min(15*tt.wantMul, 22.5); math.Abs(got-want) > 1e-9 {
				t.Fatalf("points %v, want %v", got, want)
			}
		})
	}
}

func TestScoreDecayHalfLife(t *testing.T) {
	tests := []struct {
		name  string
		ind   string
		age   float64
		wantF float64 // fraction of full points left
	}{
		{"network-fresh", "N-01", 0, 1},
		{"network-one-half-life", "N-01", 30, 0.5},
		{"network-two-half-lives", "N-01", 60, 0.25},
		{"hiring-one-year", "H-02", 365, 0.5},
		{"endpoint-45-days", "§3.2", 45, 0.5},
		{"no-decay-override", "O-04", 3000, 1},
		{"future-signal-not-boosted", "N-01", -5, 1},
	}
	cfg := DefaultConfig()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := Subject{PersonID: "p"} // applicant: stage multiplier 1
			b := compute(&cfg, sub, []unmask.Signal{sig("s", "p", tt.ind, days(tt.age))}, t0)
			want := cfg.Indicators[tt.ind].Weight * tt.wantF
			if got := b.indicators[0].points; math.Abs(got-want) > 1e-9 {
				t.Fatalf("points %v, want %v", got, want)
			}
		})
	}
}

func TestScoreDuplicateIDsCountOnce(t *testing.T) {
	cfg := DefaultConfig()
	sub := Subject{PersonID: "p"}
	s := sig("same", "p", "N-01", 0)
	weaker := s
	weaker.Weight = 0.2
	once := Score(cfg, sub, []unmask.Signal{s}, t0)
	twice := Score(cfg, sub, []unmask.Signal{s, s}, t0)
	replaced := Score(cfg, sub, []unmask.Signal{s, weaker}, t0)
	if once.Score != twice.Score {
		t.Errorf("a repeated signal changed the score from %v to %v", once.Score, twice.Score)
	}
	if replaced.Score >= once.Score {
		t.Errorf("the later, weaker copy did not replace the first: %v vs %v", replaced.Score, once.Score)
	}
}
