package risk

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/unmask/unmask"
)

// seeds are the fixed seeds of the property tests; each runs 200 random cases per seed.
var seeds = []uint64{1, 2, 3, 42, 2026}

func forSeeds(tb testing.TB, f func(r *rand.Rand)) {
	tb.Helper()
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, seed^0x5eed))
		for range 200 {
			f(r)
		}
	}
}

func TestPropertyMonotoneInEvidence(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		sub := randomSubject(r, "p")
		signals := randomSignals(r, "p", r.IntN(30))
		before := Score(cfg, sub, signals, t0)
		more := append(slices.Clone(signals), randomSignal(r, "p", len(signals)))
		after := Score(cfg, sub, more, t0)
		if after.Score < before.Score {
			t.Fatalf("adding %+v lowered the score from %v to %v", more[len(more)-1], before.Score, after.Score)
		}
	})
}

func TestPropertyStrongerSignalNeverLowers(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		sub := randomSubject(r, "p")
		signals := randomSignals(r, "p", 1+r.IntN(20))
		before := Score(cfg, sub, signals, t0)
		i := r.IntN(len(signals))
		base := signals[i].Weight
		if base == 0 { // 0 means "use the severity's strength"
			base = cfg.Severity[signals[i].Severity]
		}
		signals[i].Weight = min(1, base+r.Float64())
		signals[i].LastSeen = t0 // seen again now: fresher
		if after := Score(cfg, sub, signals, t0); after.Score < before.Score {
			t.Fatalf("strengthening signal %d lowered the score from %v to %v", i, before.Score, after.Score)
		}
	})
}

func TestPropertyCapsHold(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		sub := randomSubject(r, "p")
		b := compute(&cfg, sub, randomSignals(r, "p", r.IntN(200)), t0)
		for _, is := range b.indicators {
			if c := indicatorCap(is.weight); is.points > c+1e-9 {
				t.Fatalf("indicator %s gave %v points over its cap %v", is.key, is.points, c)
			}
		}
		for _, fs := range b.families {
			if c := cfg.Families[fs.name].Cap; fs.points > c+1e-9 {
				t.Fatalf("family %s gave %v points over its cap %v", fs.name, fs.points, c)
			}
		}
	})
}

func TestPropertyManyHitsOfOneIndicatorStayCapped(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		n := 1 + r.IntN(100)
		var hits []unmask.Signal
		for i := range n {
			hits = append(hits, sig(string(rune('a'+i%26))+string(rune('a'+i/26)), "p", "§3.1", 0))
		}
		got := Score(cfg, Subject{PersonID: "p"}, hits, t0).Score
		limit := 100 * (1 - math.Exp(-indicatorCap(cfg.Indicators["§3.1"])/cfg.Scale))
		if got > round2(limit)+0.01 {
			t.Fatalf("%d remote-access hits scored %v, above the indicator cap's %v", n, got, limit)
		}
	})
}

func TestPropertyDecay(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		sub := randomSubject(r, "p")
		signals := randomSignals(r, "p", 1+r.IntN(20))
		now := Score(cfg, sub, signals, t0)
		later := Score(cfg, sub, signals, t0.Add(days(1+r.Float64()*300)))
		if later.Score > now.Score {
			t.Fatalf("score rose with time alone, from %v to %v", now.Score, later.Score)
		}
	})
}

func TestPropertyReasonsAddUpToScore(t *testing.T) {
	cfg := DefaultConfig()
	forSeeds(t, func(r *rand.Rand) {
		sub := randomSubject(r, "p")
		s := Score(cfg, sub, randomSignals(r, "p", r.IntN(40)), t0)
		sum := 0.0
		for i, rr := range s.Reasons {
			sum += rr.Points
			if i > 0 && rr.Points > s.Reasons[i-1].Points {
				t.Fatalf("reasons not ordered by points: %v after %v", rr.Points, s.Reasons[i-1].Points)
			}
			if len(rr.SignalIDs) == 0 || rr.Explanation == "" {
				t.Fatalf("reason %s has no signals or no explanation", rr.Indicator)
			}
		}
		if math.Abs(sum-s.Score) > 0.01*float64(len(s.Reasons))+1e-9 {
			t.Fatalf("reasons add up to %v, score is %v", sum, s.Score)
		}
		if s.Band != cfg.Bands.Band(s.Score) || s.Score < 0 || s.Score > 100 {
			t.Fatalf("score %v has band %s", s.Score, s.Band)
		}
	})
}

// TestPropertyCorroboration checks that the same points spread over independent families
// score higher than in one family, by exactly the corroboration multiplier.
func TestPropertyCorroboration(t *testing.T) {
	cfg := DefaultConfig()
	// Four indicators with equal weight in four families.
	for _, id := range []string{"H-02", "O-05", "N-01", "§3.2"} {
		cfg.Indicators[id] = IndicatorWeight{Weight: 20}
	}
	cfg.Indicators["N-03"] = IndicatorWeight{Weight: 20}
	cfg.Indicators["N-13"] = IndicatorWeight{Weight: 20}
	cfg.Indicators["N-12"] = IndicatorWeight{Weight: 20}
	forSeeds(t, func(r *rand.Rand) {
		n := 2 + r.IntN(3)
		strength := 0.3 + 0.7*r.Float64()
		spread := []string{"N-01", "H-02", "O-05", "§3.2"}[:n]
		same := []string{"N-01", "N-03", "N-13", "N-12"}[:n]
		var a, b []unmask.Signal
		for i := range n {
			sa, sb := sig("a"+spread[i], "p", spread[i], 0), sig("b"+same[i], "p", same[i], 0)
			sa.Weight, sb.Weight = strength, strength
			a, b = append(a, sa), append(b, sb)
		}
		ba := compute(&cfg, Subject{PersonID: "p"}, a, t0)
		bb := compute(&cfg, Subject{PersonID: "p"}, b, t0)
		want := 1 + cfg.Corroboration.Bonus*float64(n-1)
		if math.Abs(ba.multiplier-want) > 1e-9 || bb.multiplier != 1 {
			t.Fatalf("multipliers %v (spread) and %v (one family), want %v and 1", ba.multiplier, bb.multiplier, want)
		}
		if ba.total <= bb.total {
			t.Fatalf("spread evidence total %v not above one-family total %v", ba.total, bb.total)
		}
	})
}

func TestCorroborationSources(t *testing.T) {
	signals := []unmask.Signal{
		sig("h", "p", "H-02", 0), sig("o", "p", "O-02", 0), sig("n", "p", "N-01", 0),
	}
	tests := []struct {
		name    string
		sources map[string]string
		want    float64
	}{
		{"each-family-its-own", nil, 1.4},
		{"hr-as-one-source", map[string]string{"hiring": "hr", "onboarding": "hr"}, 1.2},
		{"all-one-source", map[string]string{"hiring": "x", "onboarding": "x", "network": "x"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Corroboration.Sources = tt.sources
			b := compute(&cfg, Subject{PersonID: "p"}, signals, t0)
			if math.Abs(b.multiplier-tt.want) > 1e-9 {
				t.Fatalf("multiplier %v, want %v", b.multiplier, tt.want)
			}
		})
	}
}
