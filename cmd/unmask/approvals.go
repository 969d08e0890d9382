package main

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/ruleset"
)

// ruleApproval is a configured approval resolved against the rule set.
type ruleApproval struct {
	department, indicator string
	ruleIDs               []string // empty: any rule
	until                 time.Time
	reason                string
}

// approvedRules drops the signals of Sigma rules that an approval covers: the IT
// department's sanctioned remote-support tool raises nothing for IT staff. It looks up
// each person's department once and again after HR records about them.
type approvedRules struct {
	detect.Detector
	db        store
	approvals []ruleApproval
	now       func() time.Time

	mu   sync.Mutex // guards dept
	dept map[string]string
}

// withApprovals wraps the rule detector with the approvals that apply to rules; the
// detector itself when none do. An approval naming an unknown rule is an error.
func withApprovals(d detect.Detector, set *ruleset.Set, db store, list []config.ApprovalConfig) (detect.Detector, error) {
	var out []ruleApproval
	for _, a := range list {
		if a.Value != "" { // analytics only
			continue
		}
		ra := ruleApproval{department: a.Department, indicator: a.Indicator, reason: a.Reason}
		for _, ref := range a.Rules {
			r, ok := set.Rule(ref)
			if !ok {
				return nil, unmask.Errorf(unmask.EINVALID, "analytics.approvals: no rule %q (%s).", ref, a.Reason)
			}
			ra.ruleIDs = append(ra.ruleIDs, r.ID)
		}
		if a.Until != "" {
			until, _ := time.Parse(time.DateOnly, a.Until) // validated by config
			ra.until = until.AddDate(0, 0, 1)
		}
		out = append(out, ra)
	}
	if len(out) == 0 {
		return d, nil
	}
	return &approvedRules{Detector: d, db: db, approvals: out, now: time.Now, dept: map[string]string{}}, nil
}

// Detect runs the rules and drops the approved signals.
func (a *approvedRules) Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e.PersonID != "" && (e.Source == "hris" || e.Kind == unmask.KindHRChange) {
		a.mu.Lock()
		delete(a.dept, e.PersonID) // the department may have changed
		a.mu.Unlock()
	}
	sigs, err := a.Detector.Detect(ctx, e)
	if err != nil || len(sigs) == 0 {
		return sigs, err
	}
	dept, err := a.department(ctx, e.PersonID)
	if err != nil {
		return nil, err
	}
	now := a.now()
	return slices.DeleteFunc(sigs, func(s unmask.Signal) bool { return a.approved(s, dept, now) }), nil
}

func (a *approvedRules) approved(s unmask.Signal, dept string, now time.Time) bool {
	rule := strings.TrimPrefix(s.Detector, ruleset.DetectorPrefix)
	for _, ap := range a.approvals {
		switch {
		case !ap.until.IsZero() && now.After(ap.until):
		case ap.department != "" && !strings.EqualFold(ap.department, dept):
		case ap.indicator != "" && !strings.EqualFold(ap.indicator, s.Indicator):
		case len(ap.ruleIDs) > 0 && !slices.Contains(ap.ruleIDs, rule):
		default:
			return true
		}
	}
	return false
}

// department returns a person's HR department, cached.
func (a *approvedRules) department(ctx context.Context, personID string) (string, error) {
	a.mu.Lock()
	d, ok := a.dept[personID]
	a.mu.Unlock()
	if ok {
		return d, nil
	}
	p, err := a.db.FindPersonByID(ctx, personID)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	if len(a.dept) > 100_000 { // bounded: start over rather than grow without end
		clear(a.dept)
	}
	a.dept[personID] = p.Department
	a.mu.Unlock()
	return p.Department, nil
}
