package identity

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0.Add(24 * time.Hour) }

// sig is the part of a signal the tables compare.
type sig struct {
	Person, Indicator string
	Severity          unmask.Severity
	Count             int
}

func project(sigs []unmask.Signal) []sig {
	var out []sig
	for _, s := range sigs {
		out = append(out, sig{s.PersonID, s.Indicator, s.Severity, s.Count})
	}
	return out
}

func applicant(id, name string) *unmask.Person {
	return &unmask.Person{ID: id, DisplayName: name, Kind: unmask.PersonApplicant, Status: unmask.StatusApplied}
}

func employee(id, name string) *unmask.Person {
	return &unmask.Person{ID: id, DisplayName: name, Kind: unmask.PersonEmployee, Status: unmask.StatusActive}
}

func id(person string, kind unmask.IdentifierKind, key string) Ident {
	return Ident{PersonID: person, Kind: kind, Key: key, Display: "masked-" + key, EventID: "ev-" + person, Seen: t0}
}

// MustGraph builds a graph from people and identifiers.
func MustGraph(tb testing.TB, opts Options, people []*unmask.Person, ids []Ident) *Graph {
	tb.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	g := NewGraph(opts)
	for _, p := range people {
		g.AddPerson(p)
	}
	for _, i := range ids {
		g.AddIdent(i)
	}
	return g
}

func TestSharedSignals(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		people []*unmask.Person
		ids    []Ident
		want   []sig
	}{
		{name: "email_two_names",
			people: []*unmask.Person{applicant("a1", "John Smith"), applicant("a2", "Ivan Petrov")},
			ids:    []Ident{id("a1", unmask.IdentEmail, "e1"), id("a2", unmask.IdentEmail, "e1")},
			want:   []sig{{"a1", "H-02", unmask.SeverityHigh, 1}, {"a2", "H-02", unmask.SeverityHigh, 1}}},
		{name: "applicant_employee_lineage",
			people: []*unmask.Person{applicant("a1", "John Smith"), employee("e1", "Smith, John A.")},
			ids: []Ident{id("a1", unmask.IdentEmail, "e1"), id("e1", unmask.IdentEmail, "e1"),
				id("a1", unmask.IdentPhone, "p1"), id("e1", unmask.IdentPhone, "p1")}},
		{name: "common_name_two_john_smiths_share_nothing",
			people: []*unmask.Person{applicant("a1", "John Smith"), applicant("a2", "John Smith")},
			ids:    []Ident{id("a1", unmask.IdentEmail, "e1"), id("a2", unmask.IdentEmail, "e2")}},
		{name: "married_couple_same_surname_address_and_landline",
			people: []*unmask.Person{applicant("a1", "Ana Silva"), applicant("a2", "Bruno Silva")},
			ids: []Ident{id("a1", unmask.IdentAddress, "h1"), id("a2", unmask.IdentAddress, "h1"),
				id("a1", unmask.IdentPhone, "p1"), id("a2", unmask.IdentPhone, "p1")}},
		{name: "married_couple_different_surnames_address",
			people: []*unmask.Person{applicant("a1", "Ana Silva"), applicant("a2", "Wei Zhang")},
			ids:    []Ident{id("a1", unmask.IdentAddress, "h1"), id("a2", unmask.IdentAddress, "h1")}},
		{name: "family_plan_distinct_numbers",
			people: []*unmask.Person{applicant("a1", "Ana Silva"), applicant("a2", "Wei Zhang")},
			ids:    []Ident{id("a1", unmask.IdentPhone, "p1"), id("a2", unmask.IdentPhone, "p2")}},
		{name: "three_strangers_one_address",
			people: []*unmask.Person{applicant("a1", "Ana Silva"), applicant("a2", "Wei Zhang"), applicant("a3", "Tom Brown")},
			ids: []Ident{id("a1", unmask.IdentAddress, "h1"), id("a2", unmask.IdentAddress, "h1"),
				id("a3", unmask.IdentAddress, "h1")},
			want: []sig{{"a1", "H-02", unmask.SeverityMedium, 2}, {"a2", "H-02", unmask.SeverityMedium, 2}, {"a3", "H-02", unmask.SeverityMedium, 2}}},
		{name: "laptop_farm_ship_to",
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("e2", "Wei Zhang")},
			ids:    []Ident{id("e1", unmask.IdentShipToAddress, "s1"), id("e2", unmask.IdentShipToAddress, "s1")},
			want:   []sig{{"e1", "O-02", unmask.SeverityHigh, 1}, {"e2", "O-02", unmask.SeverityHigh, 1}}},
		{name: "payroll_account_shared",
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("e2", "Wei Zhang")},
			ids:    []Ident{id("e1", unmask.IdentBankAccount, "b1"), id("e2", unmask.IdentBankAccount, "b1")},
			want:   []sig{{"e1", "O-03", unmask.SeverityCritical, 1}, {"e2", "O-03", unmask.SeverityCritical, 1}}},
		{name: "joint_account_household",
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("e2", "Bruno Silva")},
			ids:    []Ident{id("e1", unmask.IdentBankAccount, "b1"), id("e2", unmask.IdentBankAccount, "b1")}},
		{name: "mfa_device_two_users",
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("e2", "Bruno Silva")},
			ids:    []Ident{id("e1", unmask.IdentMFADevice, "m1"), id("e2", unmask.IdentMFADevice, "m1")},
			want:   []sig{{"e1", "O-07", unmask.SeverityHigh, 1}, {"e2", "O-07", unmask.SeverityHigh, 1}}},
		{name: "mfa_device_service_account_exempt",
			opts:   Options{Exempt: map[string]bool{"svc": true}},
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("svc", "Build Bot")},
			ids:    []Ident{id("e1", unmask.IdentMFADevice, "m1"), id("svc", unmask.IdentMFADevice, "m1")}},
		{name: "same_building_two_units_is_nothing",
			people: []*unmask.Person{applicant("a1", "Ana Silva"), applicant("a2", "Wei Zhang")},
			ids:    []Ident{id("a1", KindBuilding, "b1"), id("a2", KindBuilding, "b1")}},
		{name: "address_shared_with_employee_is_high",
			opts:   Options{MinAddressNames: 2},
			people: []*unmask.Person{applicant("a1", "Ana Silva"), employee("e1", "Wei Zhang")},
			ids:    []Ident{id("a1", unmask.IdentAddress, "h1"), id("e1", unmask.IdentAddress, "h1")},
			want:   []sig{{"a1", "H-02", unmask.SeverityHigh, 1}, {"e1", "H-02", unmask.SeverityMedium, 1}}},
		{name: "hostname_not_a_signal",
			people: []*unmask.Person{employee("e1", "Ana Silva"), employee("e2", "Wei Zhang")},
			ids:    []Ident{id("e1", unmask.IdentHostname, "MacBook-Pro"), id("e2", unmask.IdentHostname, "MacBook-Pro")}},
		{name: "unknown_person_ignored",
			people: []*unmask.Person{applicant("a1", "Ana Silva")},
			ids:    []Ident{id("a1", unmask.IdentEmail, "e1"), id("ghost", unmask.IdentEmail, "e1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MustGraph(t, tt.opts, tt.people, tt.ids).SharedSignals()
			if diff := cmp.Diff(tt.want, project(got)); diff != "" {
				t.Errorf("SharedSignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if err := s.Validate(); err != nil {
					t.Errorf("signal does not validate: %v", err)
				}
			}
		})
	}
}

