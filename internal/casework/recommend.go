package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Action is a step Recommend suggests to a responder.
type Action string

// Actions.
const (
	ActionContinueCase      Action = "continue_case"
	ActionOpenCase          Action = "open_case"
	ActionScheduleSpotCheck Action = "schedule_spot_check"
	ActionReviewAlerts      Action = "review_alerts"
	ActionMonitor           Action = "monitor"
)

// Suggestion is one suggested step, why, and the cases, alerts or spot checks behind it.
type Suggestion struct {
	Action Action   `json:"action"`
	Reason string   `json:"reason"`
	Refs   []string `json:"refs,omitempty"`
}

// Recommendation is what Recommend suggests for a person. It is advice: nothing acts on it
// without a person's decision.
type Recommendation struct {
	PersonID    string          `json:"person_id"`
	Score       float64         `json:"score"`
	Band        unmask.RiskBand `json:"band,omitempty"`
	Suggestions []Suggestion    `json:"suggestions"`
}

// RecommendPolicy tunes Recommend.
type RecommendPolicy struct {
	// CaseBand is the lowest risk band at which opening a case is suggested.
	CaseBand unmask.RiskBand `yaml:"case_band" json:"case_band"`
	// CaseSeverity is the lowest severity of an alert without a case that suggests one.
	CaseSeverity unmask.Severity `yaml:"case_severity" json:"case_severity"`
	// SpotCheckBand is the lowest risk band at which a spot check is suggested.
	SpotCheckBand unmask.RiskBand `yaml:"spot_check_band" json:"spot_check_band"`
	// SpotCheckDays is how long a spot check counts as recent: a recent clean check makes
	// another unnecessary, and a recent refused, missed or failed one suggests a case.
	SpotCheckDays int `yaml:"spot_check_days" json:"spot_check_days"`
}

// DefaultRecommendPolicy suggests a case from the high band or a high-severity alert, and
// a spot check from the medium band unless one was done in the last 30 days.
func DefaultRecommendPolicy() RecommendPolicy {
	return RecommendPolicy{
		CaseBand: unmask.BandHigh, CaseSeverity: unmask.SeverityHigh,
		SpotCheckBand: unmask.BandMedium, SpotCheckDays: 30,
	}
}

// Situation is what Recommend knows about a person.
type Situation struct {
	PersonID string
	// Score is nil when none was computed.
	Score *unmask.RiskScore
	// Alerts are the person's alerts that are not closed.
	Alerts     []*unmask.Alert
	Cases      []*unmask.Case
	SpotChecks []*unmask.SpotCheck
}

// bandRank orders risk bands: 0 for low up to 3 for critical, -1 if unknown.
func bandRank(b unmask.RiskBand) int {
	switch b {
	case unmask.BandLow:
		return 0
	case unmask.BandMedium:
		return 1
	case unmask.BandHigh:
		return 2
	case unmask.BandCritical:
		return 3
	}
	return -1
}

// Recommend suggests next steps for a person at now. It is pure.
func (p RecommendPolicy) Recommend(now time.Time, sit Situation) Recommendation {
	r := Recommendation{PersonID: sit.PersonID}
	band := unmask.RiskBand("")
	if sit.Score != nil {
		r.Score, r.Band, band = sit.Score.Score, sit.Score.Band, sit.Score.Band
	}
	if open := openCases(sit.Cases); len(open) > 0 {
		r.Suggestions = append(r.Suggestions, Suggestion{Action: ActionContinueCase,
			Reason: fmt.Sprintf("%d case(s) already open; add evidence there.", len(open)), Refs: open})
	} else if reasons, refs := p.caseReasons(now, band, sit); len(reasons) > 0 {
		r.Suggestions = append(r.Suggestions, Suggestion{Action: ActionOpenCase,
			Reason: strings.Join(reasons, " "), Refs: refs})
	}
	if sg, ok := p.spotCheckSuggestion(now, band, sit.SpotChecks); ok {
		r.Suggestions = append(r.Suggestions, sg)
	}
	if loose := looseAlerts(sit.Alerts, ""); len(loose) > 0 && len(r.Suggestions) == 0 {
		r.Suggestions = append(r.Suggestions, Suggestion{Action: ActionReviewAlerts,
			Reason: fmt.Sprintf("%d open alert(s) without a case.", len(loose)), Refs: loose})
	}
	if len(r.Suggestions) == 0 {
		r.Suggestions = []Suggestion{{Action: ActionMonitor, Reason: "Nothing calls for action now."}}
	}
	return r
}

// caseReasons says why a case should be opened, and the alerts and checks behind it.
func (p RecommendPolicy) caseReasons(now time.Time, band unmask.RiskBand, sit Situation) (reasons, refs []string) {
	if bandRank(band) >= bandRank(p.CaseBand) && bandRank(band) >= 0 {
		reasons = append(reasons, fmt.Sprintf("Risk score %.0f is in the %s band.", sit.Score.Score, band))
	}
	if strong := looseAlerts(sit.Alerts, p.CaseSeverity); len(strong) > 0 {
		reasons = append(reasons, fmt.Sprintf("%d alert(s) of %s severity or more have no case.", len(strong), p.CaseSeverity))
		refs = append(refs, strong...)
	}
	since := now.AddDate(0, 0, -p.SpotCheckDays)
	for _, c := range sit.SpotChecks {
		if when := checkTime(c); when.Before(since) {
			continue
		}
		if what := troubling(c); what != "" {
			reasons = append(reasons, fmt.Sprintf("Spot check %s %s.", c.ID, what))
			refs = append(refs, c.ID)
		}
	}
	return reasons, refs
}

