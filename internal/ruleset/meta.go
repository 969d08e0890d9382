package ruleset

import (
	"fmt"
	"slices"
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
)

// CustomKey is the top-level block of a rule file holding Unmask's own metadata:
// indicators (THREAT.md ids, the first one the signal's) and source.
const CustomKey = "unmask"

// FallbackIndicator is the indicator of signals from rules that name none, such as
// SigmaHQ rules a user adds. internal/risk weighs ids it does not know with its default
// weight in family "other", which its default configuration caps lowest, so third-party
// rules add little to a score until corroborated; all of them share this one indicator,
// so their repeats diminish together. Give a rule an unmask.indicators block, or the
// risk configuration an entry for "sigma", to weigh it more.
const FallbackIndicator = "sigma"

// DetectorPrefix starts the Detector of every signal: "sigma:<rule id>".
const DetectorPrefix = "sigma:"

// levelWeights gives a signal's weight by its rule's level: the risk engine's default
// strength per severity.
var levelWeights = map[unmask.Severity]float64{
	unmask.SeverityInfo:     0.1,
	unmask.SeverityLow:      0.25,
	unmask.SeverityMedium:   0.5,
	unmask.SeverityHigh:     0.75,
	unmask.SeverityCritical: 1,
}

// Severity returns the severity of a Sigma level; a missing or unknown level is medium.
func Severity(level string) unmask.Severity {
	if s := unmask.Severity(strings.ToLower(strings.TrimSpace(level))); s.Valid() {
		return s
	}
	return unmask.SeverityMedium
}

// newEntry builds the metadata of a rule. A malformed unmask block is an error, and the
// rule still gets an entry, with FallbackIndicator.
func newEntry(r *sigma.Rule, origin string) (*entry, error) {
	ind, err := Indicators(r)
	sev := Severity(r.Level)
	en := &entry{rule: r, indicator: FallbackIndicator, weight: levelWeights[sev], meta: unmask.Rule{
		ID: r.ID, Title: r.Title, Description: strings.TrimSpace(r.Description), Level: sev,
		Status: r.Status, Indicators: ind, Tags: r.Tags, Origin: origin, Path: r.Path,
	}}
	if len(ind) > 0 {
		en.indicator = ind[0]
	}
	return en, err
}

// Indicators returns the indicator ids of a rule's unmask block: a list of strings, or
// one string.
func Indicators(r *sigma.Rule) ([]string, error) {
	block, ok := r.Custom[CustomKey]
	if !ok || block == nil {
		return nil, nil
	}
	m, ok := block.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s must be a mapping", CustomKey)
	}
	bad := fmt.Errorf("%s.indicators must be a list of indicator ids", CustomKey)
	var out []string
	switch v := m["indicators"].(type) {
	case nil:
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, bad
			}
			out = append(out, s)
		}
	default:
		return nil, bad
	}
	for _, s := range out {
		if strings.TrimSpace(s) == "" {
			return nil, bad
		}
	}
	return out, nil
}

// Metadata returns the metadata of every rule that raises signals, in load order, with
// Enabled as the set applies it now.
func (s *Set) Metadata() []unmask.Rule {
	st := s.cur.Load()
	out := make([]unmask.Rule, len(st.entries))
	for i, en := range st.entries {
		out[i] = en.metadata(s.Enabled(en.meta.ID))
	}
	return out
}

// Rule returns the metadata of a rule by id or name.
func (s *Set) Rule(ref string) (unmask.Rule, bool) {
	en := s.cur.Load().byRef[ref]
	if en == nil {
		return unmask.Rule{}, false
	}
	return en.metadata(s.Enabled(en.meta.ID)), true
}

// metadata returns a copy of the entry's metadata.
func (en *entry) metadata(enabled bool) unmask.Rule {
	r := en.meta
	r.Indicators, r.Tags = slices.Clone(r.Indicators), slices.Clone(r.Tags)
	r.Enabled = enabled
	return r
}
