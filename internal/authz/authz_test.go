package authz_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/authz"
	"github.com/unmask/unmask/internal/sqlite"
)

var day = time.Date(2026, 4, 6, 10, 0, 0, 0, time.UTC)

// fixture is a store with one person, their identifiers, a device, an event and an alert.
type fixture struct {
	db       *sqlite.DB
	svc      *authz.Service
	person   *unmask.Person
	alert    *unmask.Alert
	caseID   string
	ruleID   string
	users    map[unmask.Role]*unmask.User
	systemCx context.Context
}

// MustFixture seeds a fresh SQLite store.
func MustFixture(tb testing.TB) *fixture {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "a.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{db: db, svc: authz.New(db, authz.Options{Now: func() time.Time { return day }}),
		users: map[unmask.Role]*unmask.User{}, systemCx: unmask.NewContextWithUser(tb.Context(), unmask.SystemUser)}
	ctx := f.systemCx
	for _, r := range unmask.Roles {
		u := &unmask.User{Username: string(r) + "-user", Role: r}
		mustDo(tb, db.CreateUser(ctx, u))
		f.users[r] = u
	}
	f.person = &unmask.Person{DisplayName: "Jordan Reyes", Kind: unmask.PersonEmployee, Status: unmask.StatusActive,
		ExternalSource: "hris", ExternalID: "E1001", TimeZone: "America/Chicago",
		Location: unmask.Location{Country: "US", Region: "IL", City: "Chicago"}}
	mustDo(tb, db.CreatePerson(ctx, f.person))
	mustDo(tb, db.CreateIdentifier(ctx, &unmask.Identifier{PersonID: f.person.ID, Kind: unmask.IdentEmail, Hash: "h1", Display: "j***@example.com"}))
	mustDo(tb, db.CreateIdentifier(ctx, &unmask.Identifier{PersonID: f.person.ID, Kind: unmask.IdentGitHubLogin, Hash: "h2", Value: "jreyes-dev", Display: "jreyes-dev"}))
	mustDo(tb, db.CreateDevice(ctx, &unmask.Device{Source: "jamf", SourceID: "J-1", Serial: "C02XK1ABCD", Hostname: "jreyes-mbp", PersonID: f.person.ID, LastIP: "203.0.113.9"}))
	_, err = db.CreateEvents(ctx, []*unmask.Event{{ID: "ev1", Time: day, Source: "okta", Kind: unmask.KindSignIn, Actor: "jreyes@example.com",
		PersonID: f.person.ID, SourceIP: "203.0.113.9", Geo: &unmask.GeoPoint{Country: "US", City: "Dallas", ASN: 64500, ASOrg: "Example ISP"},
		Fields: map[string]string{"client.userAgent": "curl"}}})
	mustDo(tb, err)
	f.alert = &unmask.Alert{PersonID: f.person.ID, Concern: "N-01", Title: "Astrill VPN sign-in", Severity: unmask.SeverityHigh, Status: unmask.AlertOpen}
	mustDo(tb, db.CreateAlert(ctx, f.alert))
	c := &unmask.Case{PersonID: f.person.ID, Title: "Review Jordan", Status: unmask.CaseOpen, CreatedBy: "system"}
	mustDo(tb, db.CreateCase(ctx, c))
	f.caseID = c.ID
	r := &unmask.Rule{ID: "r-astrill", Title: "Astrill VPN", Level: unmask.SeverityHigh, Origin: unmask.RuleBundled, Enabled: true}
	mustDo(tb, db.CreateRule(ctx, r))
	f.ruleID = r.ID
	return f
}

