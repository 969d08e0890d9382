package spotcheck_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/spotcheck"
	"github.com/unmask/unmask/internal/sqlite"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

type env struct {
	db    *sqlite.DB
	svc   *spotcheck.Service
	clock *clock
}

func newEnv(tb testing.TB, p spotcheck.Policy) *env {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "u.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	clk := &clock{t: now}
	db.Now = clk.Now
	svc, err := spotcheck.NewService(spotcheck.Options{People: db, Risk: db, Checks: db, Signals: db, Audit: db,
		Policy: p, Seed: 3, Now: clk.Now, Interval: time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	return &env{db: db, svc: svc, clock: clk}
}

func (e *env) person(tb testing.TB, p *unmask.Person) *unmask.Person {
	tb.Helper()
	p.ID = ""
	if p.DisplayName == "" {
		p.DisplayName = "Worker"
	}
	if err := e.db.CreatePerson(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (e *env) checks(tb testing.TB, personID string) []*unmask.SpotCheck {
	tb.Helper()
	cs, _, err := e.db.FindSpotChecks(context.Background(), unmask.SpotCheckFilter{PersonID: &personID})
	if err != nil {
		tb.Fatal(err)
	}
	return cs
}

func (e *env) signals(tb testing.TB, personID string) []string {
	tb.Helper()
	sigs, _, err := e.db.FindSignals(context.Background(), unmask.SignalFilter{PersonID: &personID})
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, s := range sigs {
		out = append(out, s.Indicator+" "+string(s.Severity)+" "+s.Key[strings.LastIndex(s.Key, ":")+1:])
	}
	slices.Sort(out)
	return out
}

func (e *env) audit(tb testing.TB, action string) []*unmask.AuditEntry {
	tb.Helper()
	entries, _, err := e.db.FindAuditEntries(context.Background(), unmask.AuditFilter{Action: &action})
	if err != nil {
		tb.Fatal(err)
	}
	return entries
}

var (
	analyst = &unmask.User{ID: "u-analyst", Username: "ana", Role: unmask.RoleAnalyst}
	viewer  = &unmask.User{ID: "u-viewer", Username: "vic", Role: unmask.RoleViewer}
)

func as(u *unmask.User) context.Context { return unmask.NewContextWithUser(context.Background(), u) }

// world is a store with a new hire, a high-risk worker, a worker with an overdue check and
// a leaver with a check still scheduled.
type world struct {
	newHire, risky, calm, gone *unmask.Person
	overdue, leftover          *unmask.SpotCheck
}

func seedWorld(tb testing.TB, e *env) world {
	tb.Helper()
	ctx := context.Background()
	w := world{
		newHire: e.person(tb, worker("", "America/Chicago", now.Add(-24*time.Hour))),
		risky:   e.person(tb, worker("", "UTC", now.AddDate(-2, 0, 0))),
		calm:    e.person(tb, worker("", "UTC", now.AddDate(-2, 0, 0))),
		gone:    e.person(tb, &unmask.Person{Kind: unmask.PersonEmployee, Status: unmask.StatusTerminated, DisplayName: "gone"}),
	}
	if err := e.db.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: w.risky.ID, Score: 60, Band: unmask.BandHigh, ComputedAt: now}); err != nil {
		tb.Fatal(err)
	}
	w.overdue = &unmask.SpotCheck{PersonID: w.calm.ID, Reason: "manual", Status: unmask.SpotCheckScheduled, DueAt: now.Add(-72 * time.Hour)}
	w.leftover = &unmask.SpotCheck{PersonID: w.gone.ID, Reason: "risk", Status: unmask.SpotCheckScheduled, DueAt: now.Add(48 * time.Hour)}
	for _, c := range []*unmask.SpotCheck{w.overdue, w.leftover} {
		if err := e.db.CreateSpotCheck(ctx, c); err != nil {
			tb.Fatal(err)
		}
	}
	return w
}

func TestStep(t *testing.T) {
	e := newEnv(t, testPolicy())
	w := seedWorld(t, e)
	plan, err := e.svc.Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	create, miss, cancel := summary(plan)
	reasons := map[string]string{}
	for _, c := range create {
		reasons[c.Person] = c.Reason
	}
	if diff := cmp.Diff(map[string]string{w.newHire.ID: "new_hire", w.risky.ID: "risk"}, reasons); diff != "" || len(create) != 2 {
		t.Errorf("created %+v (-want +got):\n%s", create, diff)
	}
	if diff := cmp.Diff([]string{w.overdue.ID}, miss); diff != "" {
		t.Errorf("missed (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{w.leftover.ID}, cancel); diff != "" {
		t.Errorf("cancelled (-want +got):\n%s", diff)
	}
	stored := e.checks(t, w.newHire.ID)
	if len(stored) != 1 || stored[0].DueAt != utc("2026-11-03T19:00:00Z") || stored[0].Status != unmask.SpotCheckScheduled {
		t.Errorf("new hire's checks = %+v", stored)
	}
	if got := e.checks(t, w.calm.ID); got[0].Status != unmask.SpotCheckMissed {
		t.Errorf("overdue check is %s, want missed", got[0].Status)
	}
	if got := e.checks(t, w.gone.ID); got[0].Status != unmask.SpotCheckCancelled {
		t.Errorf("leaver's check is %s, want cancelled", got[0].Status)
	}
	if diff := cmp.Diff([]string{"H-11 medium missed"}, e.signals(t, w.calm.ID)); diff != "" {
		t.Errorf("signals of the missed check (-want +got):\n%s", diff)
	}
	if c, u := len(e.audit(t, "spot_check.create")), len(e.audit(t, "spot_check.update")); c != 2 || u != 2 {
		t.Errorf("%d create and %d update audit entries, want 2 and 2 (missed, cancelled)", c, u)
	}
	passes := e.audit(t, "spot_check.plan")
	if len(passes) != 1 || passes[0].ActorID != "system" || passes[0].Detail != "read 4 people, 1 risk scores and 2 checks; created 2, missed 1, cancelled 1" {
		t.Errorf("pass audit = %+v", passes)
	}
}

func TestStepTwiceChangesNothing(t *testing.T) {
	e := newEnv(t, testPolicy())
	w := seedWorld(t, e)
	if _, err := e.svc.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(now.Add(time.Hour))
	again, err := e.svc.Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Create)+len(again.Miss)+len(again.Cancel) != 0 {
		t.Errorf("second pass did %+v, want nothing", again)
	}
	if n := len(e.signals(t, w.calm.ID)); n != 1 {
		t.Errorf("%d signals after two passes, want 1", n)
	}
}

func TestRecord(t *testing.T) {
	pass := unmask.Attestation{IDMatched: true, SameLaptop: true, LocationConsistent: true}
	tests := []struct {
		name        string
		result      spotcheck.Result
		wantSignals []string
		wantDetail  string
	}{
		{"clean-pass", spotcheck.Result{Status: unmask.SpotCheckDone, Attestation: pass, Notes: "All fine."},
			nil, "done: id matched yes, same laptop yes, location consistent yes; signals []; notes (9 characters)"},
		{"refused", spotcheck.Result{Status: unmask.SpotCheckRefused, Attestation: pass, Notes: "Said the webcam is broken."},
			[]string{"H-11 high refused"}, "refused; signals [H-11]; notes (26 characters)"},
		{"identity-mismatch", spotcheck.Result{Status: unmask.SpotCheckDone, Attestation: unmask.Attestation{SameLaptop: true, LocationConsistent: true}},
			[]string{"O-04 critical identity"}, "done: id matched no, same laptop yes, location consistent yes; signals [O-04]"},
		{"other-laptop", spotcheck.Result{Status: unmask.SpotCheckDone, Attestation: unmask.Attestation{IDMatched: true, LocationConsistent: true}},
			[]string{"O-05 high laptop"}, "done: id matched yes, same laptop no, location consistent yes; signals [O-05]"},
		{"everything-wrong", spotcheck.Result{Status: unmask.SpotCheckDone},
			[]string{"H-19 medium location", "O-04 critical identity", "O-05 high laptop"},
			"done: id matched no, same laptop no, location consistent no; signals [O-04 O-05 H-19]"},
		{"missed", spotcheck.Result{Status: unmask.SpotCheckMissed, Attestation: pass, Notes: "No show."},
			[]string{"H-11 medium missed"}, "missed; signals [H-11]; notes (8 characters)"},
	}
	e := newEnv(t, testPolicy())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.person(t, worker("", "UTC", now.AddDate(-1, 0, 0)))
			c, err := e.svc.Schedule(as(analyst), p.ID, now.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			e.clock.Set(now.Add(2 * time.Hour))
			defer e.clock.Set(now)
			record := func() (*unmask.SpotCheck, []string, error) { // a missed check is Miss
				if tt.result.Status == unmask.SpotCheckMissed {
					return e.svc.Miss(as(analyst), c.ID, tt.result.Notes)
				}
				return e.svc.Record(as(analyst), c.ID, tt.result)
			}
			got, _, err := record()
			if err != nil {
				t.Fatal(err)
			}
			wantAtt := tt.result.Attestation
			if tt.result.Status != unmask.SpotCheckDone {
				wantAtt = unmask.Attestation{}
			}
			want := unmask.SpotCheck{ID: c.ID, PersonID: p.ID, Reason: "manual", Status: tt.result.Status,
				DueAt: now.Add(time.Hour), CompletedAt: now.Add(2 * time.Hour), Checker: analyst.ID,
				Attestation: wantAtt, Notes: tt.result.Notes, CreatedAt: now, UpdatedAt: now.Add(2 * time.Hour)}
			if diff := cmp.Diff(want, *got); diff != "" {
				t.Errorf("stored check (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSignals, e.signals(t, p.ID)); diff != "" {
				t.Errorf("signals (-want +got):\n%s", diff)
			}
			entries := e.audit(t, "spot_check.update")
			if entries[0].ObjectID != c.ID || entries[0].Detail != tt.wantDetail || entries[0].ActorID != analyst.ID {
				t.Errorf("audit = %+v, want detail %q", entries[0], tt.wantDetail)
			}
			if tt.result.Notes != "" && strings.Contains(entries[0].Detail, tt.result.Notes) {
				t.Error("audit detail holds the checker's notes")
			}
			_, _, err = record()
			if unmask.ErrorCode(err) != unmask.ECONFLICT {
				t.Errorf("second result: %v, want conflict", err)
			}
		})
	}
}

func TestRecordRefused(t *testing.T) {
	e := newEnv(t, testPolicy())
	p := e.person(t, worker("", "UTC", now.AddDate(-1, 0, 0)))
	c, err := e.svc.Schedule(as(analyst), p.ID, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	disabled := &unmask.User{ID: "u-x", Username: "x", Role: unmask.RoleAdmin, Disabled: true}
	tests := []struct {
		name string
		ctx  context.Context
		res  spotcheck.Result
		want string
	}{
		{"anonymous", context.Background(), spotcheck.Result{Status: unmask.SpotCheckDone}, unmask.EUNAUTHORIZED},
		{"viewer", as(viewer), spotcheck.Result{Status: unmask.SpotCheckDone}, unmask.EFORBIDDEN},
		{"disabled", as(disabled), spotcheck.Result{Status: unmask.SpotCheckDone}, unmask.EFORBIDDEN},
		{"status-missed", as(analyst), spotcheck.Result{Status: unmask.SpotCheckMissed}, unmask.EINVALID},
		{"status-scheduled", as(analyst), spotcheck.Result{Status: unmask.SpotCheckScheduled}, unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.svc.Record(tt.ctx, c.ID, tt.res)
			if got := unmask.ErrorCode(err); got != tt.want {
				t.Errorf("error %v, want code %q", err, tt.want)
			}
		})
	}
	_, _, err = e.svc.Record(as(analyst), "no-such-check", spotcheck.Result{Status: unmask.SpotCheckDone})
	if unmask.ErrorCode(err) != unmask.ENOTFOUND {
		t.Errorf("unknown check: %v, want not found", err)
	}
	if got := e.checks(t, p.ID); got[0].Status != unmask.SpotCheckScheduled || len(e.signals(t, p.ID)) != 0 {
		t.Errorf("refused results changed the check: %+v", got[0])
	}
}

func TestScheduleAndCancel(t *testing.T) {
	e := newEnv(t, testPolicy())
	p := e.person(t, worker("", "UTC", now.AddDate(-1, 0, 0)))
	applicant := e.person(t, &unmask.Person{Kind: unmask.PersonApplicant, Status: unmask.StatusApplied, DisplayName: "a"})
	_, err := e.svc.Schedule(as(analyst), p.ID, now.Add(-time.Hour))
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("past due: %v, want invalid", err)
	}
	_, err = e.svc.Schedule(as(analyst), applicant.ID, now.Add(time.Hour))
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("applicant: %v, want invalid", err)
	}
	_, err = e.svc.Schedule(as(viewer), p.ID, now.Add(time.Hour))
	if unmask.ErrorCode(err) != unmask.EFORBIDDEN {
		t.Errorf("viewer: %v, want forbidden", err)
	}
	c, err := e.svc.Schedule(as(analyst), p.ID, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Cancel(as(analyst), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != unmask.SpotCheckCancelled {
		t.Errorf("status %s, want cancelled", got.Status)
	}
	if _, err := e.svc.Cancel(as(analyst), c.ID); unmask.ErrorCode(err) != unmask.ECONFLICT {
		t.Errorf("second cancel: %v, want conflict", err)
	}
	if n := len(e.audit(t, "spot_check.create")) + len(e.audit(t, "spot_check.update")); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
}

func TestRun(t *testing.T) {
	e := newEnv(t, testPolicy())
	p := e.person(t, worker("", "UTC", now.Add(-time.Hour)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(ctx) }()
	deadline := time.After(10 * time.Second)
	for len(e.audit(t, "spot_check.plan")) < 2 {
		select {
		case <-deadline:
			t.Fatal("Run made fewer than two passes")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if got := e.checks(t, p.ID); len(got) != 1 || got[0].Reason != spotcheck.ReasonNewHire {
		t.Errorf("checks after repeated passes = %+v, want one new-hire check", got)
	}
}

func TestNewServiceRefusesBadPolicy(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = spotcheck.NewService(spotcheck.Options{People: db, Risk: db, Checks: db, Signals: db, Audit: db, Policy: spotcheck.Policy{}})
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("zero policy: %v, want invalid", err)
	}
	_, err = spotcheck.NewService(spotcheck.Options{Policy: spotcheck.DefaultPolicy()})
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("no stores: %v, want invalid", err)
	}
}
