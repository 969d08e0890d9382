package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

// EventIDMigration checks the migration to time-ordered event ids: it stores events with
// the old ids in s, and migrate runs the migration over them. Events stored with the
// old ids (the record's hash alone) get unmask.EventID's id for the same record, and the
// signals, risk reasons and cases that cite them follow; an id that names no event is
// left as it is, and re-ingesting the records adds nothing.
func EventIDMigration(t *testing.T, s Store, migrate func() error) {
	ctx := ctx(t)
	at := []time.Time{
		time.Date(2026, 3, 1, 9, 30, 0, 123_456_789, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999_500_000, time.UTC), // before 1970: the prefix wraps as EventID's does
	}
	var legacy []*unmask.Event
	for i, t0 := range at {
		raw := `{"uuid":"legacy-` + string(rune('a'+i)) + `"}`
		sum := sha256.Sum256([]byte("okta\x00" + raw))
		e := MustEvent("okta", unmask.KindSignIn, "legacy@contoso.example", t0, raw)
		e.ID = hex.EncodeToString(sum[:16])
		legacy = append(legacy, e)
	}
	if _, err := s.CreateEvents(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	p := MustCreatePerson(t, ctx, s, "Legacy Person", unmask.PersonEmployee)
	old := []string{legacy[0].ID, legacy[1].ID, "not-an-event"}
	sg := &unmask.Signal{PersonID: p.ID, Indicator: "N-01", Detector: "d", Severity: unmask.SeverityLow, Time: day, EventIDs: old}
	must(t, s.CreateSignal(ctx, sg))
	must(t, s.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: p.ID, Score: 40, Band: unmask.BandMedium, ComputedAt: day,
		Reasons: []unmask.RiskReason{{Indicator: "N-01", SignalIDs: []string{sg.ID}, EventIDs: old[:1], Explanation: "x"}, {Indicator: "H-01", SignalIDs: []string{"s2"}}}}))
	c := &unmask.Case{PersonID: p.ID, Title: "Legacy", Evidence: []string{sg.ID, legacy[1].ID}}
	must(t, s.CreateCase(ctx, c))

	must(t, migrate())

	want := make([]string, len(legacy))
	for i, e := range legacy {
		want[i] = unmask.EventID("okta", e.Time, e.Raw)
		got, err := s.FindEventByID(ctx, want[i])
		must(t, err)
		if string(got.Raw) != string(e.Raw) || !got.Time.Equal(e.Time) {
			t.Errorf("event %s after migration: %+v", want[i], got)
		}
		if _, err := s.FindEventByID(ctx, e.ID); unmask.ErrorCode(err) != unmask.ENOTFOUND {
			t.Errorf("old id %s still found: %v", e.ID, err)
		}
	}
	gotSig, err := s.FindSignalByID(ctx, sg.ID)
	must(t, err)
	diff(t, "signal event ids", []string{want[0], want[1], "not-an-event"}, gotSig.EventIDs)
	rs, err := s.FindRiskScore(ctx, p.ID)
	must(t, err)
	diff(t, "risk reason event ids", []string{want[0]}, rs.Reasons[0].EventIDs)
	if len(rs.Reasons) != 2 || rs.Reasons[1].EventIDs != nil || rs.Reasons[1].SignalIDs[0] != "s2" {
		t.Errorf("other reason changed: %+v", rs.Reasons)
	}
	gotCase, err := s.FindCaseByID(ctx, c.ID)
	must(t, err)
	diff(t, "case evidence", []string{sg.ID, want[1]}, gotCase.Evidence)

	again := make([]*unmask.Event, len(legacy))
	for i, e := range legacy {
		again[i] = MustEvent("okta", unmask.KindSignIn, e.Actor, e.Time, string(e.Raw))
	}
	n, err := s.CreateEvents(ctx, again)
	must(t, err)
	if n != 0 {
		t.Errorf("re-ingesting migrated records added %d events", n)
	}
}
