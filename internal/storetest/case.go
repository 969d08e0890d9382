package storetest

import (
	"testing"

	"github.com/unmask/unmask"
)

func testCase(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Case Person", unmask.PersonEmployee)
	c := &unmask.Case{PersonID: p.ID, AlertID: "a1", Title: "Laptop farm IP", Assignee: "u1", CreatedBy: "u2", Evidence: []string{"s1"}}
	must(t, s.CreateCase(ctx, c))
	if c.Status != unmask.CaseOpen {
		t.Errorf("default status = %s", c.Status)
	}
	got, err := s.FindCaseByID(ctx, c.ID)
	must(t, err)
	diff(t, "FindCaseByID", c, got)
	wantCode(t, s.CreateCase(ctx, &unmask.Case{PersonID: p.ID}), unmask.EINVALID)
	wantCode(t, s.CreateCase(ctx, &unmask.Case{PersonID: p.ID, Title: "x", Status: unmask.CaseClosed}), unmask.EINVALID)
	second := &unmask.Case{PersonID: p.ID, Title: "Serial mismatch", Assignee: "u3"}
	must(t, s.CreateCase(ctx, second))

	mine, total, err := s.FindCases(ctx, unmask.CaseFilter{Assignee: new("u1")})
	must(t, err)
	if total != 1 || mine[0].ID != c.ID {
		t.Errorf("by assignee = %d", total)
	}
	_, total, err = s.FindCases(ctx, unmask.CaseFilter{PersonID: &p.ID, Status: ptr(unmask.CaseOpen), Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 2 {
		t.Errorf("open cases of person = %d", total)
	}
	upd, err := s.UpdateCase(ctx, c.ID, unmask.CaseUpdate{Assignee: new("u9"), Evidence: []string{"s1", "e7"}})
	must(t, err)
	if upd.Assignee != "u9" || len(upd.Evidence) != 2 || upd.Title != c.Title {
		t.Errorf("UpdateCase = %+v", upd)
	}
	_, err = s.UpdateCase(ctx, "missing", unmask.CaseUpdate{Title: new("x")})
	wantCode(t, err, unmask.ENOTFOUND)

	must(t, s.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: c.ID, Author: "u1", Body: "Asked IT to verify the serial."}))
	must(t, s.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: c.ID, Author: "u2", Body: "Serial confirmed different."}))
	wantCode(t, s.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: "missing", Body: "x"}), unmask.ENOTFOUND)
	wantCode(t, s.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: c.ID}), unmask.EINVALID)
	notes, err := s.FindCaseNotes(ctx, c.ID)
	must(t, err)
	if len(notes) != 2 || notes[0].Author != "u1" {
		t.Errorf("notes = %+v", notes)
	}
	must(t, s.DeleteCase(ctx, c.ID))
	wantCode(t, s.DeleteCase(ctx, c.ID), unmask.ENOTFOUND)
	notes, err = s.FindCaseNotes(ctx, c.ID)
	must(t, err)
	if len(notes) != 0 {
		t.Errorf("notes outlived their case: %d", len(notes))
	}
}

func testCaseWorkflow(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Workflow Person", unmask.PersonEmployee)
	c := &unmask.Case{PersonID: p.ID, Title: "Workflow"}
	must(t, s.CreateCase(ctx, c))
	steps := []struct {
		name        string
		status      unmask.CaseStatus
		disposition unmask.Disposition
		wantCode    string
	}{
		{"OpenToEscalatedRefused", unmask.CaseEscalated, "", unmask.EINVALID},
		{"OpenToInvestigating", unmask.CaseInvestigating, "", ""},
		{"Escalate", unmask.CaseEscalated, "", ""},
		{"CloseWithoutDispositionRefused", unmask.CaseClosed, "", unmask.EINVALID},
		{"CloseBadDispositionRefused", unmask.CaseClosed, "guilty", unmask.EINVALID},
		{"Close", unmask.CaseClosed, unmask.DispositionConfirmedFraud, ""},
		{"ClosedToEscalatedRefused", unmask.CaseEscalated, "", unmask.EINVALID},
		{"Reopen", unmask.CaseInvestigating, "", ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			upd := unmask.CaseUpdate{Status: &st.status}
			if st.disposition != "" {
				upd.Disposition = &st.disposition
			}
			got, err := s.UpdateCase(ctx, c.ID, upd)
			if st.wantCode != "" {
				wantCode(t, err, st.wantCode)
				return
			}
			must(t, err)
			if got.Status != st.status || got.Disposition != st.disposition {
				t.Errorf("case = %s/%s, want %s/%s", got.Status, got.Disposition, st.status, st.disposition)
			}
			if (got.Status == unmask.CaseClosed) == got.ClosedAt.IsZero() {
				t.Errorf("closed_at %v for status %s", got.ClosedAt, got.Status)
			}
		})
	}
}