func TestAddLineage(t *testing.T) {
	people := []*unmask.Person{applicant("a1", "Ana Silva"), employee("e1", "Ana Costa"), applicant("x", "Tom Brown")}
	ids := []Ident{id("a1", unmask.IdentEmail, "e"), id("e1", unmask.IdentEmail, "e")}
	g := MustGraph(t, Options{}, people, ids)
	if got := len(g.SharedSignals()); got != 2 {
		t.Fatalf("before AddLineage: %d signals, want 2 (names differ)", got)
	}
	g.AddLineage("a1", "e1")
	if got := g.SharedSignals(); len(got) != 0 {
		t.Errorf("after AddLineage: signals %+v, want none", got)
	}
	if c := g.Clusters(); len(c) != 1 || !c[0].Lineage() {
		t.Errorf("clusters = %+v, want one lineage", c)
	}
	g.AddIdent(id("x", unmask.IdentEmail, "e"))
	if got := project(g.SharedSignals()); len(got) != 3 || got[2].Person != "x" {
		t.Errorf("third person under another name: %+v, want signals for all three", got)
	}
}

func TestSharedSignalDetails(t *testing.T) {
	people := []*unmask.Person{applicant("a1", "John Smith"), applicant("a2", "Ivan Petrov"), applicant("a3", "Li Wei")}
	ids := []Ident{
		{PersonID: "a1", Kind: unmask.IdentEmail, Key: "hmac-123", Display: "j***@gmail.com", EventID: "ev1", Seen: t0},
		{PersonID: "a2", Kind: unmask.IdentEmail, Key: "hmac-123", Display: "j***@gmail.com", EventID: "ev2", Seen: t0.Add(time.Hour)},
		{PersonID: "a3", Kind: unmask.IdentEmail, Key: "hmac-123", Display: "j***@gmail.com", Seen: t0.Add(2 * time.Hour)},
	}
	got := MustGraph(t, Options{}, people, ids).SharedSignals()
	want := unmask.Signal{
		PersonID: "a1", Indicator: "H-02", Detector: DetectorShared, Severity: unmask.SeverityHigh, Weight: 0.7,
		EventIDs:    []string{"ev1", "ev2"},
		Explanation: "E-mail j***@gmail.com is also held by 2 other people under a different name.",
		Key:         "shared:email:hmac-123", Time: t0, LastSeen: t0.Add(2 * time.Hour), Count: 2,
	}
	if len(got) != 3 {
		t.Fatalf("got %d signals, want 3", len(got))
	}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("signal mismatch (-want +got):\n%s", diff)
	}
	for _, s := range got {
		if strings.Contains(s.Explanation, "hmac-123") {
			t.Errorf("explanation leaks the key: %q", s.Explanation)
		}
	}
}

