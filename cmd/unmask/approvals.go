package main

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/google/uuid"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/ruleset"
)

// FieldDepartment is the pseudo-field approvals add to every attributed event before the
// Sigma rules see it: the person's HR department.
const FieldDepartment = "person.department"

// approvalFilters turns the approvals that name rules into Sigma filters (meta rules that
// drop a rule's matches), one document per approval: "these rules do not match for people
// of this department". As filters they also keep the approved matches out of every
// correlation built on those rules (several remote-access tools, a tool after delivery).
// Nil when no approval names rules.
func approvalFilters(list []config.ApprovalConfig, now time.Time) fs.FS {
	var docs []string
	for i, a := range list {
		if len(a.Rules) == 0 || expired(a, now) {
			continue
		}
		var sel []string
		if a.Department != "" {
			sel = append(sel, fmt.Sprintf("    %s: %s", FieldDepartment, yamlQuote(a.Department)))
		}
		if len(sel) == 0 {
			sel = append(sel, "    person.id|exists: true")
		}
		id := uuid.NewSHA1(approvalNamespace, fmt.Appendf(nil, "%d|%s|%s", i, a.Department, strings.Join(a.Rules, ",")))
		refs := make([]string, len(a.Rules))
		for j, r := range a.Rules {
			refs[j] = "    - " + yamlQuote(r)
		}
		docs = append(docs, fmt.Sprintf("title: %s\nid: %s\nname: approval_%d\nstatus: stable\ndescription: From analytics.approvals in the configuration.\n"+
			"logsource: {product: unmask}\nfilter:\n  rules:\n%s\n  selection:\n%s\n  condition: selection\n",
			yamlQuote("Approved: "+a.Reason), id, i, strings.Join(refs, "\n"), strings.Join(sel, "\n")))
	}
	if len(docs) == 0 {
		return nil
	}
	return fstest.MapFS{"approvals.yml": {Data: []byte(strings.Join(docs, "---\n"))}}
}

// expired reports whether an approval's last day has passed. A filter is built when the
// rules load, so an approval that expires later stops at the next start.
func expired(a config.ApprovalConfig, now time.Time) bool {
	if a.Until == "" {
		return false
	}
	until, _ := time.Parse(time.DateOnly, a.Until) // validated by config
	return !now.Before(until.AddDate(0, 0, 1))
}

// approvalNamespace names the ids of the filters approvals become.
var approvalNamespace = uuid.MustParse("6c0f8e3a-2f4b-4c55-9a1e-7d3b2a9c5e10")

// yamlQuote quotes s as a YAML single-quoted scalar.
func yamlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ruleApproval is a configured approval that applies to every rule: by department and
// indicator, resolved once.
type ruleApproval struct {
	department, indicator string
	until                 time.Time
}

// approvedRules runs the Sigma rules with the person's department on each event (for the
// approval filters) and drops the signals of approvals that name no rules. It looks up
// each person's department once and again after HR records about them.
type approvedRules struct {
	detect.Detector
	db        store
	approvals []ruleApproval
	now       func() time.Time

	mu   sync.Mutex // guards dept
	dept map[string]string
}

// withApprovals wraps the rule detector for the configured approvals; the detector itself
// when none apply to rules. An approval naming an unknown rule is an error.
func withApprovals(d detect.Detector, set *ruleset.Set, db store, list []config.ApprovalConfig) (detect.Detector, error) {
	var out []ruleApproval
	applies := false
	for _, a := range list {
		if a.Value != "" { // analytics only
			continue
		}
		applies = true
		for _, ref := range a.Rules {
			if _, ok := set.Rule(ref); !ok {
				return nil, unmask.Errorf(unmask.EINVALID, "analytics.approvals: no rule %q (%s).", ref, a.Reason)
			}
		}
		if len(a.Rules) > 0 {
			continue // a filter in the rule set
		}
		ra := ruleApproval{department: a.Department, indicator: a.Indicator}
		if a.Until != "" {
			until, _ := time.Parse(time.DateOnly, a.Until) // validated by config
			ra.until = until.AddDate(0, 0, 1)
		}
		out = append(out, ra)
	}
	if !applies {
		return d, nil
	}
	return &approvedRules{Detector: d, db: db, approvals: out, now: time.Now, dept: map[string]string{}}, nil
}

// Detect runs the rules on the event with the person's department and drops the
// approved signals.
func (a *approvedRules) Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e.PersonID == "" {
		return a.Detector.Detect(ctx, e)
	}
	if e.Source == "hris" || e.Kind == unmask.KindHRChange {
		a.mu.Lock()
		delete(a.dept, e.PersonID) // the department may have changed
		a.mu.Unlock()
	}
	dept, err := a.department(ctx, e.PersonID)
	if err != nil {
		return nil, err
	}
	if dept != "" {
		if e.Fields == nil {
			e.Fields = map[string]string{}
		}
		e.Fields[FieldDepartment] = dept
	}
	sigs, err := a.Detector.Detect(ctx, e)
	if err != nil || len(sigs) == 0 {
		return sigs, err
	}
	now := a.now()
	return slices.DeleteFunc(sigs, func(s unmask.Signal) bool { return a.approved(s, dept, now) }), nil
}

func (a *approvedRules) approved(s unmask.Signal, dept string, now time.Time) bool {
	for _, ap := range a.approvals {
		switch {
		case !ap.until.IsZero() && now.After(ap.until):
		case ap.department != "" && !strings.EqualFold(ap.department, dept):
		case ap.indicator != "" && !strings.EqualFold(ap.indicator, s.Indicator):
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
