package casework_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

func TestIndicatorFromIdentifier(t *testing.T) {
	e := newEnv(t)
	h := e.hash
	tests := []struct {
		name  string
		kind  unmask.IdentifierKind
		value string
		want  *unmask.Indicator // nil: never published
	}{
		{"email", unmask.IdentEmail, "jdoe@example.com", ind(unmask.IOCEmail, casework.HashedValue(unmask.IdentEmail, h.Hash(unmask.IdentEmail, "jdoe@example.com")), "email")},
		{"phone", unmask.IdentPhone, "+12025550199", ind(unmask.IOCPhone, "hmac-sha256:phone:"+h.Hash(unmask.IdentPhone, "+12025550199"), "phone")},
		{"address", unmask.IdentAddress, "1 main st, springfield, il, us", ind(unmask.IOCAddress, "hmac-sha256:address:"+h.Hash(unmask.IdentAddress, "1 main st, springfield, il, us"), "address")},
		{"ship-to", unmask.IdentShipToAddress, "9 farm rd, dallas, tx, us", ind(unmask.IOCAddress, "hmac-sha256:ship_to_address:"+h.Hash(unmask.IdentShipToAddress, "9 farm rd, dallas, tx, us"), "ship_to_address")},
		{"bank", unmask.IdentBankAccount, "021000021:12345678", ind(unmask.IOCBankAccount, "hmac-sha256:bank_account:"+h.Hash(unmask.IdentBankAccount, "021000021:12345678"), "bank_account")},
		{"github", unmask.IdentGitHubLogin, "octo-dev", ind(unmask.IOCGitHubLogin, "octo-dev", "github_login")},
		{"government-id", unmask.IdentGovernmentID, "078051120", nil},
		{"idp-login", unmask.IdentIdPLogin, "pat@corp.example", nil},
		{"device-serial", unmask.IdentDeviceSerial, "C02XYZ", nil},
		{"photo", unmask.IdentPhotoHash, "f0f0f0f0f0f0f0f0", nil},
		{"resume", unmask.IdentResumePrint, "abc", nil},
		{"mfa", unmask.IdentMFADevice, "okta-verify-1", nil},
		{"hostname", unmask.IdentHostname, "pat-mbp", nil},
		{"linkedin", unmask.IdentLinkedInHandle, "pat", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := h.Identifier("p1", tt.kind, tt.value, "hris")
			got, ok := casework.IndicatorFromIdentifier("c1", id)
			if ok != (tt.want != nil) {
				t.Fatalf("published = %v, want %v", ok, tt.want != nil)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("indicator (-want +got):\n%s", diff)
			}
			if ok && strings.Contains(got.Value+got.Description, tt.value) && tt.kind.Sensitive() {
				t.Errorf("indicator for a sensitive kind holds the clear value")
			}
		})
	}
}

func ind(t unmask.IndicatorType, value, kind string) *unmask.Indicator {
	return &unmask.Indicator{Type: t, Value: value, Source: "case:c1", CaseID: "c1", Confidence: 100,
		Description: kind + " of the person in confirmed-fraud case c1."}
}

func TestHashedValue(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	tests := []struct {
		name     string
		value    string
		wantKind unmask.IdentifierKind
		wantOK   bool
	}{
		{"round-trip", casework.HashedValue(unmask.IdentEmail, hash), unmask.IdentEmail, true},
		{"upper-case-input", casework.HashedValue(unmask.IdentPhone, strings.ToUpper(hash)), unmask.IdentPhone, true},
		{"clear-value", "jdoe@example.com", "", false},
		{"unknown-kind", "hmac-sha256:shoe_size:" + hash, "", false},
		{"short-hash", "hmac-sha256:email:abcd", "", false},
		{"not-hex", "hmac-sha256:email:" + strings.Repeat("zz", 32), "", false},
		{"upper-case-stored", "hmac-sha256:email:" + strings.ToUpper(hash), "", false},
		{"no-kind", "hmac-sha256:" + hash, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, got, ok := casework.ParseHashedValue(tt.value)
			if ok != tt.wantOK || kind != tt.wantKind || ok && got != hash {
				t.Errorf("ParseHashedValue(%q) = %q, %q, %v; want %q, %q, %v", tt.value, kind, got, ok, tt.wantKind, hash, tt.wantOK)
			}
		})
	}
}

