package detect_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/alerting"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/risk"
	"github.com/unmask/unmask/internal/sqlite"
)

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// MustEngine returns an engine over a fresh SQLite store with the given detectors.
func MustEngine(tb testing.TB, dets ...detect.Detector) (*detect.Engine, *sqlite.DB) {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "d.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	now := func() time.Time { return t0.Add(time.Hour) }
	re, err := risk.NewEngine(risk.Options{Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	am, err := alerting.NewManager(alerting.Options{Store: db, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	en, err := detect.NewEngine(detect.Options{Detectors: dets, Store: db, Risk: re, Alerts: am})
	if err != nil {
		tb.Fatal(err)
	}
	return en, db
}

func mustPerson(tb testing.TB, db *sqlite.DB) *unmask.Person {
	tb.Helper()
	p := &unmask.Person{DisplayName: "Sam Park", Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
	if err := db.CreatePerson(tb.Context(), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

// astrill raises N-01 for every sign-in whose Fields mark Astrill egress.
var astrill = detect.DetectorFunc{ID: "test:astrill", Fn: func(_ context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e.Fields["egress"] != "astrill" {
		return nil, nil
	}
	return []unmask.Signal{{PersonID: e.PersonID, Indicator: "N-01", Detector: "test:astrill", Severity: unmask.SeverityHigh,
		Weight: 0.9, EventIDs: []string{e.ID}, Explanation: "Signed in from Astrill VPN egress.", Key: "astrill", Time: e.Time}}, nil
}}

var broken = detect.DetectorFunc{ID: "test:broken", Fn: func(context.Context, *unmask.Event) ([]unmask.Signal, error) {
	return nil, errors.New("boom")
}}

func event(personID string, i int, egress string) *unmask.Event {
	raw := fmt.Sprintf(`{"i":%d}`, i)
	t := t0.Add(time.Duration(i) * time.Minute)
	return &unmask.Event{ID: unmask.EventID("okta", t, []byte(raw)), Time: t, Source: "okta",
		Kind: unmask.KindSignIn, PersonID: personID, Fields: map[string]string{"egress": egress}, Raw: []byte(raw)}
}

func TestHandleDeliveryRecordsAndDeduplicates(t *testing.T) {
	en, db := MustEngine(t, broken, astrill)
	ctx := t.Context()
	p := mustPerson(t, db)
	for i := range 3 {
		if err := en.HandleDelivery(ctx, unmask.Delivery{Event: event(p.ID, i, "astrill")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := en.HandleDelivery(ctx, unmask.Delivery{Event: event(p.ID, 9, "home")}); err != nil {
		t.Fatal(err)
	}
	sigs, total, err := db.FindSignals(ctx, unmask.SignalFilter{PersonID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || sigs[0].Count != 3 || len(sigs[0].EventIDs) != 3 || !sigs[0].LastSeen.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("signals = %d, %+v; want one N-01 signal seen 3 times", total, sigs)
	}
	score, err := db.FindRiskScore(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if score.Score <= 0 || len(score.Reasons) == 0 || score.Reasons[0].Indicator != "N-01" || score.Reasons[0].SignalIDs[0] != sigs[0].ID {
		t.Errorf("score = %+v", score)
	}
	alerts, total, err := db.FindAlerts(ctx, unmask.AlertFilter{PersonID: &p.ID, Open: true})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || alerts[0].Concern != "N-01" {
		t.Errorf("alerts = %+v", alerts)
	}
}

func TestRecordSkipsUnresolved(t *testing.T) {
	en, db := MustEngine(t, astrill)
	if err := en.HandleDelivery(t.Context(), unmask.Delivery{Event: event("", 1, "astrill")}); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := db.FindSignals(t.Context(), unmask.SignalFilter{}); total != 0 {
		t.Errorf("unresolved event raised %d stored signals", total)
	}
}

func TestEvidenceIsCapped(t *testing.T) {
	en, db := MustEngine(t, astrill)
	p := mustPerson(t, db)
	for i := range detect.MaxEventIDs + 20 {
		if err := en.HandleDelivery(t.Context(), unmask.Delivery{Event: event(p.ID, i, "astrill")}); err != nil {
			t.Fatal(err)
		}
	}
	sigs, _, err := db.FindSignals(t.Context(), unmask.SignalFilter{PersonID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	s := sigs[0]
	if len(s.EventIDs) != detect.MaxEventIDs || s.Count != detect.MaxEventIDs+20 {
		t.Fatalf("event ids %d, count %d", len(s.EventIDs), s.Count)
	}
	if s.EventIDs[0] != event(p.ID, 0, "").ID || s.EventIDs[len(s.EventIDs)-1] != event(p.ID, detect.MaxEventIDs+19, "").ID {
		t.Error("evidence should keep the first and the latest events")
	}
}

func TestOnAlertsSeesNewAndUpdatedAlerts(t *testing.T) {
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	re, _ := risk.NewEngine(risk.Options{Now: func() time.Time { return t0 }})
	am, _ := alerting.NewManager(alerting.Options{Store: db, Now: func() time.Time { return t0 }})
	var created, updated int
	en, err := detect.NewEngine(detect.Options{Detectors: []detect.Detector{astrill}, Store: db, Risk: re, Alerts: am,
		OnAlerts: func(_ context.Context, res alerting.Result) { created += len(res.Created); updated += len(res.Updated) }})
	if err != nil {
		t.Fatal(err)
	}
	p := mustPerson(t, db)
	for i, egress := range []string{"astrill", "home", "astrill"} {
		if err := en.HandleDelivery(t.Context(), unmask.Delivery{Event: event(p.ID, i, egress)}); err != nil {
			t.Fatal(err)
		}
	}
	if created != 1 || updated != 1 {
		t.Errorf("OnAlerts saw %d created and %d updated alerts; want 1 and 1", created, updated)
	}
}

// TestClearedSignalsStayClearedUntilNewEvidence: a signal a legitimate case cleared stops
// counting once rescored, stays cleared when the same evidence is raised again, and counts
// again when new evidence arrives.
func TestClearedSignalsStayClearedUntilNewEvidence(t *testing.T) {
	en, db := MustEngine(t, astrill)
	ctx := t.Context()
	p := mustPerson(t, db)
	score := func() float64 {
		t.Helper()
		rs, err := db.FindRiskScore(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return rs.Score
	}
	first := event(p.ID, 1, "astrill")
	if err := en.HandleDelivery(ctx, unmask.Delivery{Event: first}); err != nil {
		t.Fatal(err)
	}
	if score() == 0 {
		t.Fatal("no risk from an Astrill sign-in")
	}
	sigs, _, err := db.FindSignals(ctx, unmask.SignalFilter{PersonID: &p.ID})
	if err != nil || len(sigs) != 1 {
		t.Fatalf("signals: %d, %v", len(sigs), err)
	}
	cleared, err := db.UpdateSignal(ctx, sigs[0].ID, unmask.SignalUpdate{ClearedAt: new(t0.Add(2 * time.Hour)), ClearedBy: new("case-1")})
	if err != nil {
		t.Fatal(err)
	}
	if err := en.Rescore(ctx, *cleared); err != nil {
		t.Fatal(err)
	}
	if got := score(); got != 0 {
		t.Errorf("score after clearing = %v, want 0", got)
	}
	// The same sign-in delivered again: the reviewed evidence, still cleared.
	if err := en.HandleDelivery(ctx, unmask.Delivery{Event: first, Attempt: 2}); err != nil {
		t.Fatal(err)
	}
	if got := score(); got != 0 {
		t.Errorf("score after the reviewed evidence came again = %v, want 0", got)
	}
	// A new Astrill sign-in after the review counts again.
	later := event(p.ID, 200, "astrill")
	later.Time = t0.Add(3 * time.Hour)
	if err := en.HandleDelivery(ctx, unmask.Delivery{Event: later}); err != nil {
		t.Fatal(err)
	}
	if score() == 0 {
		t.Error("new evidence after the review did not count")
	}
}
