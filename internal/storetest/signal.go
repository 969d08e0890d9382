package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

func testSignal(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Signal Person", unmask.PersonEmployee)
	sg := &unmask.Signal{PersonID: p.ID, Indicator: "N-01", Detector: "analytics:vpn_egress",
		Severity: unmask.SeverityHigh, Weight: 0.8, EventIDs: []string{"e1", "e2"},
		Explanation: "Signed in from Astrill VPN egress 3 times.", Key: "astrill", Time: day, LastSeen: day.Add(time.Hour), Count: 3}
	must(t, s.CreateSignal(ctx, sg))
	got, err := s.FindSignalByID(ctx, sg.ID)
	must(t, err)
	diff(t, "FindSignalByID", sg, got)
	dup := *sg
	dup.ID = ""
	wantCode(t, s.CreateSignal(ctx, &dup), unmask.ECONFLICT)
	wantCode(t, s.CreateSignal(ctx, &unmask.Signal{PersonID: p.ID, Indicator: "N-01", Detector: "d", Severity: unmask.SeverityLow, Weight: 2, Time: day}), unmask.EINVALID)
	wantCode(t, s.CreateSignal(ctx, &unmask.Signal{PersonID: "nobody", Indicator: "N-01", Detector: "d", Severity: unmask.SeverityLow, Time: day}), unmask.EINVALID)

	other := &unmask.Signal{PersonID: p.ID, Indicator: "§3.1", Detector: "sigma:rmm-anydesk", Severity: unmask.SeverityMedium, Weight: 0.5, Time: day.Add(2 * time.Hour)}
	must(t, s.CreateSignal(ctx, other))
	if other.Count != 1 || !other.LastSeen.Equal(other.Time) {
		t.Errorf("defaults: count %d last %v", other.Count, other.LastSeen)
	}
	list, total, err := s.FindSignals(ctx, unmask.SignalFilter{PersonID: &p.ID})
	must(t, err)
	if total != 2 || list[0].ID != other.ID {
		t.Errorf("signals newest first: total %d", total)
	}
	list, total, err = s.FindSignals(ctx, unmask.SignalFilter{Indicator: new("N-01"), Key: new("astrill")})
	must(t, err)
	if total != 1 || list[0].ID != sg.ID {
		t.Errorf("by indicator and key: %d", total)
	}
	upd, err := s.UpdateSignal(ctx, sg.ID, unmask.SignalUpdate{Count: new(4), EventIDs: []string{"e1", "e2", "e3"}, LastSeen: new(day.Add(3 * time.Hour))})
	must(t, err)
	if upd.Count != 4 || len(upd.EventIDs) != 3 || upd.Explanation != sg.Explanation {
		t.Errorf("UpdateSignal = %+v", upd)
	}
	if sg.UpdatedAt.IsZero() || upd.UpdatedAt.Before(sg.UpdatedAt) {
		t.Errorf("updated_at: created %v, after an update %v", sg.UpdatedAt, upd.UpdatedAt)
	}
	changed, _, err := s.FindSignals(ctx, unmask.SignalFilter{UpdatedSince: &upd.UpdatedAt})
	must(t, err)
	if len(changed) == 0 || !slices.ContainsFunc(changed, func(x *unmask.Signal) bool { return x.ID == sg.ID }) {
		t.Errorf("signals updated since the update: %d, without the updated one", len(changed))
	}
	if later, n, err := s.FindSignals(ctx, unmask.SignalFilter{UpdatedSince: new(upd.UpdatedAt.Add(time.Hour))}); err != nil || n != 0 {
		t.Errorf("signals updated an hour after the last update: %d (%v) %v", n, err, later)
	}
	cleared, err := s.UpdateSignal(ctx, sg.ID, unmask.SignalUpdate{ClearedAt: new(day.Add(4 * time.Hour)), ClearedBy: new("case-1")})
	must(t, err)
	if !cleared.ClearedAt.Equal(day.Add(4*time.Hour)) || cleared.ClearedBy != "case-1" || !cleared.Cleared() {
		t.Errorf("cleared signal = %+v", cleared)
	}
	lifted, err := s.UpdateSignal(ctx, sg.ID, unmask.SignalUpdate{ClearedAt: new(time.Time{}), ClearedBy: new("")})
	must(t, err)
	if !lifted.ClearedAt.IsZero() || lifted.ClearedBy != "" || lifted.Cleared() {
		t.Errorf("lifted clearing = %+v", lifted)
	}
	_, err = s.UpdateSignal(ctx, sg.ID, unmask.SignalUpdate{Severity: ptr(unmask.Severity("extreme"))})
	wantCode(t, err, unmask.EINVALID)
	must(t, s.DeleteSignal(ctx, sg.ID))
	wantCode(t, s.DeleteSignal(ctx, sg.ID), unmask.ENOTFOUND)
}

func testRisk(t *testing.T, s Store) {
	ctx := ctx(t)
	var people []*unmask.Person
	for i, score := range []float64{12, 87.5, 45} {
		p := MustCreatePerson(t, ctx, s, string(rune('A'+i))+" risk", unmask.PersonEmployee)
		people = append(people, p)
		band := unmask.BandLow
		if score > 80 {
			band = unmask.BandCritical
		}
		rs := &unmask.RiskScore{PersonID: p.ID, Score: score, Band: band, ComputedAt: day,
			Reasons: []unmask.RiskReason{{Indicator: "N-01", Family: unmask.FamilyNetwork, Points: score, SignalIDs: []string{"s1"}, Explanation: "VPN"}}}
		must(t, s.SaveRiskScore(ctx, rs))
	}
	got, err := s.FindRiskScore(ctx, people[1].ID)
	must(t, err)
	if got.Score != 87.5 || got.Band != unmask.BandCritical || len(got.Reasons) != 1 || got.Reasons[0].SignalIDs[0] != "s1" {
		t.Errorf("FindRiskScore = %+v", got)
	}
	ranked, total, err := s.FindRiskScores(ctx, unmask.RiskFilter{})
	must(t, err)
	if total != 3 || ranked[0].PersonID != people[1].ID || ranked[2].PersonID != people[0].ID {
		t.Errorf("ranking wrong: %v", ids(ranked, func(r *unmask.RiskScore) string { return r.PersonID }))
	}
	_, total, err = s.FindRiskScores(ctx, unmask.RiskFilter{MinScore: new(40.0), Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 2 {
		t.Errorf("min score total = %d", total)
	}
	must(t, s.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: people[1].ID, Score: 5, Band: unmask.BandLow, ComputedAt: day}))
	got, err = s.FindRiskScore(ctx, people[1].ID)
	must(t, err)
	if got.Score != 5 || len(got.Reasons) != 0 {
		t.Errorf("replace = %+v", got)
	}
	wantCode(t, s.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: people[0].ID, Score: 101}), unmask.EINVALID)
	must(t, s.DeleteRiskScore(ctx, people[1].ID))
	_, err = s.FindRiskScore(ctx, people[1].ID)
	wantCode(t, err, unmask.ENOTFOUND)
	wantCode(t, s.DeleteRiskScore(ctx, people[1].ID), unmask.ENOTFOUND)
}
