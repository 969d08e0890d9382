package main

import (
	"fmt"
	"slices"
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
	approvals := []config.ApprovalConfig{{Department: "IT", Rules: []string{"unmask_ra_anydesk", "unmask_ra_teamviewer"}, Reason: "approved for IT"}}
	set, err := ruleset.Load(ruleset.Options{User: []ruleset.Source{{Name: "approvals", FS: approvalFilters(approvals, time.Now())}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := set.Problems(); len(p) > 0 {
		t.Fatalf("the approval filters do not load: %v", p)
	}
	det, err := withApprovals(ruleset.NewDetector(set), set, m.db, approvals)
	if err != nil {
		t.Fatal(err)
	}
	multi, _ := set.Rule("unmask_corr_multi_remote_access_host")
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for dept, want := range map[string]int{"IT": 0, "Sales": 3} {
		var got []unmask.Signal
		for i, image := range []string{`C:\Program Files (x86)\AnyDesk\AnyDesk.exe`, `C:\Program Files\TeamViewer\TeamViewer.exe`} {
			e := &unmask.Event{ID: fmt.Sprint("e-", dept, i), Time: t0.Add(time.Duration(i) * time.Hour), Source: "sysmon", Kind: unmask.KindProcessStart,
				PersonID: people[dept].ID, Host: "LAPTOP-" + dept, Fields: map[string]string{"Image": image}}
			sigs, err := det.Detect(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, sigs...)
		}
		correlated := slices.ContainsFunc(got, func(s unmask.Signal) bool { return s.Detector == ruleset.DetectorPrefix+multi.ID })
		if len(got) != want || correlated != (want > 0) {
			t.Errorf("%s: %d signals (two tools, correlation %v) %+v; want %d", dept, len(got), correlated, got, want)
		}
	}
	if _, err := withApprovals(ruleset.NewDetector(set), set, m.db, []config.ApprovalConfig{{Rules: []string{"no_such_rule"}, Reason: "x"}}); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("unknown rule: %v, want EINVALID", err)
	}
}