func FuzzParseHashedValue(f *testing.F) {
	data, err := os.ReadFile("testdata/indicator_values.txt")
	if err != nil {
		f.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		f.Add(strings.TrimSuffix(line, "\n"))
	}
	f.Fuzz(func(t *testing.T, v string) {
		kind, hash, ok := casework.ParseHashedValue(v)
		if !ok {
			return
		}
		if !kind.Valid() || len(hash) != 64 {
			t.Fatalf("accepted kind %q hash %q", kind, hash)
		}
		if back := casework.HashedValue(kind, hash); back != v {
			t.Fatalf("HashedValue(ParseHashedValue(%q)) = %q", v, back)
		}
	})
}

// TestConfirmedFraudIndicators closes a case as confirmed fraud, reopens and closes it
// again, and checks that the indicators exist once, match the person's identifiers, expire
// when the case is closed as legitimate and revive when it is confirmed again.
func TestConfirmedFraudIndicators(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	e.identifier(t, p.ID, unmask.IdentEmail, "jdoe@example.com")
	e.identifier(t, p.ID, unmask.IdentShipToAddress, "9 farm rd, dallas, tx, us")
	e.identifier(t, p.ID, unmask.IdentGitHubLogin, "octo-dev")
	e.identifier(t, p.ID, unmask.IdentGovernmentID, "078051120")
	e.identifier(t, p.ID, unmask.IdentDeviceSerial, "C02XYZ")
	admin := e.as(unmask.RoleAdmin)
	c, err := e.svc.OpenForPerson(admin, p.ID, casework.OpenRequest{})
	if err != nil {
		t.Fatal(err)
	}

	res, err := e.svc.Close(admin, c.ID, unmask.DispositionConfirmedFraud, "")
	if err != nil {
		t.Fatal(err)
	}
	first := e.caseIndicators(t, c.ID)
	if res.IndicatorsCreated != 3 || len(first) != 3 {
		t.Fatalf("created %d, stored %d indicators, want 3 and 3", res.IndicatorsCreated, len(first))
	}
	var types []string
	for _, in := range first {
		types = append(types, string(in.Type))
		if in.Source != "case:"+c.ID || in.Confidence != 100 || !in.ValidUntil.IsZero() {
			t.Errorf("indicator %+v: want source case:%s, confidence 100, no expiry", in, c.ID)
		}
	}
	if diff := cmp.Diff([]string{"address", "email", "github_login"}, types); diff != "" {
		t.Errorf("indicator types (-want +got):\n%s", diff)
	}
	steps := []struct {
		disp                           unmask.Disposition
		created, revived, expired, all int
		valid                          bool
	}{
		{unmask.DispositionConfirmedFraud, 0, 0, 0, 3, true},
		{unmask.DispositionLegitimate, 0, 0, 3, 3, false},
		{unmask.DispositionInconclusive, 0, 0, 0, 3, false},
		{unmask.DispositionConfirmedFraud, 0, 3, 0, 3, true},
	}
	for _, st := range steps {
		if _, err := e.svc.Reopen(admin, c.ID, ""); err != nil {
			t.Fatal(err)
		}
		res, err := e.svc.Close(admin, c.ID, st.disp, "")
		if err != nil {
			t.Fatal(err)
		}
		got := e.caseIndicators(t, c.ID)
		if res.IndicatorsCreated != st.created || res.IndicatorsRevived != st.revived || res.IndicatorsExpired != st.expired || len(got) != st.all {
			t.Errorf("close %s: created %d revived %d expired %d stored %d; want %d %d %d %d", st.disp,
				res.IndicatorsCreated, res.IndicatorsRevived, res.IndicatorsExpired, len(got), st.created, st.revived, st.expired, st.all)
		}
		for i, in := range got {
			if in.ID != first[i].ID || in.ValidUntil.IsZero() != st.valid {
				t.Errorf("close %s: indicator %s (was %s) valid until %v, want valid %v", st.disp, in.ID, first[i].ID, in.ValidUntil, st.valid)
			}
		}
	}
}

