package risk

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/unmask/unmask"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }

// sig returns a full-strength signal of person p for indicator ind, observed age ago.
func sig(id, p, ind string, age time.Duration) unmask.Signal {
	return unmask.Signal{
		ID:          id,
		PersonID:    p,
		Indicator:   ind,
		Detector:    "analytics:test",
		Severity:    unmask.SeverityHigh,
		Weight:      1,
		EventIDs:    []string{"ev-" + id},
		Explanation: "Test evidence for " + ind + ".",
		Time:        t0.Add(-age),
		LastSeen:    t0.Add(-age),
		Count:       1,
	}
}

// indicatorIDs are the indicator IDs random tests draw from.
var indicatorIDs = []string{
	"H-01", "H-02", "H-04", "H-08", "H-13", "O-01", "O-02", "O-05", "O-09",
	"N-01", "N-02", "N-03", "N-06", "§3.1", "§3.2", "§3.3", "§3.4", "X-99",
}

// randomSignal draws a signal of person p with a random indicator, strength and age.
func randomSignal(r *rand.Rand, p string, n int) unmask.Signal {
	s := sig(fmt.Sprintf("%s-s%d", p, n), p, indicatorIDs[r.IntN(len(indicatorIDs))], days(r.Float64()*400))
	s.Weight = r.Float64()
	if r.IntN(4) == 0 {
		s.Weight = 0 // falls back to the severity strength
	}
	return s
}

// randomSignals draws n signals of person p.
func randomSignals(r *rand.Rand, p string, n int) []unmask.Signal {
	out := make([]unmask.Signal, n)
	for i := range out {
		out[i] = randomSignal(r, p, i)
	}
	return out
}

// randomSubject draws a person hired up to 400 days ago, or an applicant.
func randomSubject(r *rand.Rand, p string) Subject {
	if r.IntN(3) == 0 {
		return Subject{PersonID: p}
	}
	return Subject{PersonID: p, HireDate: t0.Add(-days(r.Float64() * 400))}
}
