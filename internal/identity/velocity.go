package identity

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/unmask/unmask"
)

// DetectorVelocity names the detector of application-velocity signals.
const DetectorVelocity = "identity:application_velocity"

// Application is one application to one requisition.
type Application struct {
	PersonID      string
	RequisitionID string
	// Keys are the identity keys the application used (e-mail and phone keys); each is
	// counted on its own, so one e-mail behind many candidate records is caught.
	Keys []string
	// Display is the masked form of each key, in the order of Keys.
	Display []string
	Time    time.Time
	EventID string
}

// VelocityOptions configures VelocitySignals.
type VelocityOptions struct {
	// Window is the sliding window; zero means 7 days.
	Window time.Duration
	// Max is the most distinct requisitions one key may apply to within Window without a
	// signal; zero means 10.
	Max int
}

// VelocitySignals flags identity keys that applied to more than Max distinct requisitions
// within any Window (H-18). Each person who used the key gets one signal.
func VelocitySignals(apps []Application, opts VelocityOptions) []unmask.Signal {
	if opts.Window == 0 {
		opts.Window = 7 * 24 * time.Hour
	}
	if opts.Max == 0 {
		opts.Max = 10
	}
	byKey := make(map[string][]Application)
	display := make(map[string]string)
	for _, a := range apps {
		for i, k := range a.Keys {
			byKey[k] = append(byKey[k], a)
			if i < len(a.Display) {
				display[k] = a.Display[i]
			}
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []unmask.Signal
	for _, k := range keys {
		burst, n := peakWindow(byKey[k], opts.Window)
		if n <= opts.Max {
			continue
		}
		out = append(out, velocitySignals(k, display[k], burst, n, opts.Window)...)
	}
	return out
}

// peakWindow returns the applications of the window with the most distinct requisitions.
func peakWindow(apps []Application, window time.Duration) ([]Application, int) {
	slices.SortFunc(apps, func(a, b Application) int { return a.Time.Compare(b.Time) })
	var best []Application
	bestN := 0
	reqs := make(map[string]int)
	lo := 0
	for hi, a := range apps {
		reqs[a.RequisitionID]++
		for a.Time.Sub(apps[lo].Time) > window {
			if reqs[apps[lo].RequisitionID]--; reqs[apps[lo].RequisitionID] == 0 {
				delete(reqs, apps[lo].RequisitionID)
			}
			lo++
		}
		if len(reqs) > bestN {
			bestN, best = len(reqs), apps[lo:hi+1]
		}
	}
	return best, bestN
}

func velocitySignals(key, display string, burst []Application, n int, window time.Duration) []unmask.Signal {
	if display == "" {
		display = "(masked)"
	}
	people := make(map[string][]string)
	for _, a := range burst {
		if a.EventID != "" && !slices.Contains(people[a.PersonID], a.EventID) {
			people[a.PersonID] = append(people[a.PersonID], a.EventID)
		} else if _, ok := people[a.PersonID]; !ok {
			people[a.PersonID] = nil
		}
	}
	first, last := burst[0].Time, burst[len(burst)-1].Time
	days := int(window.Hours() / 24)
	var out []unmask.Signal
	for p, events := range people {
		slices.Sort(events)
		out = append(out, unmask.Signal{
			PersonID: p, Indicator: "H-18", Detector: DetectorVelocity,
			Severity: unmask.SeverityMedium, Weight: min(0.3+0.02*float64(n), 0.7),
			EventIDs: events,
			Explanation: fmt.Sprintf("Contact %s applied to %d requisitions within %d days (%d candidate records).",
				display, n, days, len(people)),
			Key: "velocity:" + key, Time: first, LastSeen: last, Count: n,
		})
	}
	slices.SortFunc(out, func(a, b unmask.Signal) int { return cmp.Compare(a.PersonID, b.PersonID) })
	return out
}
