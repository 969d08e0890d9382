package casework_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

const (
	open          = unmask.CaseOpen
	investigating = unmask.CaseInvestigating
	escalated     = unmask.CaseEscalated
	closed        = unmask.CaseClosed
)

// change returns a well-formed change to status to.
func change(to unmask.CaseStatus) casework.StatusChange {
	ch := casework.StatusChange{Status: to}
	switch to {
	case closed:
		ch.Disposition = unmask.DispositionLegitimate
	case escalated:
		ch.EscalateTo = casework.EscalateHR
	}
	return ch
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		name       string
		from, to   unmask.CaseStatus
		wantCode   string
		wantAction string
		wantDetail string
	}{
		{"open-open", open, open, unmask.EINVALID, "", ""},
		{"open-investigating", open, investigating, "", "case.investigate", "status open → investigating"},
		{"open-escalated", open, escalated, unmask.EINVALID, "", ""},
		{"open-closed", open, closed, "", "case.close", "status open → closed (legitimate); 0 alerts closed; indicators: 0 created, 0 revived, 0 expired; 0 signals cleared"},
		{"investigating-open", investigating, open, unmask.EINVALID, "", ""},
		{"investigating-investigating", investigating, investigating, unmask.EINVALID, "", ""},
		{"investigating-escalated", investigating, escalated, "", "case.escalate", "status investigating → escalated (to hr)"},
		{"investigating-closed", investigating, closed, "", "case.close", "status investigating → closed (legitimate); 0 alerts closed; indicators: 0 created, 0 revived, 0 expired; 0 signals cleared"},
		{"escalated-open", escalated, open, unmask.EINVALID, "", ""},
		{"escalated-investigating", escalated, investigating, "", "case.investigate", "status escalated → investigating"},
		{"escalated-escalated", escalated, escalated, unmask.EINVALID, "", ""},
		{"escalated-closed", escalated, closed, "", "case.close", "status escalated → closed (legitimate); 0 alerts closed; indicators: 0 created, 0 revived, 0 expired; 0 signals cleared"},
		{"closed-open", closed, open, unmask.EINVALID, "", ""},
		{"closed-investigating", closed, investigating, "", "case.reopen", "status closed (inconclusive) → investigating"},
		{"closed-escalated", closed, escalated, unmask.EINVALID, "", ""},
		{"closed-closed", closed, closed, unmask.EINVALID, "", ""},
	}
	e := newEnv(t)
	p := e.person(t, "Pat")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.caseIn(t, p.ID, tt.from)
			res, err := e.svc.SetStatus(e.as(unmask.RoleAnalyst), c.ID, change(tt.to))
			wantCode(t, err, tt.wantCode)
			got := e.findCase(t, c.ID)
			audit := e.auditOf(t, c.ID)
			if tt.wantCode != "" {
				if got.Status != tt.from || len(audit) != 0 {
					t.Errorf("refused change left status %s and %d audit entries, want %s and none", got.Status, len(audit), tt.from)
				}
				return
			}
			if got.Status != tt.to || res.Case.Status != tt.to {
				t.Errorf("status = %s (result %s), want %s", got.Status, res.Case.Status, tt.to)
			}
			if len(audit) != 1 {
				t.Fatalf("got %d audit entries, want 1", len(audit))
			}
			want := unmask.AuditEntry{ActorID: e.users[unmask.RoleAnalyst].ID, Actor: "analyst1",
				Action: tt.wantAction, ObjectType: "case", ObjectID: c.ID, Detail: tt.wantDetail}
			if diff := cmp.Diff(want, *audit[0], ignoreAuditIDTime); diff != "" {
				t.Errorf("audit entry (-want +got):\n%s", diff)
			}
		})
	}
}

var ignoreAuditIDTime = cmp.FilterPath(func(p cmp.Path) bool {
	n := p.Last().String()
	return n == ".ID" || n == ".Time"
}, cmp.Ignore())

