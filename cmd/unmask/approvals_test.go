package main

import (
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/ruleset"
)

func TestApprovalsSilenceApprovedRules(t *testing.T) {
	m := NewMain()
	m.Getenv = env(t.TempDir())
	defer m.Close()
	ctx := adminContext(t.Context())
	if err := m.openDB(ctx, false); err != nil {
		t.Fatal(err)
	}
	people := map[string]*unmask.Person{}
	for _, dept := range []string{"IT", "Sales"} {
		p := &unmask.Person{DisplayName: dept + " person", Kind: unmask.PersonEmployee, Status: unmask.StatusActive, Department: dept}
		if err := m.db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		people[dept] = p
	}
	set, err := ruleset.Load(ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	approvals := []config.ApprovalConfig{{Department: "IT", Rules: []string{"unmask_ra_anydesk"}, Reason: "approved AnyDesk for IT"}}
	det, err := withApprovals(ruleset.NewDetector(set), set, m.db, approvals)
	if err != nil {
		t.Fatal(err)
	}
	for dept, want := range map[string]int{"IT": 0, "Sales": 1} {
		e := &unmask.Event{ID: "e-" + dept, Time: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), Source: "sysmon", Kind: unmask.KindProcessStart,
			PersonID: people[dept].ID, Host: "LAPTOP-1", Fields: map[string]string{"Image": `C:\Program Files (x86)\AnyDesk\AnyDesk.exe`}}
		sigs, err := det.Detect(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if len(sigs) != want {
			t.Errorf("%s: %d signals %+v; want %d", dept, len(sigs), sigs, want)
		}
	}
	if _, err := withApprovals(ruleset.NewDetector(set), set, m.db, []config.ApprovalConfig{{Rules: []string{"no_such_rule"}, Reason: "x"}}); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("unknown rule: %v, want EINVALID", err)
	}
}