// TestAuditTrail runs a case from alert to confirmed fraud and checks the whole trail.
func TestAuditTrail(t *testing.T) {
	e := newEnv(t)
	p := e.person(t, "Pat")
	e.identifier(t, p.ID, unmask.IdentPhone, "+12025550199")
	sig := e.signal(t, p.ID, "O-05")
	a := e.alert(t, p.ID, "O-05", unmask.SeverityHigh, sig)
	other := e.alert(t, p.ID, "N-05", unmask.SeverityMedium)
	analyst := e.as(unmask.RoleAnalyst)
	secret := "Home address 12 Elm St, DOB 1990-01-01"

	c, err := e.svc.OpenFromAlert(analyst, a.ID, casework.OpenRequest{Note: secret})
	if err != nil {
		t.Fatal(err)
	}
	ev := e.event(t, p.ID, "enrol")
	steps := []func() error{
		func() error { _, err := e.svc.Assign(analyst, c.ID, e.users[unmask.RoleAnalyst].ID); return err },
		func() error { _, err := e.svc.Investigate(analyst, c.ID, secret); return err },
		func() error { _, err := e.svc.AttachEvidence(analyst, c.ID, ev.ID); return err },
		func() error {
			_, err := e.db.UpdateAlert(context.Background(), other.ID, unmask.AlertUpdate{CaseID: &c.ID})
			return err
		},
		func() error { _, err := e.svc.Escalate(analyst, c.ID, casework.EscalateHR, ""); return err },
		func() error { _, err := e.svc.AddNote(analyst, c.ID, secret); return err },
		func() error {
			_, err := e.svc.Close(analyst, c.ID, unmask.DispositionConfirmedFraud, secret)
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var got []string
	for _, entry := range e.auditOf(t, c.ID) {
		if strings.Contains(entry.Detail, "Elm") || strings.Contains(entry.Detail, "1990") {
			t.Errorf("audit detail %q holds note text", entry.Detail)
		}
		got = append(got, entry.Action)
	}
	want := []string{"case.create", "case.assign", "case.investigate", "case.evidence", "case.escalate", "case.note", "case.close"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit actions (-want +got):\n%s", diff)
	}
	for _, id := range []string{a.ID, other.ID} {
		if al, _ := e.db.FindAlertByID(context.Background(), id); al.Status != unmask.AlertClosed {
			t.Errorf("alert %s is %s after the case closed", id, al.Status)
		}
	}
	trail := e.auditOf(t, c.ID)
	wantClose := "status escalated → closed (confirmed_fraud); 2 alerts closed; indicators: 1 created, 0 revived, 0 expired; note added (38 characters)"
	if last := trail[len(trail)-1]; last.Detail != wantClose {
		t.Errorf("close detail = %q, want %q", last.Detail, wantClose)
	}
	notes, err := e.db.FindCaseNotes(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 5 { // open, investigate, escalate, note, close
		t.Errorf("%d notes, want 5", len(notes))
	}
}

// TestHashedIndicatorMatches checks that a hashed indicator from a confirmed-fraud case finds
// a later applicant who reuses the same ship-to address (O-02).
func TestHashedIndicatorMatches(t *testing.T) {
	e := newEnv(t)
	p, applicant := e.person(t, "Pat"), e.person(t, "Later Applicant")
	e.identifier(t, p.ID, unmask.IdentShipToAddress, "9 farm rd, dallas, tx, us")
	reused := e.identifier(t, applicant.ID, unmask.IdentShipToAddress, "9 farm rd, dallas, tx, us")
	e.identifier(t, applicant.ID, unmask.IdentAddress, "9 farm rd, dallas, tx, us") // another kind: another hash
	c := e.caseIn(t, p.ID, investigating)
	if _, err := e.svc.Close(e.as(unmask.RoleAnalyst), c.ID, unmask.DispositionConfirmedFraud, ""); err != nil {
		t.Fatal(err)
	}
	inds := e.caseIndicators(t, c.ID)
	if len(inds) != 1 {
		t.Fatalf("%d indicators, want 1", len(inds))
	}
	kind, hash, ok := casework.ParseHashedValue(inds[0].Value)
	if !ok || kind != unmask.IdentShipToAddress {
		t.Fatalf("indicator value %q is not a hashed ship-to address", inds[0].Value)
	}
	matches, _, err := e.db.FindIdentifiers(context.Background(), unmask.IdentifierFilter{Kind: &kind, Hash: &hash})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range matches {
		got = append(got, m.ID)
	}
	slices.Sort(got)
	want := []string{reused.ID, e.identifiersOf(t, p.ID)[0].ID}
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("identifiers matching the indicator (-want +got):\n%s", diff)
	}
}
