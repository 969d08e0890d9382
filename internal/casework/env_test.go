package casework_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/sqlite"
)

// clock is a test clock that moves one second on every reading, so audit entries order.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// env is a case service on a fresh SQLite store with one user per role.
type env struct {
	db    *sqlite.DB
	svc   *casework.Service
	clock *clock
	hash  *idhash.Hasher
	users map[unmask.Role]*unmask.User
}

var start = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func newEnv(tb testing.TB) *env {
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
	clk := &clock{t: start}
	db.Now = clk.Now
	h, err := idhash.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{db: db, clock: clk, hash: h, users: map[unmask.Role]*unmask.User{}}
	for _, r := range unmask.Roles {
		u := &unmask.User{Username: string(r) + "1", Role: r}
		if err := db.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
		e.users[r] = u
	}
	e.svc, err = casework.NewService(casework.Options{
		Cases: db, Alerts: db, Signals: db, Events: db, Identifiers: db, Indicators: db,
		Audit: db, People: db, Risk: db, SpotChecks: db, Users: db, Now: clk.Now,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// as returns a context acting as the user of role r.
func (e *env) as(r unmask.Role) context.Context {
	return unmask.NewContextWithUser(context.Background(), e.users[r])
}

func (e *env) person(tb testing.TB, name string) *unmask.Person {
	tb.Helper()
	p := &unmask.Person{Kind: unmask.PersonEmployee, Status: unmask.StatusActive, DisplayName: name}
	if err := e.db.CreatePerson(context.Background(), p); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (e *env) signal(tb testing.TB, personID, indicator string) *unmask.Signal {
	tb.Helper()
	s := &unmask.Signal{PersonID: personID, Indicator: indicator, Detector: "test", Severity: unmask.SeverityHigh,
		Weight: 0.8, Explanation: "Test evidence.", Time: start}
	if err := e.db.CreateSignal(context.Background(), s); err != nil {
		tb.Fatal(err)
	}
	return s
}

func (e *env) event(tb testing.TB, personID, raw string) *unmask.Event {
	tb.Helper()
	ev := &unmask.Event{ID: unmask.EventID("test", start, []byte(raw)), Time: start, Source: "test",
		Kind: unmask.KindSignIn, PersonID: personID, Raw: []byte(raw)}
	if _, err := e.db.CreateEvents(context.Background(), []*unmask.Event{ev}); err != nil {
		tb.Fatal(err)
	}
	return ev
}

func (e *env) alert(tb testing.TB, personID, concern string, sev unmask.Severity, signals ...*unmask.Signal) *unmask.Alert {
	tb.Helper()
	a := &unmask.Alert{PersonID: personID, Concern: concern, Title: "Concern " + concern, Severity: sev,
		Status: unmask.AlertOpen, Count: len(signals), FirstSeen: start, LastSeen: start}
	for _, s := range signals {
		a.SignalIDs = append(a.SignalIDs, s.ID)
	}
	if err := e.db.CreateAlert(context.Background(), a); err != nil {
		tb.Fatal(err)
	}
	return a
}

// caseIn stores a case for the person directly in status st, assigned to the analyst.
func (e *env) caseIn(tb testing.TB, personID string, st unmask.CaseStatus) *unmask.Case {
	tb.Helper()
	c := &unmask.Case{PersonID: personID, Title: "Case in " + string(st), Status: st,
		Assignee: e.users[unmask.RoleAnalyst].ID, CreatedBy: e.users[unmask.RoleAnalyst].ID}
	if st == unmask.CaseClosed {
		c.Disposition = unmask.DispositionInconclusive
	}
	if err := e.db.CreateCase(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func (e *env) identifier(tb testing.TB, personID string, kind unmask.IdentifierKind, value string) *unmask.Identifier {
	tb.Helper()
	id := e.hash.Identifier(personID, kind, value, "hris")
	if err := e.db.CreateIdentifier(context.Background(), id); err != nil {
		tb.Fatal(err)
	}
	return id
}

// auditOf returns the audit entries of a case, oldest first.
func (e *env) auditOf(tb testing.TB, caseID string) []*unmask.AuditEntry {
	tb.Helper()
	entries, _, err := e.db.FindAuditEntries(context.Background(), unmask.AuditFilter{ObjectID: &caseID})
	if err != nil {
		tb.Fatal(err)
	}
	slices.Reverse(entries)
	return entries
}

func (e *env) findCase(tb testing.TB, id string) *unmask.Case {
	tb.Helper()
	c, err := e.db.FindCaseByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func (e *env) caseIndicators(tb testing.TB, caseID string) []*unmask.Indicator {
	tb.Helper()
	ins, _, err := e.db.FindIndicators(context.Background(), unmask.IndicatorFilter{CaseID: &caseID})
	if err != nil {
		tb.Fatal(err)
	}
	return ins
}

// wantCode fails unless err carries code ("" for no error).
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := unmask.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func (e *env) identifiersOf(tb testing.TB, personID string) []*unmask.Identifier {
	tb.Helper()
	ids, _, err := e.db.FindIdentifiers(context.Background(), unmask.IdentifierFilter{PersonID: &personID})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}
