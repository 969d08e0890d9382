package httpapi_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/auth"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/password"
	"github.com/unmask/unmask/internal/sqlite"
)

// now is the fixed clock of every fixture.
var now = time.Date(2026, 4, 20, 15, 0, 0, 0, time.UTC)

// testPassword is every fixture user's password.
const testPassword = "correct horse battery staple"

// world is a seeded store: realistic people, identifiers, events, signals, scores, alerts,
// cases and spot checks, plus one user and one API token per role.
type world struct {
	db     *sqlite.DB
	auth   *auth.Authenticator
	users  map[unmask.Role]*unmask.User
	tokens map[unmask.Role]string
	// people by short name: jordan (high risk employee), mei (applicant sharing a phone
	// with lee), lee (applicant), sam (low risk employee).
	people map[string]*unmask.Person
	alert  *unmask.Alert
	kase   *unmask.Case
	spot   *unmask.SpotCheck
	rule   *unmask.Rule
	ioc    *unmask.Indicator
}

// MustWorld opens a fresh SQLite store and seeds it.
func MustWorld(tb testing.TB) *world {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "unmask.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return now }
	w := &world{db: db, users: map[unmask.Role]*unmask.User{}, tokens: map[unmask.Role]string{}, people: map[string]*unmask.Person{}}
	w.auth = auth.New(auth.Options{Store: db, MaxFailures: 3, Now: func() time.Time { return now },
		Params: password.Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}})
	ctx := unmask.NewContextWithUser(tb.Context(), unmask.SystemUser)
	for _, r := range unmask.Roles {
		u := &unmask.User{Username: string(r), DisplayName: map[unmask.Role]string{unmask.RoleAdmin: "Ada Admin",
			unmask.RoleAnalyst: "Ana Lyst", unmask.RoleHR: "Hana Resources", unmask.RoleViewer: "Vic Viewer"}[r], Role: r}
		must(tb, w.auth.CreateUser(ctx, u, testPassword))
		_, secret, err := w.auth.CreateToken(ctx, u, "test", r, 0)
		must(tb, err)
		w.users[r], w.tokens[r] = u, secret
	}
	w.seedPeople(tb)
	w.seedEvidence(tb)
	w.seedResponse(tb)
	return w
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func (w *world) ctx(tb testing.TB) context.Context {
	return unmask.NewContextWithUser(tb.Context(), unmask.SystemUser)
}

