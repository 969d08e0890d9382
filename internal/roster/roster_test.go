package roster_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/ingest"
	"github.com/unmask/unmask/internal/ingest/lever"
	"github.com/unmask/unmask/internal/resolve"
	"github.com/unmask/unmask/internal/roster"
	"github.com/unmask/unmask/internal/sqlite"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db       *sqlite.DB
	hasher   *idhash.Hasher
	resolver *resolve.Resolver
	roster   *roster.Roster
}

func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "r.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	h, _ := idhash.New([]byte(strings.Repeat("s", 32)))
	res := resolve.New(resolve.Options{Store: db, Hasher: h})
	return &fixture{db: db, hasher: h, resolver: res, roster: roster.New(roster.Options{Store: db, Hasher: h, Resolver: res})}
}

func (f *fixture) observe(tb testing.TB, e *unmask.Event) {
	tb.Helper()
	e.ID = unmask.EventID(e.Source, e.Time, []byte(e.Action+e.Fields["employee_id"]+e.Fields["candidate_id"]+e.Serial+e.Fields["event_id"]))
	if err := f.roster.Observe(tb.Context(), e); err != nil {
		tb.Fatal(err)
	}
}

func employeeRow(id, email, first, last, address, phone, serial string) *unmask.Event {
	return &unmask.Event{Time: t0, Source: "hris", Kind: unmask.KindHRChange, Action: "employees", Actor: email, Fields: map[string]string{
		"employee_id": id, "email": email, "first_name": first, "last_name": last, "employment_type": "contractor",
		"status": "active", "hire_date": "2026-02-02", "country": "US", "time_zone": "America/Chicago",
		"home_address": address, "phone": phone, "github_login": "AKim-Dev", "laptop_serial": serial, "department": "Payments",
	}}
}

func TestEmployeesAndResolution(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	e := employeeRow("E1", "alex.kim@contoso.example", "Alex", "Kim", "1200 Elm St Apt 4B, Dallas, TX 75201", "+1 415 555 0134", "c02xk1q9md6t")
	f.observe(t, e)
	if e.PersonID == "" {
		t.Fatal("the HR row was not attributed to its person")
	}
	p, err := f.db.FindPersonByID(ctx, e.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if p.DisplayName != "Alex Kim" || p.Kind != unmask.PersonContractor || p.TimeZone != "America/Chicago" || !p.HireDate.Equal(time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("person = %+v", p)
	}
	ids, _, err := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[unmask.IdentifierKind]*unmask.Identifier{}
	for _, id := range ids {
		kinds[id.Kind] = id
	}
	for _, k := range []unmask.IdentifierKind{unmask.IdentIdPLogin, unmask.IdentGitHubLogin, unmask.IdentDeviceSerial, unmask.IdentPhone, unmask.IdentAddress, unmask.IdentAddressBuilding} {
		if kinds[k] == nil {
			t.Errorf("no %s identifier (have %v)", k, ids)
		}
	}
	if ph := kinds[unmask.IdentPhone]; ph != nil && (ph.Value != "" || !strings.HasSuffix(ph.Display, "0134") || ph.Hash != f.hasher.Hash(unmask.IdentPhone, "+14155550134")) {
		t.Errorf("phone identifier = %+v: want hashed E.164 with a masked display", ph)
	}
	if gh := kinds[unmask.IdentGitHubLogin]; gh != nil && gh.Value != "akim-dev" {
		t.Errorf("github login = %q", gh.Value)
	}
	// Re-observing the same row updates, it does not duplicate.
	e2 := employeeRow("E1", "alex.kim@contoso.example", "Alex", "Kim", "1200 Elm St Apt 4B, Dallas, TX 75201", "+1 415 555 0134", "c02xk1q9md6t")
	e2.Fields["job_title"] = "Staff Engineer"
	f.observe(t, e2)
	_, n, _ := f.db.FindPeople(ctx, unmask.PersonFilter{})
	_, m, _ := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &p.ID})
	if n != 1 || m != len(ids) {
		t.Errorf("after re-import: %d people, %d identifiers (was %d)", n, m, len(ids))
	}
	// Sign-ins, endpoint records and inventory now resolve.
	for _, ev := range []*unmask.Event{
		{Source: "okta", Actor: "ALEX.KIM@contoso.example"},
		{Source: "github", Actor: "akim-dev"},
		{Source: "osquery", Serial: "C02XK1Q9MD6T"},
	} {
		if err := f.resolver.Resolve(ctx, ev); err != nil || ev.PersonID != p.ID {
			t.Errorf("%s event resolved to %q (%v)", ev.Source, ev.PersonID, err)
		}
	}
}

