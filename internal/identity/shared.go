package identity

import (
	"fmt"
	"slices"
	"time"

	"github.com/unmask/unmask"
)

// DetectorShared names the detector of shared-identifier signals.
const DetectorShared = "identity:shared_identifier"

// shareRule says what sharing one kind of identifier means.
type shareRule struct {
	indicator string
	// employeeIndicator replaces indicator when a holder is an employee or contractor.
	employeeIndicator string
	severity          unmask.Severity
	weight            float64
	label             string
	// household: a household may share this kind legitimately.
	household bool
	// minNames is the number of differently named holders needed; 0 means 2.
	minNames func(o Options) int
}

var shareRules = map[unmask.IdentifierKind]shareRule{
	unmask.IdentEmail:          {indicator: "H-02", severity: unmask.SeverityHigh, weight: 0.7, label: "E-mail", household: true},
	unmask.IdentPhone:          {indicator: "H-02", severity: unmask.SeverityHigh, weight: 0.6, label: "Phone", household: true},
	unmask.IdentAddress:        {indicator: "H-02", severity: unmask.SeverityMedium, weight: 0.4, label: "Address", household: true, minNames: func(o Options) int { return o.MinAddressNames }},
	KindBuilding:               {indicator: "H-02", severity: unmask.SeverityLow, weight: 0.2, label: "Building", household: true, minNames: func(o Options) int { return o.MinBuildingNames }},
	unmask.IdentShipToAddress:  {indicator: "O-02", severity: unmask.SeverityHigh, weight: 0.8, label: "Ship-to address", household: true},
	unmask.IdentBankAccount:    {indicator: "H-02", employeeIndicator: "O-03", severity: unmask.SeverityCritical, weight: 0.9, label: "Bank account", household: true},
	unmask.IdentGitHubLogin:    {indicator: "H-02", severity: unmask.SeverityHigh, weight: 0.7, label: "GitHub account"},
	unmask.IdentLinkedInHandle: {indicator: "H-02", severity: unmask.SeverityHigh, weight: 0.6, label: "LinkedIn profile"},
	unmask.IdentGovernmentID:   {indicator: "O-04", severity: unmask.SeverityCritical, weight: 0.9, label: "Government ID"},
	unmask.IdentMFADevice:      {indicator: "O-07", severity: unmask.SeverityHigh, weight: 0.8, label: "MFA device"},
	unmask.IdentDeviceSerial:   {indicator: "O-05", severity: unmask.SeverityMedium, weight: 0.5, label: "Device serial"},
	unmask.IdentPhotoHash:      {indicator: "H-08", severity: unmask.SeverityHigh, weight: 0.7, label: "Photo"},
	unmask.IdentResumePrint:    {indicator: "H-05", severity: unmask.SeverityHigh, weight: 0.6, label: "Résumé fingerprint"},
}

// SharedSignals returns one signal per person and shared identifier, for identifiers held
// by people under different names. Lineages (one name) and households are left out, and so
// are kinds that mean nothing when shared (hostnames, IdP logins).
func (g *Graph) SharedSignals() []unmask.Signal {
	var out []unmask.Signal
	for _, k := range g.sortedGroups() {
		rule, ok := shareRules[k.kind]
		if !ok {
			continue
		}
		groups := g.nameGroups(g.groups[k])
		minNames := 2
		if rule.minNames != nil {
			minNames = rule.minNames(g.opts)
		}
		if len(groups) < minNames || (rule.household && g.household(groups)) {
			continue
		}
		out = append(out, g.groupSignals(k, rule, groups)...)
	}
	return out
}

func (g *Graph) groupSignals(k groupKey, rule shareRule, groups [][]Ident) []unmask.Signal {
	all := slices.Concat(groups...)
	first, last, events := span(all)
	if first.IsZero() {
		first = g.opts.Now()
		last = first
	}
	indicator := rule.indicator
	if rule.employeeIndicator != "" && slices.ContainsFunc(all, func(id Ident) bool { return g.worker(id.PersonID) }) {
		indicator = rule.employeeIndicator
	}
	var out []unmask.Signal
	for gi, grp := range groups {
		others := otherIDs(groups, gi)
		sev := rule.severity
		if rule.indicator == "H-02" && slices.ContainsFunc(others, g.worker) && sev.Rank() < unmask.SeverityHigh.Rank() {
			sev = unmask.SeverityHigh
		}
		for _, id := range grp {
			out = append(out, unmask.Signal{
				PersonID:    id.PersonID,
				Indicator:   indicator,
				Detector:    DetectorShared,
				Severity:    sev,
				Weight:      rule.weight,
				EventIDs:    events,
				Explanation: sharedExplanation(rule.label, displayOf(all), others),
				Key:         "shared:" + string(k.kind) + ":" + k.key,
				Time:        first,
				LastSeen:    last,
				Count:       len(others),
			})
		}
	}
	return out
}

func (g *Graph) worker(personID string) bool {
	p := g.people[personID]
	return p != nil && (p.Kind == unmask.PersonEmployee || p.Kind == unmask.PersonContractor)
}

func otherIDs(groups [][]Ident, skip int) []string {
	var ids []string
	for i, grp := range groups {
		if i == skip {
			continue
		}
		for _, id := range grp {
			ids = append(ids, id.PersonID)
		}
	}
	slices.Sort(ids)
	return ids
}

func span(ids []Ident) (first, last time.Time, events []string) {
	for _, id := range ids {
		if !id.Seen.IsZero() && (first.IsZero() || id.Seen.Before(first)) {
			first = id.Seen
		}
		if id.Seen.After(last) {
			last = id.Seen
		}
		if id.EventID != "" && !slices.Contains(events, id.EventID) {
			events = append(events, id.EventID)
		}
	}
	slices.Sort(events)
	return first, last, events
}

func displayOf(ids []Ident) string {
	for _, id := range ids {
		if id.Display != "" {
			return id.Display
		}
	}
	return "(masked)"
}

func sharedExplanation(label, display string, others []string) string {
	noun := "person"
	if len(others) != 1 {
		noun = "people"
	}
	// The others are named on the person page (linked identities), masked to the
	// viewer's role; the sentence stays readable and carries no identifiers.
	return fmt.Sprintf("%s %s is also held by %d other %s under a different name.", label, display, len(others), noun)
}
