package ruleset

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/risk"
	"github.com/unmask/unmask/internal/sqlite"
	"github.com/unmask/unmask/rules"
)

// MustDB returns a migrated SQLite store.
func MustDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "r.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// TestSync stores the rules, keeps the stored enablement across syncs and reloads, and
// stores changed metadata again.
func TestSync(t *testing.T) {
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	db := MustDB(t)
	disabledID := "7f895323-9e89-4fc6-858b-0a7aa0b67e1f"
	s := MustLoad(t, Options{Disabled: []string{disabledID}})
	res, err := s.Sync(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != s.Len() || res.Updated != 0 || len(res.Stale) != 0 {
		t.Errorf("first Sync = %+v, want %d created", res, s.Len())
	}
	stored, n, err := db.FindRules(ctx, unmask.RuleFilter{Enabled: new(false)})
	if err != nil || n != 1 || stored[0].ID != disabledID {
		t.Errorf("stored disabled rules = %v (%d), %v; want only the rule Options.Disabled names", stored, n, err)
	}

	ra := MustEntry(t, s, "unmask_ra_anydesk").meta.ID
	svc := &Service{RuleService: db, Set: s}
	if _, err := svc.UpdateRule(ctx, ra, unmask.RuleUpdate{Enabled: new(false)}); err != nil {
		t.Fatal(err)
	}
	if s.Enabled(ra) {
		t.Error("Service.UpdateRule did not disable the rule in the set")
	}

	// A new process: the pack changed one rule's title, and a user rule is gone.
	changed := MustLoad(t, Options{User: []Source{{Name: "u", FS: fstest.MapFS{"r.yml": {Data: []byte(userRule)}}}}})
	if _, err := changed.Sync(ctx, db); err != nil {
		t.Fatal(err)
	}
	anydeskFile := MustEntry(t, s, "unmask_ra_anydesk_domains").rule.Path
	override := fstest.MapFS{"a.yml": {Data: []byte(strings.Replace(mustPackFile(t, anydeskFile),
		"AnyDesk remote-access tool service domain contacted", "AnyDesk domains", 1))}}
	again := MustLoad(t, Options{User: []Source{{Name: "o", FS: override}}})
	if !again.Enabled(ra) {
		t.Fatal("a fresh set starts with every rule enabled")
	}
	res, err = again.Sync(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated != 1 || len(res.Stale) != 1 || res.Stale[0] != "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01" {
		t.Errorf("Sync after changes = %+v, want 1 updated and the user rule stale", res)
	}
	if again.Enabled(ra) {
		t.Error("Sync did not apply the stored Enabled=false")
	}
	r, err := db.FindRuleByID(ctx, MustEntry(t, again, "unmask_ra_anydesk_domains").meta.ID)
	if err != nil || r.Title != "AnyDesk domains" || r.Origin != unmask.RuleUser || !r.Enabled {
		t.Errorf("changed rule stored as %+v, %v", r, err)
	}

	// Another process enables the rule again; Refresh picks it up.
	if _, err := db.UpdateRule(ctx, ra, unmask.RuleUpdate{Enabled: new(true)}); err != nil {
		t.Fatal(err)
	}
	if err := again.Refresh(ctx, db); err != nil {
		t.Fatal(err)
	}
	if !again.Enabled(ra) {
		t.Error("Refresh did not apply the stored Enabled=true")
	}
}

// mustPackFile returns a rule file of the bundled pack.
func mustPackFile(tb testing.TB, p string) string {
	tb.Helper()
	data, err := fs.ReadFile(rules.FS, p)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// TestDetectEngine runs the detector inside the detection stage over SQLite: a repeat of
// the same rule for the same person updates one stored signal.
func TestDetectEngine(t *testing.T) {
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	db := MustDB(t)
	re, err := risk.NewEngine(risk.Options{Now: func() time.Time { return FixtureTime.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	s := MustLoad(t, Options{})
	en, err := detect.NewEngine(detect.Options{Detectors: []detect.Detector{NewDetector(s)}, Store: db, Risk: re})
	if err != nil {
		t.Fatal(err)
	}
	p := &unmask.Person{DisplayName: "Sam Park", Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
	if err := db.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		e := anydesk()
		e.ID, e.PersonID, e.Time = fmt.Sprintf("ev-%d", i), p.ID, FixtureTime.Add(time.Duration(i)*time.Minute)
		if err := en.HandleDelivery(ctx, unmask.Delivery{Event: e, Attempt: 1}); err != nil {
			t.Fatal(err)
		}
	}
	det := DetectorPrefix + MustEntry(t, s, "unmask_ra_anydesk").meta.ID
	sigs, n, err := db.FindSignals(ctx, unmask.SignalFilter{Detector: &det})
	if err != nil || n != 1 {
		t.Fatalf("stored signals = %d, %v; want 1", n, err)
	}
	if got := sigs[0]; got.Count != 2 || len(got.EventIDs) != 2 || !got.LastSeen.Equal(FixtureTime.Add(time.Minute)) {
		t.Errorf("stored signal = %+v, want count 2 over both events", got)
	}
}