func TestHREventsAndSharedIdentifiers(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	a := employeeRow("E1", "a@contoso.example", "Ana", "Lima", "12 Oak Ave Apt 1, Austin, TX 78701", "", "SER1")
	b := employeeRow("E2", "b@contoso.example", "Ben", "Ortiz", "12 Oak Avenue Unit 7, Austin, TX 78701", "", "SER2")
	f.observe(t, a)
	f.observe(t, b)
	for _, emp := range []string{"E1", "E2"} {
		ship := &unmask.Event{Time: t0, Source: "hris", Kind: unmask.KindHRChange, Action: "laptop_shipment", Fields: map[string]string{
			"employee_id": emp, "event_id": "ship-" + emp, "serial": "X" + emp, "ship_to_address": "88 Warehouse Rd Unit 12, Dallas, TX 75212"}}
		f.observe(t, ship)
		if ship.Fields["address.key"] == "" {
			t.Error("a shipment carries no address key for analytics")
		}
		pay := &unmask.Event{Time: t0, Source: "hris", Kind: unmask.KindHRChange, Action: "payroll_account_change", Fields: map[string]string{
			"employee_id": emp, "event_id": "pay-" + emp, "account_number_hash": "hash-of-shared-account", "account_number_masked": "****6789",
			"account_holder": map[string]string{"E1": "LIMA, ANA", "E2": "Chen Wei"}[emp]}}
		f.observe(t, pay)
		if want := map[string]string{"E1": "true", "E2": "false"}[emp]; pay.Fields["bank.holder_match"] != want {
			t.Errorf("%s holder match = %q, want %q", emp, pay.Fields["bank.holder_match"], want)
		}
	}
	shared := func(kind unmask.IdentifierKind) int {
		ids, _, err := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &kind})
		if err != nil {
			t.Fatal(err)
		}
		byHash := map[string]map[string]bool{}
		for _, id := range ids {
			if byHash[id.Hash] == nil {
				byHash[id.Hash] = map[string]bool{}
			}
			byHash[id.Hash][id.PersonID] = true
		}
		most := 0
		for _, people := range byHash {
			most = max(most, len(people))
		}
		return most
	}
	tests := []struct {
		kind unmask.IdentifierKind
		want int
	}{
		{unmask.IdentShipToAddress, 2},   // one ship-to address for both: O-02
		{unmask.IdentBankAccount, 2},     // one payroll account: O-03
		{unmask.IdentAddressBuilding, 2}, // neighbours in one building...
		{unmask.IdentAddress, 1},         // ...in different units
		{unmask.IdentDeviceSerial, 1},
	}
	for _, tt := range tests {
		if got := shared(tt.kind); got != tt.want {
			t.Errorf("%s shared by %d people, want %d", tt.kind, got, tt.want)
		}
	}
}

func TestCandidatesAndDevices(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	for i, c := range []struct{ id, first, email string }{{"90110001", "Alex", "alex.kim.dev@gmail.com"}, {"90110002", "Sam", "Sam.Park.Codes+jobs@gmail.com"}} {
		e := &unmask.Event{Time: t0.Add(time.Duration(i) * time.Hour), Source: "greenhouse", Kind: unmask.KindApplication, Action: "candidate", Fields: map[string]string{
			"candidate_id": c.id, "first_name": c.first, "last_name": "Kim", "email.0": c.email, "phone.0": "+1 (415) 555-0134",
			"address.0": "1200 Elm St Apt 4B, Dallas, TX 75201", "social.0": "https://github.com/" + strings.ToLower(c.first) + "-codes",
		}}
		f.observe(t, e)
	}
	_, total, err := f.db.FindPeople(ctx, unmask.PersonFilter{Kind: new(unmask.PersonApplicant)})
	if err != nil || total != 2 {
		t.Fatalf("applicants = %d (%v)", total, err)
	}
	phone := unmask.IdentPhone
	phones, n, _ := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &phone})
	if n != 2 || phones[0].Hash != phones[1].Hash || phones[0].PersonID == phones[1].PersonID {
		t.Errorf("two applicants sharing a phone: %+v", phones)
	}
	email := unmask.IdentEmail
	emails, _, _ := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &email})
	if len(emails) != 2 || emails[0].Hash == emails[1].Hash {
		t.Errorf("different e-mails hashed alike: %+v", emails)
	}
	hire := &unmask.Event{Time: t0, Source: "greenhouse", Kind: unmask.KindApplication, Action: "hire_candidate", Fields: map[string]string{"candidate_id": "90110001"}}
	f.observe(t, hire)
	if p, _ := f.db.FindPersonByID(ctx, hire.PersonID); p == nil || p.Status != unmask.StatusHired || p.DisplayName != "Alex Kim" {
		t.Errorf("hired candidate = %+v", p)
	}

	emp := employeeRow("E9", "robin.diaz@contoso.example", "Robin", "Diaz", "", "", "C02ZZ9YYXW1V")
	f.observe(t, emp)
	inv := &unmask.Event{Time: t0, Source: "mdm", Kind: unmask.KindDeviceInventory, Action: "intune.device", Actor: "robin.diaz@contoso.example",
		DeviceID: "dev-1", Serial: "C02ZZ9YYXW1V", Host: "LAPTOP-RD01.contoso.example", Fields: map[string]string{"email": "robin.diaz@contoso.example", "managed": "true", "os": "Windows", "enrolled_at": "2026-02-03T10:00:00Z"}}
	f.observe(t, inv)
	devs, _, err := f.db.FindDevices(ctx, unmask.DeviceFilter{PersonID: &emp.PersonID})
	if err != nil || len(devs) != 1 || devs[0].Hostname != "laptop-rd01" || !devs[0].Managed || devs[0].EnrolledAt.IsZero() {
		t.Fatalf("devices = %+v (%v)", devs, err)
	}
	ev := &unmask.Event{Source: "sysmon", Host: "LAPTOP-RD01"}
	if err := f.resolver.Resolve(ctx, ev); err != nil || ev.PersonID != emp.PersonID {
		t.Errorf("sysmon host resolved to %q", ev.PersonID)
	}
	f.observe(t, inv) // a second inventory pass updates the same device
	if _, n, _ := f.db.FindDevices(ctx, unmask.DeviceFilter{}); n != 1 {
		t.Errorf("devices after re-inventory = %d", n)
	}
}