func mustDo(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func (f *fixture) as(tb testing.TB, r unmask.Role) context.Context {
	tb.Helper()
	if r == "" {
		return tb.Context()
	}
	return unmask.NewContextWithUser(tb.Context(), f.users[r])
}

func TestPermissions(t *testing.T) {
	f := MustFixture(t)
	ops := []struct {
		name    string
		allowed []unmask.Role
		do      func(ctx context.Context) error
	}{
		{"FindPeople", unmask.Roles, func(ctx context.Context) error {
			_, _, err := f.svc.FindPeople(ctx, unmask.PersonFilter{})
			return err
		}},
		{"FindAuditEntries", []unmask.Role{unmask.RoleAdmin}, func(ctx context.Context) error {
			_, _, err := f.svc.FindAuditEntries(ctx, unmask.AuditFilter{})
			return err
		}},
		{"AcknowledgeAlert", []unmask.Role{unmask.RoleAdmin, unmask.RoleAnalyst, unmask.RoleHR}, func(ctx context.Context) error {
			_, err := f.svc.UpdateAlert(ctx, f.alert.ID, unmask.AlertUpdate{Status: new(unmask.AlertAcknowledged)})
			return err
		}},
		{"CaseNote", []unmask.Role{unmask.RoleAdmin, unmask.RoleAnalyst, unmask.RoleHR}, func(ctx context.Context) error {
			return f.svc.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: f.caseID, Body: "called the manager"})
		}},
		{"DisableRule", []unmask.Role{unmask.RoleAdmin, unmask.RoleAnalyst}, func(ctx context.Context) error {
			_, err := f.svc.UpdateRule(ctx, f.ruleID, unmask.RuleUpdate{Enabled: new(false)})
			return err
		}},
		{"FindDeadLetters", []unmask.Role{unmask.RoleAdmin, unmask.RoleAnalyst}, func(ctx context.Context) error {
			_, _, err := f.svc.FindDeadLetters(ctx, unmask.DeadLetterFilter{})
			return err
		}},
		{"FindTokens", []unmask.Role{unmask.RoleAdmin}, func(ctx context.Context) error {
			_, _, err := f.svc.FindTokens(ctx, unmask.TokenFilter{})
			return err
		}},
		{"CreateEvents", []unmask.Role{unmask.RoleAdmin}, func(ctx context.Context) error {
			_, err := f.svc.CreateEvents(ctx, nil)
			return err
		}},
		{"DeletePerson", []unmask.Role{unmask.RoleAdmin}, func(ctx context.Context) error {
			err := f.svc.DeletePerson(ctx, "no-such-person")
			if unmask.ErrorCode(err) == unmask.ENOTFOUND {
				return nil // allowed, and the store answered
			}
			return err
		}},
	}
	for _, op := range ops {
		for _, role := range append([]unmask.Role{""}, unmask.Roles...) {
			name := op.name + "/" + string(role)
			if role == "" {
				name = op.name + "/anonymous"
			}
			t.Run(name, func(t *testing.T) {
				want := unmask.EFORBIDDEN
				switch {
				case role == "":
					want = unmask.EUNAUTHORIZED
				case slices.Contains(op.allowed, role):
					want = ""
				}
				if got := unmask.ErrorCode(op.do(f.as(t, role))); got != want {
					t.Errorf("%s as %q: code %q, want %q", op.name, role, got, want)
				}
			})
		}
	}
}

func TestShaping(t *testing.T) {
	f := MustFixture(t)
	type view struct {
		Name, City, ExternalID string
		Identifiers            []string
		Serial, Hostname       string
		SourceIP, Actor        string
		HasFields              bool
	}
	tests := []struct {
		role unmask.Role
		want view
	}{
		{unmask.RoleAnalyst, view{"Jordan Reyes", "Chicago", "E1001", []string{"j***@example.com", "jreyes-dev"}, "C02XK1ABCD", "jreyes-mbp", "203.0.113.9", "jreyes@example.com", true}},
		{unmask.RoleHR, view{"Jordan Reyes", "Chicago", "E1001", []string{"j***@example.com", "jreyes-dev"}, "C02XK1ABCD", "", "", "jreyes@example.com", false}},
		{unmask.RoleViewer, view{authz.Pseudonym(f.person.ID), "", "", []string{"hidden", "j***"}, "****ABCD", "", "", "", false}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			ctx := f.as(t, tt.role)
			p, err := f.svc.FindPersonByID(ctx, f.person.ID)
			mustDo(t, err)
			ids, _, err := f.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &f.person.ID})
			mustDo(t, err)
			devs, _, err := f.svc.FindDevices(ctx, unmask.DeviceFilter{PersonID: &f.person.ID})
			mustDo(t, err)
			evs, _, err := f.svc.FindEvents(ctx, unmask.EventFilter{PersonID: &f.person.ID})
			mustDo(t, err)
			got := view{Name: p.DisplayName, City: p.Location.City, ExternalID: p.ExternalID,
				Serial: devs[0].Serial, Hostname: devs[0].Hostname, SourceIP: evs[0].SourceIP, Actor: evs[0].Actor,
				HasFields: evs[0].Fields != nil}
			for _, i := range ids {
				got.Identifiers = append(got.Identifiers, i.Display)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("view as %s (-want +got):\n%s", tt.role, d)
			}
			if evs[0].Geo == nil || evs[0].Geo.Country != "US" {
				t.Errorf("coarse geography dropped: %+v", evs[0].Geo)
			}
		})
	}
}