func TestMalformedChanges(t *testing.T) {
	tests := []struct {
		name string
		from unmask.CaseStatus
		ch   casework.StatusChange
	}{
		{"unknown-status", open, casework.StatusChange{Status: "done"}},
		{"close-without-disposition", investigating, casework.StatusChange{Status: closed}},
		{"close-with-unknown-disposition", investigating, casework.StatusChange{Status: closed, Disposition: "fraudish"}},
		{"disposition-when-not-closing", open, casework.StatusChange{Status: investigating, Disposition: unmask.DispositionLegitimate}},
		{"escalate-without-target", investigating, casework.StatusChange{Status: escalated}},
		{"escalate-to-unknown", investigating, casework.StatusChange{Status: escalated, EscalateTo: "press"}},
		{"target-when-not-escalating", investigating, casework.StatusChange{Status: closed, Disposition: unmask.DispositionLegitimate, EscalateTo: casework.EscalateLegal}},
	}
	e := newEnv(t)
	p := e.person(t, "Pat")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.caseIn(t, p.ID, tt.from)
			_, err := e.svc.SetStatus(e.as(unmask.RoleAnalyst), c.ID, tt.ch)
			wantCode(t, err, unmask.EINVALID)
			if got := e.findCase(t, c.ID); got.Status != tt.from {
				t.Errorf("status = %s, want %s unchanged", got.Status, tt.from)
			}
			if n := len(e.auditOf(t, c.ID)); n != 0 {
				t.Errorf("%d audit entries for a refused change, want 0", n)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	sig := e.signal(t, p.ID, "N-01")
	actions := map[string]func(ctx context.Context, c *unmask.Case) error{
		"open-for-person": func(ctx context.Context, _ *unmask.Case) error {
			_, err := e.svc.OpenForPerson(ctx, p.ID, casework.OpenRequest{})
			return err
		},
		"investigate": func(ctx context.Context, c *unmask.Case) error {
			_, err := e.svc.Investigate(ctx, c.ID, "")
			return err
		},
		"assign": func(ctx context.Context, c *unmask.Case) error {
			_, err := e.svc.Assign(ctx, c.ID, e.users[unmask.RoleHR].ID)
			return err
		},
		"note": func(ctx context.Context, c *unmask.Case) error {
			_, err := e.svc.AddNote(ctx, c.ID, "Called the manager.")
			return err
		},
		"evidence": func(ctx context.Context, c *unmask.Case) error {
			_, err := e.svc.AttachEvidence(ctx, c.ID, sig.ID)
			return err
		},
		"recommend": func(ctx context.Context, _ *unmask.Case) error {
			_, err := e.svc.Recommend(ctx, p.ID)
			return err
		},
	}
	disabled := &unmask.User{ID: "gone", Username: "gone", Role: unmask.RoleAdmin, Disabled: true}
	actors := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"admin", e.as(unmask.RoleAdmin), ""},
		{"analyst", e.as(unmask.RoleAnalyst), ""},
		{"hr", e.as(unmask.RoleHR), ""},
		{"viewer", e.as(unmask.RoleViewer), unmask.EFORBIDDEN},
		{"disabled", unmask.NewContextWithUser(context.Background(), disabled), unmask.EFORBIDDEN},
		{"anonymous", context.Background(), unmask.EUNAUTHORIZED},
	}
	for _, a := range actors {
		for name, act := range actions {
			t.Run(a.name+"/"+name, func(t *testing.T) {
				c := e.caseIn(t, p.ID, open)
				wantCode(t, act(a.ctx, c), a.want)
				if a.want != "" && len(e.auditOf(t, c.ID)) != 0 {
					t.Error("a refused action wrote an audit entry")
				}
			})
		}
	}
}

func TestReopenNeedsAdminOrAssignee(t *testing.T) {
	tests := []struct {
		name string
		role unmask.Role
		want string
	}{
		{"admin", unmask.RoleAdmin, ""},
		{"assignee", unmask.RoleAnalyst, ""},
		{"other-analyst", unmask.RoleHR, unmask.EFORBIDDEN},
		{"viewer", unmask.RoleViewer, unmask.EFORBIDDEN},
	}
	e := newEnv(t)
	p := e.person(t, "Pat")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.caseIn(t, p.ID, closed) // assigned to the analyst
			_, err := e.svc.Reopen(e.as(tt.role), c.ID, "New evidence.")
			wantCode(t, err, tt.want)
			want := closed
			if tt.want == "" {
				want = investigating
			}
			if got := e.findCase(t, c.ID); got.Status != want || (want == investigating && got.Disposition != "") {
				t.Errorf("case is %s (%q), want %s", got.Status, got.Disposition, want)
			}
		})
	}
}

func TestEscalationNote(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	c := e.caseIn(t, p.ID, investigating)
	if _, err := e.svc.Escalate(e.as(unmask.RoleAnalyst), c.ID, casework.EscalateLegal, "Payroll fraud suspected."); err != nil {
		t.Fatal(err)
	}
	notes, err := e.db.FindCaseNotes(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, n := range notes {
		bodies = append(bodies, n.Author+": "+n.Body)
	}
	want := []string{e.users[unmask.RoleAnalyst].ID + ": Escalated to legal.\n\nPayroll fraud suspected."}
	if diff := cmp.Diff(want, bodies); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	audit := e.auditOf(t, c.ID)
	if len(audit) != 1 || audit[0].Detail != "status investigating → escalated (to legal); note added (24 characters)" {
		t.Errorf("audit = %+v", audit)
	}
	if strings.Contains(audit[0].Detail, "Payroll") {
		t.Error("audit detail holds the note text")
	}
}
