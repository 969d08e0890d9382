package casework_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

func TestOpenFromAlert(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	s1, s2 := e.signal(t, p.ID, "N-01"), e.signal(t, p.ID, "N-01")
	a := e.alert(t, p.ID, "N-01", unmask.SeverityHigh, s1, s2)
	ctx := e.as(unmask.RoleAnalyst)

	c, err := e.svc.OpenFromAlert(ctx, a.ID, casework.OpenRequest{Assignee: e.users[unmask.RoleHR].ID, Note: "Looks like Astrill."})
	if err != nil {
		t.Fatal(err)
	}
	got := e.findCase(t, c.ID)
	want := unmask.Case{ID: c.ID, PersonID: p.ID, AlertID: a.ID, Title: "Concern N-01", Status: open,
		Assignee: e.users[unmask.RoleHR].ID, CreatedBy: e.users[unmask.RoleAnalyst].ID, Evidence: []string{s1.ID, s2.ID}}
	if diff := cmp.Diff(want, *got, ignoreTimes); diff != "" {
		t.Errorf("case (-want +got):\n%s", diff)
	}
	linked, err := e.db.FindAlertByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if linked.CaseID != c.ID || linked.Status != unmask.AlertAcknowledged {
		t.Errorf("alert case %q status %s, want %q acknowledged", linked.CaseID, linked.Status, c.ID)
	}
	audit := e.auditOf(t, c.ID)
	wantDetail := "opened from alert " + a.ID + " (concern N-01, linked and acknowledged); 2 evidence items; assignee \"" +
		e.users[unmask.RoleHR].ID + "\"; note added (19 characters)"
	if len(audit) != 1 || audit[0].Action != "case.create" || audit[0].Detail != wantDetail {
		t.Errorf("audit = %+v, want one case.create with %q", audit, wantDetail)
	}

	_, err = e.svc.OpenFromAlert(ctx, a.ID, casework.OpenRequest{})
	wantCode(t, err, unmask.ECONFLICT)

	if _, err := e.svc.Close(ctx, c.ID, unmask.DispositionLegitimate, ""); err != nil {
		t.Fatal(err)
	}
	if after, _ := e.db.FindAlertByID(context.Background(), a.ID); after.Status != unmask.AlertClosed {
		t.Errorf("alert is %s after its case closed, want closed", after.Status)
	}
	if _, err := e.svc.OpenFromAlert(ctx, a.ID, casework.OpenRequest{Title: "Second look"}); err != nil {
		t.Errorf("open a new case for an alert whose case closed: %v", err)
	}
}

var ignoreTimes = cmp.FilterPath(func(p cmp.Path) bool {
	n := p.Last().String()
	return n == ".CreatedAt" || n == ".UpdatedAt" || n == ".ClosedAt"
}, cmp.Ignore())

func TestOpenFromAlertOnce(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	a := e.alert(t, p.ID, "O-02", unmask.SeverityCritical, e.signal(t, p.ID, "O-02"))
	const n = 8
	codes := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, err := e.svc.OpenFromAlert(e.as(unmask.RoleAnalyst), a.ID, casework.OpenRequest{})
			codes[i] = unmask.ErrorCode(err)
		})
	}
	wg.Wait()
	opened := 0
	for _, c := range codes {
		switch c {
		case "":
			opened++
		case unmask.ECONFLICT:
		default:
			t.Errorf("unexpected error code %q", c)
		}
	}
	cases, _, err := e.db.FindCases(context.Background(), unmask.CaseFilter{AlertID: &a.ID})
	if err != nil {
		t.Fatal(err)
	}
	if opened != 1 || len(cases) != 1 {
		t.Errorf("%d opens succeeded and %d cases stored, want 1 and 1", opened, len(cases))
	}
}

