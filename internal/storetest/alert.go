package storetest

import (
	"testing"
	"time"

	"github.com/unmask/unmask"
)

func testAlert(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Alert Person", unmask.PersonEmployee)
	a := &unmask.Alert{PersonID: p.ID, Concern: "N-03", Title: "Shares an IP with 4 other workers",
		Severity: unmask.SeverityHigh, Status: unmask.AlertOpen, SignalIDs: []string{"s1"}, Count: 1,
		FirstSeen: day, LastSeen: day}
	must(t, s.CreateAlert(ctx, a))
	got, err := s.FindAlertByID(ctx, a.ID)
	must(t, err)
	diff(t, "FindAlertByID", a, got)

	t.Run("OneOpenPerConcern", func(t *testing.T) {
		dup := &unmask.Alert{PersonID: p.ID, Concern: "N-03", Severity: unmask.SeverityLow, Status: unmask.AlertAcknowledged}
		wantCode(t, s.CreateAlert(ctx, dup), unmask.ECONFLICT)
		other := &unmask.Alert{PersonID: p.ID, Concern: "endpoint", Severity: unmask.SeverityMedium, Status: unmask.AlertOpen, FirstSeen: day.Add(time.Hour)}
		must(t, s.CreateAlert(ctx, other))
		closed, err := s.UpdateAlert(ctx, a.ID, unmask.AlertUpdate{Status: ptr(unmask.AlertClosed)})
		must(t, err)
		if closed.Status != unmask.AlertClosed {
			t.Fatalf("status = %s", closed.Status)
		}
		reopened := &unmask.Alert{PersonID: p.ID, Concern: "N-03", Severity: unmask.SeverityHigh, Status: unmask.AlertOpen, FirstSeen: day.Add(2 * time.Hour)}
		must(t, s.CreateAlert(ctx, reopened))
	})
	t.Run("Filter", func(t *testing.T) {
		open, total, err := s.FindAlerts(ctx, unmask.AlertFilter{PersonID: &p.ID, Open: true})
		must(t, err)
		if total != 2 || open[0].Concern != "N-03" {
			t.Errorf("open alerts = %d, first %s", total, open[0].Concern)
		}
		_, total, err = s.FindAlerts(ctx, unmask.AlertFilter{Status: ptr(unmask.AlertClosed)})
		must(t, err)
		if total != 1 {
			t.Errorf("closed = %d", total)
		}
		page, total, err := s.FindAlerts(ctx, unmask.AlertFilter{Concern: new("N-03"), Page: unmask.Page{Offset: 1}})
		must(t, err)
		if total != 2 || len(page) != 1 || page[0].ID != a.ID {
			t.Errorf("second N-03 alert should be the oldest")
		}
	})
	t.Run("Update", func(t *testing.T) {
		upd, err := s.UpdateAlert(ctx, a.ID, unmask.AlertUpdate{SignalIDs: []string{"s1", "s2"}, Count: new(2), CaseID: new("case-1")})
		must(t, err)
		if len(upd.SignalIDs) != 2 || upd.Count != 2 || upd.CaseID != "case-1" || upd.Title != a.Title {
			t.Errorf("UpdateAlert = %+v", upd)
		}
		_, err = s.UpdateAlert(ctx, a.ID, unmask.AlertUpdate{Status: ptr(unmask.AlertStatus("snoozed"))})
		wantCode(t, err, unmask.EINVALID)
	})
	t.Run("Delete", func(t *testing.T) {
		must(t, s.DeleteAlert(ctx, a.ID))
		wantCode(t, s.DeleteAlert(ctx, a.ID), unmask.ENOTFOUND)
	})
}

func testSpotCheck(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Checked Person", unmask.PersonEmployee)
	c := &unmask.SpotCheck{PersonID: p.ID, Reason: "new_hire", DueAt: day.Add(48 * time.Hour)}
	must(t, s.CreateSpotCheck(ctx, c))
	if c.Status != unmask.SpotCheckScheduled {
		t.Errorf("default status = %s", c.Status)
	}
	got, err := s.FindSpotCheckByID(ctx, c.ID)
	must(t, err)
	diff(t, "FindSpotCheckByID", c, got)
	later := &unmask.SpotCheck{PersonID: p.ID, Reason: "random", DueAt: day.Add(96 * time.Hour)}
	must(t, s.CreateSpotCheck(ctx, later))
	wantCode(t, s.CreateSpotCheck(ctx, &unmask.SpotCheck{PersonID: p.ID}), unmask.EINVALID)

	due, total, err := s.FindSpotChecks(ctx, unmask.SpotCheckFilter{DueBefore: new(day.Add(72 * time.Hour)), Status: ptr(unmask.SpotCheckScheduled)})
	must(t, err)
	if total != 1 || due[0].ID != c.ID {
		t.Errorf("due = %d", total)
	}
	all, total, err := s.FindSpotChecks(ctx, unmask.SpotCheckFilter{PersonID: &p.ID, Page: unmask.Page{Limit: 1, Offset: 1}})
	must(t, err)
	if total != 2 || all[0].ID != later.ID {
		t.Errorf("second by due date should be the later one")
	}
	att := unmask.Attestation{IDMatched: true, SameLaptop: false, LocationConsistent: true}
	done, err := s.UpdateSpotCheck(ctx, c.ID, unmask.SpotCheckUpdate{Status: ptr(unmask.SpotCheckDone), CompletedAt: new(day.Add(50 * time.Hour)), Checker: new("u1"), Attestation: &att, Notes: new("Different laptop model on camera.")})
	must(t, err)
	if done.Status != unmask.SpotCheckDone || done.Attestation != att || done.Checker != "u1" || done.CompletedAt.IsZero() {
		t.Errorf("UpdateSpotCheck = %+v", done)
	}
	_, err = s.UpdateSpotCheck(ctx, c.ID, unmask.SpotCheckUpdate{Status: ptr(unmask.SpotCheckStatus("maybe"))})
	wantCode(t, err, unmask.EINVALID)
	must(t, s.DeleteSpotCheck(ctx, c.ID))
	wantCode(t, s.DeleteSpotCheck(ctx, c.ID), unmask.ENOTFOUND)
}
