package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

// TestConfiguredSuppressions silences one indicator through alerting.suppressions: the
// planted shared ship-to addresses (O-02) raise signals but no alert, the suppression
// counts them, and an expired entry is skipped rather than refused.
func TestConfiguredSuppressions(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "unmask.yaml")
	next := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	yaml := "alerting:\n  suppressions:\n" +
		"    - {id: shipto, indicator: O-02, reason: reviewed reshipping warehouse, owner: ana, expires: " + next + "}\n" +
		"    - {id: old, indicator: N-02, reason: ended travel, owner: ana, expires: 2020-01-31}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMain()
	m.Getenv = env(filepath.Join(dir, "unused"))
	m.configPath = cfg
	m.Stdout, m.Stderr, m.Stdin = io.Discard, io.Discard, strings.NewReader("")
	defer m.Close()
	_, p, err := m.prepareDemo(t.Context(), filepath.Join(dir, "demo"), genFlags{employees: 60, applicants: 20, days: 7, seed: 3, start: "recent"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := adminContext(t.Context())
	o02 := "O-02"
	_, signals, err := m.db.FindSignals(ctx, unmask.SignalFilter{Indicator: &o02})
	if err != nil {
		t.Fatal(err)
	}
	alerts, _, err := m.db.FindAlerts(ctx, unmask.AlertFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		if a.Concern == "O-02" {
			t.Errorf("alert %+v for a suppressed indicator", a)
		}
	}
	shown := p.suppressionsShown()
	if signals == 0 || len(shown) != 1 || shown[0].ID != "shipto" || shown[0].Suppressed == 0 {
		t.Errorf("%d O-02 signals; suppressions shown %+v; want the active one only, with its count", signals, shown)
	}
}