func (w *world) seedPeople(tb testing.TB) {
	tb.Helper()
	ctx := w.ctx(tb)
	hasher, err := idhash.New(make([]byte, idhash.KeySize))
	must(tb, err)
	people := []struct {
		key  string
		p    unmask.Person
		ids  [][2]string // kind, normalised value
		tz   string
		hire int // days before now; 0 for none
	}{
		{"jordan", unmask.Person{DisplayName: "Jordan Reyes", Kind: unmask.PersonEmployee, Status: unmask.StatusActive, Department: "Engineering",
			Title: "Senior Backend Engineer", ExternalSource: "hris", ExternalID: "E-10442", Location: unmask.Location{Country: "US", Region: "IL", City: "Chicago"}},
			[][2]string{{"email", "jordan.reyes.dev@gmail.com"}, {"phone", "+13125550142"}, {"github_login", "jreyes-dev"}, {"ship_to_address", "1400 Elm St, Dallas, TX 75201, US"}},
			"America/Chicago", 41},
		{"mei", unmask.Person{DisplayName: "Mei Tanaka", Kind: unmask.PersonApplicant, Status: unmask.StatusApplied, Department: "Engineering",
			Title: "Full Stack Blockchain Developer", ExternalSource: "greenhouse", ExternalID: "C-88121", Location: unmask.Location{Country: "US", Region: "WA", City: "Seattle"}},
			[][2]string{{"email", "mei.tanaka.fs@outlook.com"}, {"phone", "+12065550199"}, {"github_login", "meitanaka-web3"}},
			"America/Los_Angeles", 0},
		{"lee", unmask.Person{DisplayName: "Lee Warren", Kind: unmask.PersonApplicant, Status: unmask.StatusApplied, Department: "Engineering",
			Title: "Senior Software Engineer", ExternalSource: "greenhouse", ExternalID: "C-88187", Location: unmask.Location{Country: "US", Region: "NY", City: "Buffalo"}},
			[][2]string{{"email", "lee.warren.codes@gmail.com"}, {"phone", "+12065550199"}, {"address", "1400 Elm St, Dallas, TX 75201, US"}},
			"America/New_York", 0},
		{"sam", unmask.Person{DisplayName: "Sam Okafor", Kind: unmask.PersonEmployee, Status: unmask.StatusActive, Department: "Finance",
			Title: "Accountant", ExternalSource: "hris", ExternalID: "E-10017", Location: unmask.Location{Country: "US", Region: "MN", City: "Minneapolis"}},
			[][2]string{{"email", "sam.okafor@example.com"}, {"github_login", "sokafor"}},
			"America/Chicago", 900},
	}
	for _, p := range people {
		person := p.p
		person.TimeZone = p.tz
		if p.hire > 0 {
			person.HireDate = now.AddDate(0, 0, -p.hire)
		}
		must(tb, w.db.CreatePerson(ctx, &person))
		w.people[p.key] = &person
		for _, kv := range p.ids {
			must(tb, w.db.CreateIdentifier(ctx, hasher.Identifier(person.ID, unmask.IdentifierKind(kv[0]), kv[1], person.ExternalSource)))
		}
	}
	jordan := w.people["jordan"]
	must(tb, w.db.CreateIdentifier(ctx, hasher.Identifier(w.people["lee"].ID, unmask.IdentShipToAddress, "1400 Elm St, Dallas, TX 75201, US", "greenhouse")))
	must(tb, w.db.CreateDevice(ctx, &unmask.Device{Source: "jamf", SourceID: "jamf-771", Serial: "C02FK3ZXQ6L4", Hostname: "JREYES-MBP",
		PersonID: jordan.ID, UserLogin: "jreyes", Platform: "macos", OSVersion: "15.3", Model: "MacBook Pro 14", Managed: true,
		LastIP: "203.0.113.77", EnrolledAt: now.AddDate(0, 0, -38), LastSeenAt: now.Add(-2 * time.Hour)}))
	must(tb, w.db.CreateDevice(ctx, &unmask.Device{Source: "intune", SourceID: "in-2231", Serial: "PF4XW9Q2", Hostname: "DESKTOP-7Q1K2LM",
		PersonID: jordan.ID, UserLogin: "jreyes", Platform: "windows", OSVersion: "10.0.19045", Model: "ThinkPad T14", Managed: false,
		LastIP: "198.51.100.23", LastSeenAt: now.Add(-5 * time.Hour)}))
}