func TestSignalTimeDefaultsToNow(t *testing.T) {
	people := []*unmask.Person{applicant("a1", "John Smith"), applicant("a2", "Ivan Petrov")}
	ids := []Ident{{PersonID: "a1", Kind: unmask.IdentPhone, Key: "k"}, {PersonID: "a2", Kind: unmask.IdentPhone, Key: "k"}}
	got := MustGraph(t, Options{}, people, ids).SharedSignals()
	if len(got) != 2 || !got[0].Time.Equal(fixedNow()) {
		t.Fatalf("signals = %+v, want 2 at %v", got, fixedNow())
	}
	if !strings.Contains(got[0].Explanation, "(masked)") {
		t.Errorf("explanation without display = %q", got[0].Explanation)
	}
}

func TestClusters(t *testing.T) {
	people := []*unmask.Person{
		applicant("a1", "John Smith"), employee("e1", "John Smith"),
		applicant("a2", "Ivan Petrov"), applicant("a3", "Li Wei"), applicant("a4", "Ana Silva"),
	}
	ids := []Ident{
		id("a1", unmask.IdentEmail, "e1"), id("e1", unmask.IdentEmail, "e1"),
		id("e1", unmask.IdentPhone, "p1"), id("a2", unmask.IdentPhone, "p1"),
		id("a2", unmask.IdentGitHubLogin, "gh"), id("a3", unmask.IdentGitHubLogin, "gh"),
		id("a4", KindBuilding, "b"), id("a3", KindBuilding, "b"),
	}
	got := MustGraph(t, Options{}, people, ids).Clusters()
	want := []Cluster{{
		PersonIDs: []string{"a1", "a2", "a3", "e1"},
		Links: []Link{
			{A: "a1", B: "e1", Kind: unmask.IdentEmail, Display: "masked-e1", Lineage: true},
			{A: "a2", B: "a3", Kind: unmask.IdentGitHubLogin, Display: "masked-gh"},
			{A: "e1", B: "a2", Kind: unmask.IdentPhone, Display: "masked-p1"},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Clusters mismatch (-want +got):\n%s", diff)
	}
	if got[0].Lineage() {
		t.Error("cluster with a cross-name link reported as lineage")
	}
	lineage := MustGraph(t, Options{}, people[:2], ids[:2]).Clusters()
	if len(lineage) != 1 || !lineage[0].Lineage() {
		t.Errorf("applicant and employee of one name: clusters = %+v, want one lineage", lineage)
	}
}

func BenchmarkSharedSignals(b *testing.B) {
	g := NewGraph(Options{Now: fixedNow})
	for i := range 10_000 {
		pid := fmt.Sprintf("p%d", i)
		g.AddPerson(applicant(pid, fmt.Sprintf("Person %d Name%d", i, i)))
		g.AddIdent(id(pid, unmask.IdentEmail, fmt.Sprintf("e%d", i/2)))
		g.AddIdent(id(pid, unmask.IdentPhone, fmt.Sprintf("p%d", i)))
	}
	for b.Loop() {
		if len(g.SharedSignals()) == 0 {
			b.Fatal("no signals")
		}
	}
}