func TestOpenForPerson(t *testing.T) {
	e := newEnv(t)
	p, other := e.person(t, "Pat"), e.person(t, "Sam")
	mine, theirs := e.signal(t, p.ID, "H-02"), e.signal(t, other.ID, "H-02")
	ev, unresolved, foreign := e.event(t, p.ID, "a"), e.event(t, "", "b"), e.event(t, other.ID, "c")
	tests := []struct {
		name     string
		person   string
		req      casework.OpenRequest
		wantCode string
		wantEv   []string
	}{
		{"plain", p.ID, casework.OpenRequest{}, "", nil},
		{"evidence", p.ID, casework.OpenRequest{Evidence: []string{mine.ID, ev.ID, unresolved.ID, mine.ID}}, "", []string{mine.ID, ev.ID, unresolved.ID}},
		{"unknown-person", "nobody", casework.OpenRequest{}, unmask.ENOTFOUND, nil},
		{"unknown-evidence", p.ID, casework.OpenRequest{Evidence: []string{"no-such-id"}}, unmask.EINVALID, nil},
		{"other-persons-signal", p.ID, casework.OpenRequest{Evidence: []string{theirs.ID}}, unmask.EINVALID, nil},
		{"other-persons-event", p.ID, casework.OpenRequest{Evidence: []string{foreign.ID}}, unmask.EINVALID, nil},
		{"unknown-assignee", p.ID, casework.OpenRequest{Assignee: "ghost"}, unmask.EINVALID, nil},
		{"viewer-assignee", p.ID, casework.OpenRequest{Assignee: e.users[unmask.RoleViewer].ID}, unmask.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _, _ := e.db.FindCases(context.Background(), unmask.CaseFilter{})
			c, err := e.svc.OpenForPerson(e.as(unmask.RoleHR), tt.person, tt.req)
			wantCode(t, err, tt.wantCode)
			if tt.wantCode != "" {
				if after, _, _ := e.db.FindCases(context.Background(), unmask.CaseFilter{}); len(after) != len(before) {
					t.Errorf("a refused open stored a case")
				}
				return
			}
			got := e.findCase(t, c.ID)
			if diff := cmp.Diff(tt.wantEv, got.Evidence, cmpopts.EquateEmpty()); diff != "" || got.Title != "Investigation" {
				t.Errorf("title %q, evidence (-want +got):\n%s", got.Title, diff)
			}
			if audit := e.auditOf(t, c.ID); len(audit) != 1 || audit[0].Action != "case.create" {
				t.Errorf("audit = %+v, want one case.create", audit)
			}
		})
	}
}

func TestAttachEvidence(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	s1, s2 := e.signal(t, p.ID, "N-03"), e.signal(t, p.ID, "N-04")
	ev := e.event(t, p.ID, "x")
	ctx := e.as(unmask.RoleAnalyst)
	c, err := e.svc.OpenForPerson(ctx, p.ID, casework.OpenRequest{Evidence: []string{s1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.AttachEvidence(ctx, c.ID, s1.ID, s2.ID, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{s1.ID, s2.ID, ev.ID}, got.Evidence); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
	if _, err := e.svc.AttachEvidence(ctx, c.ID, s2.ID); err != nil { // nothing new: no change
		t.Fatal(err)
	}
	audit := e.auditOf(t, c.ID)
	if len(audit) != 2 || audit[1].Detail != "2 evidence items attached: ["+s2.ID+" "+ev.ID+"]" {
		t.Errorf("audit = %+v", audit)
	}
	_, err = e.svc.AttachEvidence(ctx, c.ID, "missing")
	wantCode(t, err, unmask.EINVALID)
	if _, err := e.svc.Close(ctx, c.ID, unmask.DispositionInconclusive, ""); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.AttachEvidence(ctx, c.ID, e.signal(t, p.ID, "N-05").ID)
	wantCode(t, err, unmask.ECONFLICT)
}

func TestAssignAndNote(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	ctx := e.as(unmask.RoleAnalyst)
	c := e.caseIn(t, p.ID, open)
	hr := e.users[unmask.RoleHR].ID
	if _, err := e.svc.Assign(ctx, c.ID, hr); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Assign(ctx, c.ID, hr); err != nil { // unchanged: no entry
		t.Fatal(err)
	}
	_, err := e.svc.Assign(ctx, c.ID, "ghost")
	wantCode(t, err, unmask.EINVALID)
	n, err := e.svc.AddNote(ctx, c.ID, "SSN 078-05-1120 on the W-2 belongs to someone else.")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.AddNote(ctx, c.ID, "")
	wantCode(t, err, unmask.EINVALID)
	_, err = e.svc.AddNote(ctx, "no-case", "text")
	wantCode(t, err, unmask.ENOTFOUND)

	var got []string
	for _, a := range e.auditOf(t, c.ID) {
		got = append(got, a.Action+" "+a.Detail)
	}
	want := []string{
		"case.assign assignee \"" + e.users[unmask.RoleAnalyst].ID + "\" → \"" + hr + "\"",
		"case.note note " + n.ID + " added (51 characters)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if c := e.findCase(t, c.ID); c.Assignee != hr {
		t.Errorf("assignee = %q, want %q", c.Assignee, hr)
	}
}
