package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
)

func testAudit(t *testing.T, s Store) {
	ctx := ctx(t)
	for i := range 5 {
		a := unmask.NewAuditEntry(ctx, "person.view", "person", fmt.Sprintf("p%d", i%2), "")
		a.Time = day.Add(time.Duration(i) * time.Minute)
		must(t, s.CreateAuditEntry(ctx, a))
		if a.ActorID != unmask.SystemUser.ID || a.ID == "" {
			t.Fatalf("entry = %+v", a)
		}
	}
	wantCode(t, s.CreateAuditEntry(ctx, &unmask.AuditEntry{Action: "x"}), unmask.EINVALID)
	list, total, err := s.FindAuditEntries(ctx, unmask.AuditFilter{ObjectType: new("person"), ObjectID: new("p0")})
	must(t, err)
	if total != 3 || !list[0].Time.Equal(day.Add(4*time.Minute)) {
		t.Errorf("p0 entries = %d, newest first", total)
	}
	since := day.Add(2 * time.Minute)
	list, total, err = s.FindAuditEntries(ctx, unmask.AuditFilter{Since: &since, Page: unmask.Page{Limit: 2}})
	must(t, err)
	if total != 3 || len(list) != 2 {
		t.Errorf("since = %d", total)
	}
}

func testDeadLetter(t *testing.T, s Store) {
	ctx := ctx(t)
	big := bytes.Repeat([]byte("x"), unmask.MaxDeadLetterRaw+10)
	dls := []*unmask.DeadLetter{
		{Source: "okta", File: "logs.json", Line: 3, Offset: 812, Reason: "invalid JSON: unexpected end of input", Raw: []byte(`{"eventType":`)},
		{Source: "okta", File: "logs.json", Line: 9, Offset: 4000, Reason: "record over 1 MiB", Raw: big},
		{Source: "zeek", File: "conn.log", Line: 1, Reason: "missing #fields header", Raw: []byte("garbage")},
	}
	must(t, s.CreateDeadLetters(ctx, dls))
	got, err := s.FindDeadLetterByID(ctx, dls[1].ID)
	must(t, err)
	if !got.Truncated || len(got.Raw) != unmask.MaxDeadLetterRaw || got.Offset != 4000 || got.Line != 9 {
		t.Errorf("truncated dead letter = line %d offset %d raw %d truncated %v", got.Line, got.Offset, len(got.Raw), got.Truncated)
	}
	first, err := s.FindDeadLetterByID(ctx, dls[0].ID)
	must(t, err)
	diff(t, "FindDeadLetterByID", dls[0], first)
	list, total, err := s.FindDeadLetters(ctx, unmask.DeadLetterFilter{Source: new("okta"), Page: unmask.Page{Limit: 1}})
	must(t, err)
	if total != 2 || len(list) != 1 {
		t.Errorf("okta dead letters = %d", total)
	}
	counts, err := s.CountDeadLetters(ctx)
	must(t, err)
	diff(t, "CountDeadLetters", map[string]int{"okta": 2, "zeek": 1}, counts)
	wantCode(t, s.CreateDeadLetters(ctx, []*unmask.DeadLetter{{Source: "okta"}}), unmask.EINVALID)
	must(t, s.DeleteDeadLetter(ctx, dls[2].ID))
	wantCode(t, s.DeleteDeadLetter(ctx, dls[2].ID), unmask.ENOTFOUND)
}

func testCheckpoint(t *testing.T, s Store) {
	ctx := ctx(t)
	c, err := s.FindCheckpoint(ctx, "okta:poll")
	must(t, err)
	if c != "" {
		t.Errorf("empty checkpoint = %q", c)
	}
	must(t, s.SaveCheckpoint(ctx, "okta:poll", "after=abc"))
	must(t, s.SaveCheckpoint(ctx, "okta:poll", "after=def"))
	must(t, s.SaveCheckpoint(ctx, "github:poll", "cursor=1"))
	c, err = s.FindCheckpoint(ctx, "okta:poll")
	must(t, err)
	if c != "after=def" {
		t.Errorf("checkpoint = %q", c)
	}
}

func testDeletePersonCascades(t *testing.T, s Store) {
	ctx := ctx(t)
	p := MustCreatePerson(t, ctx, s, "Cascade", unmask.PersonEmployee)
	must(t, s.CreateIdentifier(ctx, &unmask.Identifier{PersonID: p.ID, Kind: unmask.IdentGitHubLogin, Value: "c", Hash: "h"}))
	must(t, s.CreateSignal(ctx, &unmask.Signal{PersonID: p.ID, Indicator: "N-02", Detector: "d", Severity: unmask.SeverityLow, Time: day}))
	must(t, s.SaveRiskScore(ctx, &unmask.RiskScore{PersonID: p.ID, Score: 10, Band: unmask.BandLow}))
	must(t, s.CreateCase(ctx, &unmask.Case{PersonID: p.ID, Title: "c"}))
	e := MustEvent("okta", unmask.KindSignIn, "c@corp.example", day, "{}")
	e.PersonID = p.ID
	_, err := s.CreateEvents(ctx, []*unmask.Event{e})
	must(t, err)
	must(t, s.DeletePerson(ctx, p.ID))
	for name, count := range map[string]func() (int, error){
		"identifiers": func() (int, error) {
			_, n, err := s.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &p.ID})
			return n, err
		},
		"signals": func() (int, error) {
			_, n, err := s.FindSignals(ctx, unmask.SignalFilter{PersonID: &p.ID})
			return n, err
		},
		"cases": func() (int, error) { _, n, err := s.FindCases(ctx, unmask.CaseFilter{PersonID: &p.ID}); return n, err },
		"events": func() (int, error) {
			_, n, err := s.FindEvents(ctx, unmask.EventFilter{PersonID: &p.ID})
			return n, err
		},
	} {
		n, err := count()
		must(t, err)
		if n != 0 {
			t.Errorf("%d %s outlived their person", n, name)
		}
	}
	_, err = s.FindRiskScore(ctx, p.ID)
	wantCode(t, err, unmask.ENOTFOUND)
	if got, err := s.FindEventByID(ctx, e.ID); err != nil || got.PersonID != "" {
		t.Errorf("event should stay, unresolved: %v %v", got, err)
	}
}

// testConcurrentWriters runs many writers at once; none may fail with "database is locked".
func testConcurrentWriters(t *testing.T, s Store) {
	ctx := ctx(t)
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				p := &unmask.Person{DisplayName: fmt.Sprintf("W%d-%d", w, i), Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
				if err := s.CreatePerson(ctx, p); err != nil {
					errs <- err
					continue
				}
				e := MustEvent("okta", unmask.KindSignIn, p.DisplayName, day, p.ID)
				if _, err := s.CreateEvents(ctx, []*unmask.Event{e}); err != nil {
					errs <- err
				}
				if _, err := s.UpdatePerson(ctx, p.ID, unmask.PersonUpdate{Title: new("t")}); err != nil {
					errs <- err
				}
				if _, _, err := s.FindPeople(ctx, unmask.PersonFilter{Page: unmask.Page{Limit: 5}}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	_, total, err := s.FindPeople(ctx, unmask.PersonFilter{})
	must(t, err)
	if total != writers*each {
		t.Errorf("people = %d, want %d", total, writers*each)
	}
}
