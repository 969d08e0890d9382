package risk_test

import (
	"fmt"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/risk"
)

// A new hire signs in through Astrill VPN and has an IP-KVM on the laptop a week after
// the laptop shipped to an address shared with another worker.
func ExampleScore() {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	hire := risk.Subject{PersonID: "p-17", HireDate: now.AddDate(0, 0, -20)}
	signal := func(id, indicator string, daysAgo int) unmask.Signal {
		t := now.AddDate(0, 0, -daysAgo)
		return unmask.Signal{ID: id, PersonID: "p-17", Indicator: indicator, Severity: unmask.SeverityHigh,
			Weight: 0.9, Time: t, LastSeen: t, EventIDs: []string{"ev-" + id}}
	}
	score := risk.Score(risk.DefaultConfig(), hire, []unmask.Signal{
		signal("s1", "N-01", 2), signal("s2", "§3.3", 5), signal("s3", "O-02", 12),
	}, now)
	fmt.Println(score.Score, score.Band)
	for _, r := range score.Reasons {
		fmt.Printf("%-13s %5.2f %v\n", r.Indicator, r.Points, r.SignalIDs)
	}
	// Output:
	// 93.27 critical
	// corroboration 26.65 [s1 s3 s2]
	// §3.3          25.92 [s2]
	// O-02          21.39 [s3]
	// N-01          19.31 [s1]
}
