package spotcheck

import (
	"fmt"
	"time"

	"github.com/unmask/unmask"
)

// Detector names the detector of spot-check signals.
const Detector = "spotcheck"

// finding is one outcome of a check that raises a signal.
type finding struct {
	name      string // in the signal key
	indicator string
	severity  unmask.Severity
	weight    float64
	explain   string // a sentence; %s is the due time
}

var (
	findRefused  = finding{"refused", "H-11", unmask.SeverityHigh, 0.8, "Refused the on-camera spot check due %s."}
	findMissed   = finding{"missed", "H-11", unmask.SeverityMedium, 0.4, "Did not attend the on-camera spot check due %s, and no result was recorded."}
	findIdentity = finding{"identity", "O-04", unmask.SeverityCritical, 1, "On the spot check due %s, the person on camera did not match their identity document."}
	findLaptop   = finding{"laptop", "O-05", unmask.SeverityHigh, 0.8, "On the spot check due %s, the worker was not using the managed laptop shipped to them."}
	findLocation = finding{"location", "H-19", unmask.SeverityMedium, 0.6, "On the spot check due %s, the worker's surroundings did not fit their claimed location."}
)

// Signals returns the signals a check's outcome raises at now: none for a scheduled,
// cancelled or clean check. See the package documentation for the mapping.
func Signals(c *unmask.SpotCheck, now time.Time) []unmask.Signal {
	var found []finding
	switch c.Status {
	case unmask.SpotCheckRefused:
		found = []finding{findRefused}
	case unmask.SpotCheckMissed:
		found = []finding{findMissed}
	case unmask.SpotCheckDone:
		a := c.Attestation
		if !a.IDMatched {
			found = append(found, findIdentity)
		}
		if !a.SameLaptop {
			found = append(found, findLaptop)
		}
		if !a.LocationConsistent {
			found = append(found, findLocation)
		}
	}
	at := c.CompletedAt
	if at.IsZero() {
		at = now
	}
	out := make([]unmask.Signal, 0, len(found))
	for _, f := range found {
		out = append(out, unmask.Signal{
			PersonID: c.PersonID, Indicator: f.indicator, Detector: Detector, Severity: f.severity,
			Weight: f.weight, Explanation: fmt.Sprintf(f.explain, c.DueAt.UTC().Format("2006-01-02 15:04 MST")),
			Key: "spotcheck:" + c.ID + ":" + f.name, Time: at, LastSeen: at, Count: 1,
		})
	}
	return out
}

// Clean reports whether a check was done and every attestation held. A clean check raises
// no signal; its record is the evidence of the pass.
func Clean(c *unmask.SpotCheck) bool {
	a := c.Attestation
	return c.Status == unmask.SpotCheckDone && a.IDMatched && a.SameLaptop && a.LocationConsistent
}