func TestRefusedSearches(t *testing.T) {
	f := MustFixture(t)
	q, ip, v := "Jordan", "203.0.113.9", "jreyes-dev"
	tests := []struct {
		name string
		role unmask.Role
		do   func(ctx context.Context) error
	}{
		{"ViewerByName", unmask.RoleViewer, func(ctx context.Context) error {
			_, _, err := f.svc.FindPeople(ctx, unmask.PersonFilter{Query: &q})
			return err
		}},
		{"HRByIP", unmask.RoleHR, func(ctx context.Context) error {
			_, _, err := f.svc.FindEvents(ctx, unmask.EventFilter{SourceIP: &ip})
			return err
		}},
		{"ViewerByIdentifierValue", unmask.RoleViewer, func(ctx context.Context) error {
			_, _, err := f.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{Value: &v})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unmask.ErrorCode(tt.do(f.as(t, tt.role))); got != unmask.EFORBIDDEN {
				t.Errorf("code = %q, want forbidden", got)
			}
		})
	}
}

func TestAudit(t *testing.T) {
	f := MustFixture(t)
	ctx := unmask.NewContextWithRemoteAddr(f.as(t, unmask.RoleAnalyst), "198.51.100.4")
	_, err := f.svc.FindPersonByID(ctx, f.person.ID)
	mustDo(t, err)
	_, _, err = f.svc.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &f.person.ID})
	mustDo(t, err)
	_, err = f.svc.UpdateCase(ctx, f.caseID, unmask.CaseUpdate{Status: new(unmask.CaseInvestigating)})
	mustDo(t, err)
	c := &unmask.Case{PersonID: f.person.ID, Title: "second", Status: unmask.CaseOpen, CreatedBy: "forged"}
	mustDo(t, f.svc.CreateCase(ctx, c))
	if c.CreatedBy != f.users[unmask.RoleAnalyst].ID {
		t.Errorf("CreatedBy = %q, want the acting user", c.CreatedBy)
	}
	_, err = f.svc.UpdateCase(ctx, f.caseID, unmask.CaseUpdate{Status: new(unmask.CaseOpen)})
	if unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("invalid transition = %v, want invalid", err)
	}
	entries, _, err := f.db.FindAuditEntries(f.systemCx, unmask.AuditFilter{ActorID: &f.users[unmask.RoleAnalyst].ID})
	mustDo(t, err)
	type row struct{ Action, ObjectID, Detail, RemoteAddr string }
	var got []row
	for _, e := range entries {
		got = append(got, row{e.Action, e.ObjectID, e.Detail, e.RemoteAddr})
	}
	want := []row{
		{"case.create", c.ID, "person=" + f.person.ID, "198.51.100.4"},
		{"case.update", f.caseID, "status=investigating ", "198.51.100.4"},
		{"identifier.view", f.person.ID, "role=analyst", "198.51.100.4"},
		{"person.view", f.person.ID, "role=analyst", "198.51.100.4"},
	}
	less := func(a, b row) bool { return a.Action < b.Action }
	if d := cmp.Diff(want, got, cmpopts.SortSlices(less)); d != "" {
		t.Errorf("audit (-want +got):\n%s", d)
	}
}

