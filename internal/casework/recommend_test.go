package casework_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

func TestRecommendPolicy(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	score := func(s float64, b unmask.RiskBand) *unmask.RiskScore {
		return &unmask.RiskScore{PersonID: "p", Score: s, Band: b}
	}
	alert := func(id string, sev unmask.Severity, caseID string) *unmask.Alert {
		return &unmask.Alert{ID: id, PersonID: "p", Concern: "N-01", Severity: sev, Status: unmask.AlertOpen, CaseID: caseID}
	}
	check := func(id string, st unmask.SpotCheckStatus, daysAgo int, a unmask.Attestation) *unmask.SpotCheck {
		c := &unmask.SpotCheck{ID: id, PersonID: "p", Status: st, DueAt: now.AddDate(0, 0, -daysAgo), Attestation: a}
		if st == unmask.SpotCheckDone {
			c.CompletedAt = c.DueAt
		}
		return c
	}
	pass := unmask.Attestation{IDMatched: true, SameLaptop: true, LocationConsistent: true}
	tests := []struct {
		name string
		sit  casework.Situation
		want []casework.Suggestion
	}{
		{"nothing-known", casework.Situation{}, []casework.Suggestion{{Action: casework.ActionMonitor, Reason: "Nothing calls for action now."}}},
		{"low-risk", casework.Situation{Score: score(10, unmask.BandLow)}, []casework.Suggestion{{Action: casework.ActionMonitor, Reason: "Nothing calls for action now."}}},
		{"medium-risk-unchecked", casework.Situation{Score: score(30, unmask.BandMedium)}, []casework.Suggestion{
			{Action: casework.ActionScheduleSpotCheck, Reason: "Risk is medium and there is no clean on-camera check in the last 30 days."}}},
		{"medium-risk-recent-pass", casework.Situation{Score: score(30, unmask.BandMedium),
			SpotChecks: []*unmask.SpotCheck{check("s1", unmask.SpotCheckDone, 3, pass)}},
			[]casework.Suggestion{{Action: casework.ActionMonitor, Reason: "Nothing calls for action now."}}},
		{"medium-risk-old-pass", casework.Situation{Score: score(30, unmask.BandMedium),
			SpotChecks: []*unmask.SpotCheck{check("s1", unmask.SpotCheckDone, 60, pass)}}, []casework.Suggestion{
			{Action: casework.ActionScheduleSpotCheck, Reason: "Risk is medium and there is no clean on-camera check in the last 30 days."}}},
		{"medium-risk-check-scheduled", casework.Situation{Score: score(30, unmask.BandMedium),
			SpotChecks: []*unmask.SpotCheck{check("s1", unmask.SpotCheckScheduled, -2, unmask.Attestation{})}},
			[]casework.Suggestion{{Action: casework.ActionMonitor, Reason: "Nothing calls for action now."}}},
		{"high-risk", casework.Situation{Score: score(62, unmask.BandHigh)}, []casework.Suggestion{
			{Action: casework.ActionOpenCase, Reason: "Risk score 62 is in the high band."},
			{Action: casework.ActionScheduleSpotCheck, Reason: "Risk is high and there is no clean on-camera check in the last 30 days."}}},
		{"high-alert-low-risk", casework.Situation{Score: score(12, unmask.BandLow),
			Alerts: []*unmask.Alert{alert("a1", unmask.SeverityCritical, ""), alert("a2", unmask.SeverityLow, "")}}, []casework.Suggestion{
			{Action: casework.ActionOpenCase, Reason: "1 alert(s) of high severity or more have no case.", Refs: []string{"a1"}}}},
		{"low-alerts-only", casework.Situation{Alerts: []*unmask.Alert{alert("a2", unmask.SeverityLow, "")}}, []casework.Suggestion{
			{Action: casework.ActionReviewAlerts, Reason: "1 open alert(s) without a case.", Refs: []string{"a2"}}}},
		{"refused-check", casework.Situation{Score: score(20, unmask.BandLow),
			SpotChecks: []*unmask.SpotCheck{check("s1", unmask.SpotCheckRefused, 2, unmask.Attestation{})}}, []casework.Suggestion{
			{Action: casework.ActionOpenCase, Reason: "Spot check s1 was refused.", Refs: []string{"s1"}}}},
		{"failed-attestation", casework.Situation{SpotChecks: []*unmask.SpotCheck{
			check("s1", unmask.SpotCheckDone, 2, unmask.Attestation{IDMatched: true, LocationConsistent: true})}}, []casework.Suggestion{
			{Action: casework.ActionOpenCase, Reason: "Spot check s1 found an attestation that did not hold.", Refs: []string{"s1"}}}},
		{"old-miss-ignored", casework.Situation{SpotChecks: []*unmask.SpotCheck{check("s1", unmask.SpotCheckMissed, 90, unmask.Attestation{})}},
			[]casework.Suggestion{{Action: casework.ActionMonitor, Reason: "Nothing calls for action now."}}},
		{"case-already-open", casework.Situation{Score: score(80, unmask.BandCritical),
			Cases:  []*unmask.Case{{ID: "c1", Status: unmask.CaseInvestigating}, {ID: "c0", Status: unmask.CaseClosed}},
			Alerts: []*unmask.Alert{alert("a1", unmask.SeverityCritical, "")}}, []casework.Suggestion{
			{Action: casework.ActionContinueCase, Reason: "1 case(s) already open; add evidence there.", Refs: []string{"c1"}},
			{Action: casework.ActionScheduleSpotCheck, Reason: "Risk is critical and there is no clean on-camera check in the last 30 days."}}},
	}
	p := casework.DefaultRecommendPolicy()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Recommend(now, tt.sit)
			if diff := cmp.Diff(tt.want, got.Suggestions); diff != "" {
				t.Errorf("suggestions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecommendFromStore(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	ctx := context.Background()
	if err := e.db.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: p.ID, Score: 55, Band: unmask.BandHigh, ComputedAt: start}); err != nil {
		t.Fatal(err)
	}
	a := e.alert(t, p.ID, "N-01", unmask.SeverityHigh, e.signal(t, p.ID, "N-01"))
	r, err := e.svc.Recommend(e.as(unmask.RoleHR), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []casework.Suggestion{
		{Action: casework.ActionOpenCase, Reason: "Risk score 55 is in the high band. 1 alert(s) of high severity or more have no case.", Refs: []string{a.ID}},
		{Action: casework.ActionScheduleSpotCheck, Reason: "Risk is high and there is no clean on-camera check in the last 30 days."},
	}
	if diff := cmp.Diff(want, r.Suggestions); diff != "" {
		t.Errorf("suggestions (-want +got):\n%s", diff)
	}
	if _, err := e.svc.OpenFromAlert(e.as(unmask.RoleHR), a.ID, casework.OpenRequest{}); err != nil {
		t.Fatal(err)
	}
	r, err = e.svc.Recommend(e.as(unmask.RoleHR), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Suggestions[0].Action != casework.ActionContinueCase {
		t.Errorf("after opening a case, first suggestion = %+v, want continue_case", r.Suggestions[0])
	}
	_, err = e.svc.Recommend(e.as(unmask.RoleHR), "nobody")
	wantCode(t, err, unmask.ENOTFOUND)
}
