package main

import (
	"testing"
	"time"

	"github.com/unmask/unmask"
)

// TestServerFollowsSignalsOfAnotherProcess: a signal another process stores in the same
// database (as `unmask ingest` does beside `unmask serve`) reaches the server's risk
// engine at its next follow pass, and the person's stored score follows.
func TestServerFollowsSignalsOfAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	open := func() (*Main, *processor) {
		m, p := openProcessor(t, dir)
		t.Cleanup(func() { m.Close() })
		return m, p
	}
	ctx := adminContext(t.Context())
	_, server := open()
	cli, _ := open()
	person := &unmask.Person{DisplayName: "Robin Diaz", Kind: unmask.PersonEmployee, Status: unmask.StatusActive, HireDate: time.Now().AddDate(0, 0, -20)}
	if err := cli.db.CreatePerson(ctx, person); err != nil {
		t.Fatal(err)
	}
	since := time.Now()
	sg := &unmask.Signal{PersonID: person.ID, Indicator: "N-01", Detector: "analytics:vpn", Severity: unmask.SeverityHigh, Weight: 0.9,
		Explanation: "Signed in from Astrill VPN egress.", Key: "astrill", Time: time.Now().Add(-time.Hour)}
	if err := cli.db.CreateSignal(ctx, sg); err != nil {
		t.Fatal(err)
	}
	if s, _ := server.risk.Score(person.ID); s.Score != 0 {
		t.Fatalf("the server scored the signal before following: %v", s.Score)
	}
	n, err := server.reloadSignals(ctx, since.Add(-followMargin))
	if err != nil || n != 1 {
		t.Fatalf("followed %d signals (%v), want 1", n, err)
	}
	live, _ := server.risk.Score(person.ID)
	stored, err := server.m.db.FindRiskScore(ctx, person.ID)
	if live.Score == 0 || err != nil || stored.Score != live.Score {
		t.Errorf("after following: live %.1f, stored %+v (%v)", live.Score, stored, err)
	}
	if n, err := server.reloadSignals(ctx, time.Now().Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("a pass with nothing new read %d signals (%v)", n, err)
	}
}
