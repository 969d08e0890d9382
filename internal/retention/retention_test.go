package retention_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
	"github.com/unmask/unmask/internal/retention"
	"github.com/unmask/unmask/internal/sqlite"
	"github.com/unmask/unmask/internal/storetest"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// TestApplyKeepsWhatOpenCasesHold deletes the events older than the retention on a real
// store, except the evidence of an open case (cited by the case, or by a signal of its
// person), and lets the evidence of a closed case go.
func TestApplyKeepsWhatOpenCasesHold(t *testing.T) {
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	db := openDB(t, ctx)
	old, recent := now.Add(-100*24*time.Hour), now.Add(-10*24*time.Hour)
	ev := func(raw string, at time.Time) *unmask.Event {
		return storetest.MustEvent("okta", unmask.KindSignIn, "someone@contoso.example", at, raw)
	}
	cited, signalled, closedCase, plain, fresh := ev(`{"n":1}`, old), ev(`{"n":2}`, old), ev(`{"n":3}`, old), ev(`{"n":4}`, old), ev(`{"n":5}`, recent)
	if _, err := db.CreateEvents(ctx, []*unmask.Event{cited, signalled, closedCase, plain, fresh}); err != nil {
		t.Fatal(err)
	}
	open := storetest.MustCreatePerson(t, ctx, db, "Open Case", unmask.PersonEmployee)
	closed := storetest.MustCreatePerson(t, ctx, db, "Closed Case", unmask.PersonEmployee)
	sg := &unmask.Signal{PersonID: open.ID, Indicator: "N-01", Detector: "d", Severity: unmask.SeverityLow, Time: old, EventIDs: []string{signalled.ID}}
	must(t, db.CreateSignal(ctx, sg))
	must(t, db.CreateCase(ctx, &unmask.Case{PersonID: open.ID, Title: "open", Evidence: []string{cited.ID, sg.ID}}))
	c := &unmask.Case{PersonID: closed.ID, Title: "closed", Evidence: []string{closedCase.ID}}
	must(t, db.CreateCase(ctx, c))
	_, err := db.UpdateCase(ctx, c.ID, unmask.CaseUpdate{Status: new(unmask.CaseClosed), Disposition: new(unmask.DispositionLegitimate)})
	must(t, err)

	svc := authz.New(db, authz.Options{})
	e := retention.New(retention.Options{Store: svc, Keep: 90 * 24 * time.Hour, Now: func() time.Time { return now }})
	n, err := e.Apply(ctx)
	must(t, err)
	if n != 2 {
		t.Errorf("deleted %d events, want 2 (the closed case's and the uncited one)", n)
	}
	for _, kept := range []*unmask.Event{cited, signalled, fresh} {
		if _, err := db.FindEventByID(ctx, kept.ID); err != nil {
			t.Errorf("event %s: %v", kept.Raw, err)
		}
	}
	for _, gone := range []*unmask.Event{closedCase, plain} {
		if _, err := db.FindEventByID(ctx, gone.ID); unmask.ErrorCode(err) != unmask.ENOTFOUND {
			t.Errorf("event %s still stored: %v", gone.Raw, err)
		}
	}
	if _, total, err := db.FindAuditEntries(ctx, unmask.AuditFilter{Action: new("event.retention")}); err != nil || total != 1 {
		t.Errorf("audit entries of retention: %d, %v", total, err)
	}
}

// TestKeepZeroKeepsEverything: a retention of 0 deletes nothing, and Run returns at once.
func TestKeepZeroKeepsEverything(t *testing.T) {
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	db := openDB(t, ctx)
	if _, err := db.CreateEvents(ctx, []*unmask.Event{storetest.MustEvent("okta", unmask.KindSignIn, "a", now.AddDate(-5, 0, 0), `{}`)}); err != nil {
		t.Fatal(err)
	}
	e := retention.New(retention.Options{Store: db, Now: func() time.Time { return now }})
	if n, err := e.Apply(ctx); n != 0 || err != nil {
		t.Errorf("Apply = %d, %v", n, err)
	}
	must(t, e.Run(ctx))
	if _, total, _ := db.FindEvents(ctx, unmask.EventFilter{}); total != 1 {
		t.Errorf("events left: %d", total)
	}
}

func openDB(t *testing.T, ctx context.Context) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	must(t, db.Migrate(ctx))
	return db
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