// TestMFAEnrolmentKeepsTheFactorType: an MFA device from an HR enrolment record names its
// authenticator type, so that only a security key or platform authenticator counts as a
// hardware factor (O-06), while any shared device still links people (O-07).
func TestMFAEnrolmentKeepsTheFactorType(t *testing.T) {
	f := mustFixture(t)
	f.observe(t, employeeRow("E1", "a@contoso.example", "Ana", "Lima", "12 Oak Ave, Austin, TX 78701", "", "SER1"))
	for i, typ := range []string{"sms", "security_key"} {
		f.observe(t, &unmask.Event{Time: t0, Source: "hris", Kind: unmask.KindMFA, Action: "mfa_enrollment", Fields: map[string]string{
			"employee_id": "E1", "event_id": fmt.Sprint("mfa-", i), "authenticator_type": typ, "device_serial": fmt.Sprint("DEV-", i)}})
	}
	kind := unmask.IdentMFADevice
	ids, _, err := f.db.FindIdentifiers(t.Context(), unmask.IdentifierFilter{Kind: &kind})
	if err != nil {
		t.Fatal(err)
	}
	hardware := map[string]bool{}
	for _, id := range ids {
		hardware[id.Source] = roster.IsHardwareFactor(id.Source)
	}
	if want := map[string]bool{"mfa:sms": false, "mfa:security_key": true}; !maps.Equal(hardware, want) {
		t.Errorf("MFA identifiers by source %v; want %v", hardware, want)
	}
}

// TestLeverCandidates: Lever opportunities, decoded from the lever package's fixture,
// become applicants (one per Lever contact) with their e-mails, phones and links; an
// opportunity archived as hired makes a hired applicant, and a later application record
// of the same contact is attributed to them.
func TestLeverCandidates(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	file, err := os.Open(filepath.Join("..", "ingest", "lever", "testdata", "api_opportunities_page.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var c ingest.Collector
	if err := lever.New(0).Decode(ctx, file, &c); err != nil || len(c.Rejects) > 0 {
		t.Fatalf("decode: %v %v", err, c.Rejects)
	}
	for _, e := range c.Events {
		if err := f.roster.Observe(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	people, total, err := f.db.FindPeople(ctx, unmask.PersonFilter{Kind: new(unmask.PersonApplicant)})
	if err != nil || total != 2 {
		t.Fatalf("applicants = %d (%v)", total, err)
	}
	byName := map[string]*unmask.Person{}
	for _, p := range people {
		byName[p.DisplayName] = p
	}
	alex, sam := byName["Alex Kim"], byName["Sam Park"]
	if alex == nil || sam == nil || alex.Status != unmask.StatusApplied || sam.Status != unmask.StatusHired || alex.ExternalSource != "lever" {
		t.Fatalf("applicants = %+v", people)
	}
	kinds := map[unmask.IdentifierKind]int{}
	ids, _, err := f.db.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &alex.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		kinds[id.Kind]++
	}
	if kinds[unmask.IdentEmail] != 2 || kinds[unmask.IdentPhone] != 1 || kinds[unmask.IdentGitHubLogin] != 1 || kinds[unmask.IdentLinkedInHandle] != 1 {
		t.Errorf("Alex Kim's identifiers by kind: %v", kinds)
	}
	app := &unmask.Event{Time: t0, Source: "lever", Kind: unmask.KindApplication, Action: "application",
		Fields: map[string]string{"application_id": "a-1", "candidate_id": c.Events[0].Fields["contact"]}}
	if err := f.roster.Observe(ctx, app); err != nil || app.PersonID != alex.ID {
		t.Errorf("application attributed to %q (%v), want Alex Kim", app.PersonID, err)
	}
	// An HR CSV interview scorecard names the candidate by e-mail only.
	card := &unmask.Event{Time: t0, Source: "hris", Kind: unmask.KindApplication, Action: "interview_scorecard",
		Fields: map[string]string{"scorecard_id": "SCR-1", "candidate_email": "AKim.Work@proton.me"}}
	if err := f.roster.Observe(ctx, card); err != nil || card.PersonID != alex.ID {
		t.Errorf("scorecard attributed to %q (%v), want Alex Kim", card.PersonID, err)
	}
}