// spotCheckSuggestion suggests a spot check for a person in or above SpotCheckBand who has
// none scheduled and no clean one recently.
func (p RecommendPolicy) spotCheckSuggestion(now time.Time, band unmask.RiskBand, checks []*unmask.SpotCheck) (Suggestion, bool) {
	if bandRank(band) < bandRank(p.SpotCheckBand) || bandRank(band) < 0 {
		return Suggestion{}, false
	}
	since := now.AddDate(0, 0, -p.SpotCheckDays)
	for _, c := range checks {
		if c.Status == unmask.SpotCheckScheduled || clean(c) && !checkTime(c).Before(since) {
			return Suggestion{}, false
		}
	}
	return Suggestion{Action: ActionScheduleSpotCheck,
		Reason: fmt.Sprintf("Risk is %s and there is no clean on-camera check in the last %d days.", band, p.SpotCheckDays)}, true
}

// clean reports whether a spot check was done and every attestation held: the record of a
// pass, which raises no signal.
func clean(c *unmask.SpotCheck) bool {
	a := c.Attestation
	return c.Status == unmask.SpotCheckDone && a.IDMatched && a.SameLaptop && a.LocationConsistent
}

// troubling says what went wrong in a spot check, or "".
func troubling(c *unmask.SpotCheck) string {
	switch {
	case c.Status == unmask.SpotCheckRefused:
		return "was refused"
	case c.Status == unmask.SpotCheckMissed:
		return "was missed"
	case c.Status == unmask.SpotCheckDone && !clean(c):
		return "found an attestation that did not hold"
	}
	return ""
}

// checkTime is when a check happened, or was due.
func checkTime(c *unmask.SpotCheck) time.Time {
	if !c.CompletedAt.IsZero() {
		return c.CompletedAt
	}
	return c.DueAt
}

// openCases returns the ids of cases that are not closed.
func openCases(cases []*unmask.Case) []string {
	var out []string
	for _, c := range cases {
		if c.Status != unmask.CaseClosed {
			out = append(out, c.ID)
		}
	}
	return out
}

// looseAlerts returns the ids of open alerts without a case of at least severity least ("" for
// any).
func looseAlerts(alerts []*unmask.Alert, least unmask.Severity) []string {
	var out []string
	for _, a := range alerts {
		if a.Status != unmask.AlertClosed && a.CaseID == "" && (least == "" || a.Severity.Rank() >= least.Rank()) {
			out = append(out, a.ID)
		}
	}
	return out
}

// Recommend gathers a person's risk score, open alerts, cases and spot checks and returns
// what RecommendPolicy.Recommend suggests. It changes nothing.
func (s *Service) Recommend(ctx context.Context, personID string) (*Recommendation, error) {
	if _, err := responder(ctx); err != nil {
		return nil, err
	}
	sit, err := s.situation(ctx, personID)
	if err != nil {
		return nil, err
	}
	r := s.policy.Recommend(s.now(), sit)
	return &r, nil
}

// situation reads what Recommend needs.
func (s *Service) situation(ctx context.Context, personID string) (Situation, error) {
	sit := Situation{PersonID: personID}
	if _, err := s.people.FindPersonByID(ctx, personID); err != nil {
		return sit, fmt.Errorf("find person %s: %w", personID, err)
	}
	var err error
	if s.risk != nil {
		sit.Score, err = s.risk.FindRiskScore(ctx, personID)
		if unmask.ErrorCode(err) == unmask.ENOTFOUND {
			sit.Score, err = nil, nil
		}
		if err != nil {
			return sit, fmt.Errorf("find risk score of %s: %w", personID, err)
		}
	}
	if sit.Alerts, err = listAll(func(p unmask.Page) ([]*unmask.Alert, int, error) {
		return s.alerts.FindAlerts(ctx, unmask.AlertFilter{PersonID: &personID, Open: true, Page: p})
	}); err != nil {
		return sit, fmt.Errorf("find alerts of %s: %w", personID, err)
	}
	if sit.Cases, err = listAll(func(p unmask.Page) ([]*unmask.Case, int, error) {
		return s.cases.FindCases(ctx, unmask.CaseFilter{PersonID: &personID, Page: p})
	}); err != nil {
		return sit, fmt.Errorf("find cases of %s: %w", personID, err)
	}
	if s.spotChecks != nil {
		if sit.SpotChecks, err = listAll(func(p unmask.Page) ([]*unmask.SpotCheck, int, error) {
			return s.spotChecks.FindSpotChecks(ctx, unmask.SpotCheckFilter{PersonID: &personID, Page: p})
		}); err != nil {
			return sit, fmt.Errorf("find spot checks of %s: %w", personID, err)
		}
	}
	return sit, nil
}