func (w *world) seedEvidence(tb testing.TB) {
	tb.Helper()
	ctx := w.ctx(tb)
	jordan, sam := w.people["jordan"], w.people["sam"]
	var events []*unmask.Event
	// Jordan signs in at 09:00-17:00 Pyongyang time (00:00-08:00 UTC), from Astrill VPN and a
	// Dallas residential line; Sam keeps Chicago office hours.
	for d := 1; d <= 14; d++ {
		day := now.AddDate(0, 0, -d).Truncate(24 * time.Hour)
		for h := 0; h <= 8; h += 2 {
			t := day.Add(time.Duration(h)*time.Hour + 13*time.Minute)
			geo := &unmask.GeoPoint{Country: "US", City: "Dallas", ASN: 7018, ASOrg: "AT&T Services"}
			ip := "203.0.113.77"
			if h == 2 {
				geo, ip = &unmask.GeoPoint{Country: "US", City: "Los Angeles", ASN: 136787, ASOrg: "Astrill VPN"}, "142.214.202.2"
			}
			if h == 6 && d%3 == 0 {
				geo, ip = &unmask.GeoPoint{Country: "CN", City: "Shenyang", ASN: 4837, ASOrg: "China Unicom"}, "175.167.10.4"
			}
			events = append(events, &unmask.Event{ID: fmt.Sprintf("ev-j-%d-%d", d, h), Time: t, Source: "okta", Kind: unmask.KindSignIn,
				Action: "user.session.start", Outcome: unmask.OutcomeSuccess, Actor: "jreyes@corp.example", PersonID: jordan.ID,
				SourceIP: ip, Geo: geo, UserAgent: "Mozilla/5.0", Fields: map[string]string{"client.ipAddress": ip, "securityContext.asOrg": geo.ASOrg}})
		}
		events = append(events, &unmask.Event{ID: fmt.Sprintf("ev-s-%d", d), Time: day.Add(14 * time.Hour), Source: "okta", Kind: unmask.KindSignIn,
			Action: "user.session.start", Outcome: unmask.OutcomeSuccess, Actor: "sokafor@corp.example", PersonID: sam.ID,
			SourceIP: "192.0.2.10", Geo: &unmask.GeoPoint{Country: "US", City: "Minneapolis", ASN: 7922, ASOrg: "Comcast"}})
	}
	events = append(events,
		&unmask.Event{ID: "ev-j-anydesk", Time: now.AddDate(0, 0, -3).Add(time.Hour), Source: "sysmon", Kind: unmask.KindProcessStart,
			Actor: "CORP\\jreyes", PersonID: jordan.ID, Host: "DESKTOP-7Q1K2LM", Serial: "PF4XW9Q2",
			Fields: map[string]string{"Image": "C:\\Users\\jreyes\\AppData\\Local\\Temp\\AnyDesk.exe", "CommandLine": "AnyDesk.exe --silent", "User": "CORP\\jreyes"}},
		&unmask.Event{ID: "ev-j-ship", Time: now.AddDate(0, 0, -40), Source: "hris", Kind: unmask.KindHRChange, Action: "laptop.shipped",
			PersonID: jordan.ID, Fields: map[string]string{"serial": "C02FK3ZXQ6L4", "ship_to": "***, Dallas, TX 75201, US"}},
		&unmask.Event{ID: "ev-j-bank", Time: now.AddDate(0, 0, -20), Source: "hris", Kind: unmask.KindHRChange, Action: "payroll.account_changed",
			PersonID: jordan.ID, Fields: map[string]string{"bank_country": "US", "fintech": "true"}},
	)
	_, err := w.db.CreateEvents(ctx, events)
	must(tb, err)
	signals := []*unmask.Signal{
		{PersonID: jordan.ID, Indicator: "N-01", Detector: "sigma:okta-astrill-vpn", Severity: unmask.SeverityHigh, Weight: 0.9,
			EventIDs: []string{"ev-j-1-2", "ev-j-2-2"}, Explanation: "14 sign-ins came from Astrill VPN egress (AS136787).", Time: now.AddDate(0, 0, -14), LastSeen: now.AddDate(0, 0, -1), Count: 14},
		{PersonID: jordan.ID, Indicator: "N-08", Detector: "analytics:working-hours", Severity: unmask.SeverityHigh, Weight: 0.8,
			Explanation: "92% of activity falls in 09:00-18:00 Asia/Pyongyang; 4% in business hours of the claimed America/Chicago.", Time: now.AddDate(0, 0, -14), LastSeen: now, Count: 1},
		{PersonID: jordan.ID, Indicator: "O-05", Detector: "analytics:serial-mismatch", Severity: unmask.SeverityMedium, Weight: 0.7,
			EventIDs: []string{"ev-j-ship"}, Explanation: "Shipped laptop C02FK3ZXQ6L4, but an unmanaged Windows device PF4XW9Q2 is in use.", Time: now.AddDate(0, 0, -5), LastSeen: now.AddDate(0, 0, -5), Count: 1},
		{PersonID: jordan.ID, Indicator: "§3.1", Detector: "sigma:rmm-anydesk", Severity: unmask.SeverityHigh, Weight: 0.9,
			EventIDs: []string{"ev-j-anydesk"}, Explanation: "AnyDesk started silently on DESKTOP-7Q1K2LM.", Time: now.AddDate(0, 0, -3), LastSeen: now.AddDate(0, 0, -3), Count: 1},
		{PersonID: w.people["mei"].ID, Indicator: "H-02", Detector: "analytics:identifier-reuse", Severity: unmask.SeverityHigh, Weight: 0.8,
			Explanation: "Phone +1 ***-***-0199 is also on applicant Lee Warren's application.", Time: now.AddDate(0, 0, -2), LastSeen: now.AddDate(0, 0, -2), Count: 1},
	}
	for _, s := range signals {
		must(tb, w.db.CreateSignal(ctx, s))
	}
	reason := func(s *unmask.Signal, pts float64) unmask.RiskReason {
		return unmask.RiskReason{Indicator: s.Indicator, Family: unmask.IndicatorFamily(s.Indicator), Points: pts,
			SignalIDs: []string{s.ID}, EventIDs: s.EventIDs, Explanation: s.Explanation}
	}
	scores := []*unmask.RiskScore{
		{PersonID: jordan.ID, Score: 87, Band: unmask.BandCritical, ComputedAt: now,
			Reasons: []unmask.RiskReason{reason(signals[0], 30), reason(signals[3], 25), reason(signals[1], 20), reason(signals[2], 12)}},
		{PersonID: w.people["mei"].ID, Score: 46, Band: unmask.BandMedium, ComputedAt: now, Reasons: []unmask.RiskReason{reason(signals[4], 46)}},
		{PersonID: sam.ID, Score: 3, Band: unmask.BandLow, ComputedAt: now},
	}
	for _, sc := range scores {
		must(tb, w.db.SaveRiskScore(ctx, sc))
	}
	must(tb, w.db.CreateDeadLetters(ctx, []*unmask.DeadLetter{
		{Source: "okta", File: "http", Line: 3, Offset: 812, Reason: "published: not an RFC 3339 time", Raw: []byte(`{"published":"yesterday"}`)},
		{Source: "sysmon", File: "/var/log/sysmon.ndjson", Line: 17, Offset: 9921, Reason: "unexpected end of JSON input", Raw: []byte(`{"EventID":1,`)},
	}))
}

