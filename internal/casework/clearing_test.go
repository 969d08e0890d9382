package casework_test

import (
	"context"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

// TestLegitimateCloseClearsSignals: closing a case as legitimate clears the person's
// signals and hands them to the risk engine; reopening gives them back; a fraud close
// clears nothing, and an earlier case's clearing is left to that case.
func TestLegitimateCloseClearsSignals(t *testing.T) {
	e := newEnv(t)
	var rescored [][]unmask.Signal
	svc, err := casework.NewService(casework.Options{Cases: e.db, Alerts: e.db, Signals: e.db, Events: e.db, Identifiers: e.db,
		Indicators: e.db, Audit: e.db, People: e.db, Now: e.clock.Now,
		Rescore: func(_ context.Context, sigs ...unmask.Signal) error { rescored = append(rescored, sigs); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	p := e.person(t, "Robin")
	vpn, rmm := e.signal(t, p.ID, "N-01"), e.signal(t, p.ID, "§3.1")
	other := e.signal(t, e.person(t, "Someone Else").ID, "N-01")
	ctx := e.as(unmask.RoleAnalyst)
	c, err := svc.OpenForPerson(ctx, p.ID, casework.OpenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	before := e.clock.Now()
	res, err := svc.Close(ctx, c.ID, unmask.DispositionLegitimate, "Approved contractor VPN.")
	if err != nil {
		t.Fatal(err)
	}
	if res.SignalsCleared != 2 || len(rescored) != 1 || len(rescored[0]) != 2 {
		t.Fatalf("cleared %d, rescored %v", res.SignalsCleared, rescored)
	}
	for _, s := range []*unmask.Signal{vpn, rmm} {
		got := e.findSignal(t, s.ID)
		if !got.Cleared() || got.ClearedBy != c.ID || !got.ClearedAt.After(before) {
			t.Errorf("signal %s after a legitimate close: %+v", s.Indicator, got)
		}
	}
	if e.findSignal(t, other.ID).Cleared() {
		t.Error("another person's signal was cleared")
	}

	res, err = svc.Reopen(e.as(unmask.RoleAdmin), c.ID, "New evidence.")
	if err != nil {
		t.Fatal(err)
	}
	if res.SignalsRestored != 2 || e.findSignal(t, vpn.ID).Cleared() || len(rescored) != 2 {
		t.Errorf("reopen restored %d; vpn cleared: %v", res.SignalsRestored, e.findSignal(t, vpn.ID).Cleared())
	}
	if res, err = svc.Close(ctx, c.ID, unmask.DispositionConfirmedFraud, ""); err != nil || res.SignalsCleared != 0 || e.findSignal(t, vpn.ID).Cleared() {
		t.Errorf("fraud close: %+v, %v", res, err)
	}

	// A second case closed as legitimate leaves the first case's clearing alone.
	c2, err := svc.OpenForPerson(ctx, p.ID, casework.OpenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.UpdateSignal(context.Background(), rmm.ID, unmask.SignalUpdate{ClearedAt: new(e.clock.Now()), ClearedBy: new("earlier-case")}); err != nil {
		t.Fatal(err)
	}
	if res, err = svc.Close(ctx, c2.ID, unmask.DispositionLegitimate, ""); err != nil || res.SignalsCleared != 1 {
		t.Errorf("second legitimate close cleared %d, %v; want 1", res.SignalsCleared, err)
	}
	if got := e.findSignal(t, rmm.ID); got.ClearedBy != "earlier-case" {
		t.Errorf("the earlier clearing moved to %q", got.ClearedBy)
	}
}

func (e *env) findSignal(tb testing.TB, id string) *unmask.Signal {
	tb.Helper()
	s, err := e.db.FindSignalByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
