package identity

import (
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Detector names of the consistency checks.
const (
	DetectorPhone     = "identity:phone_check"
	DetectorGeography = "identity:geography_check"
	DetectorProfile   = "identity:profile_check"
	DetectorNames     = "identity:name_consistency"
	DetectorInterview = "identity:interview_check"
	DetectorPayout    = "identity:payout_check"
)

// corroborationOnly lists detectors whose signals are too weak to act on alone.
var corroborationOnly = map[string]bool{DetectorGeography: true, DetectorProfile: true}

// NeedsCorroboration reports whether s may count only together with evidence from another
// detector (H-04 geography and H-06 profile heuristics match many honest applicants, such
// as immigrants with foreign degrees). Risk scoring should drop such a signal when it is a
// person's only evidence.
func NeedsCorroboration(s unmask.Signal) bool { return corroborationOnly[s.Detector] }

// Checker runs the per-person consistency checks. The zero value uses time.Now.
type Checker struct {
	// Now is the clock for signals whose input has no time.
	Now func() time.Time
}

// signal builds a signal with the checker's defaults.
func (c Checker) signal(person, indicator, detector string, sev unmask.Severity, weight float64, at time.Time, eventID, key, text string) unmask.Signal {
	if at.IsZero() {
		if c.Now != nil {
			at = c.Now()
		} else {
			at = time.Now()
		}
	}
	var events []string
	if eventID != "" {
		events = []string{eventID}
	}
	if corroborationOnly[detector] {
		text = strings.TrimSuffix(text, ".") + " (counts only with other evidence)."
	}
	return unmask.Signal{
		PersonID: person, Indicator: indicator, Detector: detector, Severity: sev, Weight: weight,
		EventIDs: events, Explanation: text, Key: key, Time: at, LastSeen: at, Count: 1,
	}
}

// regions maps countries to the broad regions H-04 compares; countries not listed are
// never judged.
var regions = func() map[string]string {
	m := map[string]string{"US": "North America", "CA": "North America"}
	for c := range strings.FieldsSeq("AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK") {
		m[c] = "Europe"
	}
	return m
}()

// Region returns the broad region of an ISO 3166-1 alpha-2 country ("North America",
// "Europe"), or "" for countries H-04 does not judge.
func Region(country string) string { return regions[strings.ToUpper(country)] }