func TestFreeText(t *testing.T) {
	f := MustFixture(t)
	ctx := f.systemCx
	mustDo(t, f.db.CreateSignal(ctx, &unmask.Signal{PersonID: f.person.ID, Indicator: "§3.1", Detector: "sigma:rmm", Severity: unmask.SeverityHigh,
		Weight: 0.9, EventIDs: []string{"ev1"}, Explanation: "AnyDesk started on jreyes-mbp.", Time: day}))
	mustDo(t, f.db.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: f.caseID, Author: "system", Body: "Called Jordan's manager."}))
	pseudo := authz.Pseudonym(f.person.ID)
	type view struct{ CaseTitle, Note, Explanation string }
	tests := []struct {
		role unmask.Role
		want view
	}{
		{unmask.RoleAnalyst, view{"Review Jordan", "Called Jordan's manager.", "AnyDesk started on jreyes-mbp."}},
		{unmask.RoleHR, view{"Review Jordan", "Called Jordan's manager.", "Endpoint evidence; the details are shown to analysts only."}},
		{unmask.RoleViewer, view{"Review " + pseudo, "Called " + pseudo + "'s manager.", "Endpoint evidence; the details are shown to analysts only."}},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			ctx := f.as(t, tt.role)
			c, err := f.svc.FindCaseByID(ctx, f.caseID)
			mustDo(t, err)
			notes, err := f.svc.FindCaseNotes(ctx, f.caseID)
			mustDo(t, err)
			sigs, _, err := f.svc.FindSignals(ctx, unmask.SignalFilter{PersonID: &f.person.ID})
			mustDo(t, err)
			got := view{c.Title, notes[0].Body, sigs[0].Explanation}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("as %s (-want +got):\n%s", tt.role, d)
			}
			if tt.role != unmask.RoleAnalyst && sigs[0].EventIDs != nil {
				t.Errorf("endpoint evidence ids shown to %s: %v", tt.role, sigs[0].EventIDs)
			}
		})
	}
}

func TestNetworkAddressesHidden(t *testing.T) {
	f := MustFixture(t)
	const text = "Sign-in at 10:30:00 from 198.51.100.66 (AS64498 Astrill VPN) and 2001:db8::1; 3 people behind 192.0.2.33/32."
	mustDo(t, f.db.CreateSignal(f.systemCx, &unmask.Signal{PersonID: f.person.ID, Indicator: "N-01", Detector: "analytics:vpn", Severity: unmask.SeverityHigh,
		Weight: 0.9, Explanation: text, Time: day}))
	for role, want := range map[unmask.Role]string{
		unmask.RoleAnalyst: text,
		unmask.RoleHR:      "Sign-in at 10:30:00 from [address] (AS64498 Astrill VPN) and [address]; 3 people behind [address].",
	} {
		sigs, _, err := f.svc.FindSignals(f.as(t, role), unmask.SignalFilter{PersonID: &f.person.ID})
		mustDo(t, err)
		if sigs[0].Explanation != want {
			t.Errorf("as %s: %q, want %q", role, sigs[0].Explanation, want)
		}
	}
}

// TestSerialsShortenedWithoutHR: roles without HR access see the laptop serials of O-05
// signals and risk reasons as the devices table shows them, by their last four characters.
func TestSerialsShortenedWithoutHR(t *testing.T) {
	f := MustFixture(t)
	const text = "MDM reports a laptop with serial C02XK1ABCD for the person, but IT assigned FVFX3Q2LHV2H, PF-2K9XQ7."
	sg := &unmask.Signal{PersonID: f.person.ID, Indicator: "O-05", Detector: "analytics:serial", Severity: unmask.SeverityHigh,
		Weight: 0.7, Explanation: text, Key: "O-05:serial:C02XK1ABCD", Time: day}
	mustDo(t, f.db.CreateSignal(f.systemCx, sg))
	mustDo(t, f.db.SaveRiskScore(f.systemCx, &unmask.RiskScore{PersonID: f.person.ID, Score: 25, Band: unmask.BandLow, ComputedAt: day,
		Reasons: []unmask.RiskReason{{Indicator: "O-05", Family: unmask.IndicatorFamily("O-05"), SignalIDs: []string{sg.ID}, Explanation: text}}}))
	const short = "MDM reports a laptop with serial ****ABCD for the person, but IT assigned ****HV2H, ****9XQ7."
	for role, want := range map[unmask.Role][2]string{
		unmask.RoleHR:     {text, "O-05:serial:C02XK1ABCD"},
		unmask.RoleViewer: {short, "O-05:serial:****ABCD"},
	} {
		got, err := f.svc.FindSignalByID(f.as(t, role), sg.ID)
		mustDo(t, err)
		if got.Explanation != want[0] || got.Key != want[1] {
			t.Errorf("signal as %s: %q key %q, want %q key %q", role, got.Explanation, got.Key, want[0], want[1])
		}
		sc, err := f.svc.FindRiskScore(f.as(t, role), f.person.ID)
		mustDo(t, err)
		if sc.Reasons[0].Explanation != want[0] {
			t.Errorf("risk reason as %s: %q, want %q", role, sc.Reasons[0].Explanation, want[0])
		}
	}
}