func (w *world) seedResponse(tb testing.TB) {
	tb.Helper()
	ctx := w.ctx(tb)
	jordan := w.people["jordan"]
	sigs, _, err := w.db.FindSignals(ctx, unmask.SignalFilter{PersonID: &jordan.ID})
	must(tb, err)
	w.alert = &unmask.Alert{PersonID: jordan.ID, Concern: "N-01", Title: "Sign-ins from Astrill VPN", Severity: unmask.SeverityHigh,
		Status: unmask.AlertOpen, SignalIDs: []string{sigs[0].ID}, Count: 14, FirstSeen: now.AddDate(0, 0, -14), LastSeen: now.AddDate(0, 0, -1)}
	must(tb, w.db.CreateAlert(ctx, w.alert))
	must(tb, w.db.CreateAlert(ctx, &unmask.Alert{PersonID: w.people["mei"].ID, Concern: "H-02", Title: "Phone shared with another applicant",
		Severity: unmask.SeverityHigh, Status: unmask.AlertOpen, Count: 1, FirstSeen: now.AddDate(0, 0, -2), LastSeen: now.AddDate(0, 0, -2)}))
	w.kase = &unmask.Case{PersonID: jordan.ID, Title: "Jordan Reyes: remote access and VPN", Status: unmask.CaseInvestigating,
		Assignee: w.users[unmask.RoleAnalyst].ID, CreatedBy: w.users[unmask.RoleAnalyst].ID, Evidence: []string{sigs[0].ID}}
	must(tb, w.db.CreateCase(ctx, w.kase))
	must(tb, w.db.CreateCaseNote(ctx, &unmask.CaseNote{CaseID: w.kase.ID, Author: w.users[unmask.RoleAnalyst].ID, Body: "Manager says Jordan is never on camera."}))
	w.spot = &unmask.SpotCheck{PersonID: jordan.ID, Reason: "risk", Status: unmask.SpotCheckScheduled, DueAt: now.Add(26 * time.Hour)}
	must(tb, w.db.CreateSpotCheck(ctx, w.spot))
	w.rule = &unmask.Rule{ID: "okta-astrill-vpn", Title: "Okta sign-in from Astrill VPN", Level: unmask.SeverityHigh, Status: "stable",
		Indicators: []string{"N-01"}, Origin: unmask.RuleBundled, Enabled: true}
	must(tb, w.db.CreateRule(ctx, w.rule))
	must(tb, w.db.CreateRule(ctx, &unmask.Rule{ID: "rmm-anydesk", Title: "AnyDesk started silently", Level: unmask.SeverityHigh, Status: "test",
		Indicators: []string{"§3.1"}, Origin: unmask.RuleBundled, Enabled: true}))
	w.ioc = &unmask.Indicator{Type: unmask.IOCIP, Value: "142.214.202.2", Source: "lazarus.day", Description: "Astrill VPN egress used by DPRK IT workers", Confidence: 70}
	must(tb, w.db.CreateIndicator(ctx, w.ioc))
}
