package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
)

var checker = Checker{Now: fixedNow}

type ksig struct {
	Indicator, Key string
	Severity       unmask.Severity
}

func MustKeys(tb testing.TB, sigs []unmask.Signal) []ksig {
	tb.Helper()
	var out []ksig
	for _, s := range sigs {
		if err := s.Validate(); err != nil {
			tb.Errorf("invalid signal %+v: %v", s, err)
		}
		out = append(out, ksig{s.Indicator, s.Key, s.Severity})
	}
	return out
}

func MustPhone(tb testing.TB, raw string) contact.Phone {
	tb.Helper()
	p, err := contact.ParsePhone(raw, "")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestPhoneSignals(t *testing.T) {
	tests := []struct {
		name string
		f    PhoneFacts
		want []ksig
	}{
		{name: "gb_voip_plan_in_gb", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+44 56 1234 5678"), ResidenceCountry: "GB"},
			want: []ksig{{"H-01", "phone:voip:+445612345678", unmask.SeverityMedium}}},
		{name: "us_voip_by_lookup", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+1 202 555 0142"), ResidenceCountry: "US",
			Lookup: &contact.LineInfo{Type: contact.LineVoIP}},
			want: []ksig{{"H-01", "phone:voip:+12025550142", unmask.SeverityMedium}}},
		{name: "us_mobile_by_lookup", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+1 202 555 0142"), ResidenceCountry: "US",
			Lookup: &contact.LineInfo{Type: contact.LineMobile}}},
		{name: "canadian_number_in_us_is_fine", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+1 416 555 0142"), ResidenceCountry: "US"}},
		{name: "foreign_mobile_for_us_residence", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+86 138 0013 8000"), ResidenceCountry: "us"},
			want: []ksig{{"H-19", "phone:country:+8613800138000", unmask.SeverityLow}}},
		{name: "no_residence_known", f: PhoneFacts{PersonID: "p", Phone: MustPhone(t, "+86 138 0013 8000")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checker.PhoneSignals(tt.f)
			if diff := cmp.Diff(tt.want, MustKeys(t, got)); diff != "" {
				t.Errorf("PhoneSignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if strings.Contains(s.Explanation, tt.f.Phone.E164) {
					t.Errorf("explanation shows the full number: %q", s.Explanation)
				}
			}
		})
	}
}

func TestGeographySignals(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want []ksig
	}{
		{name: "us_residence_all_abroad",
			p:    Profile{PersonID: "p", ResidenceCountry: "US", Education: []Place{{"Univ A", "CN"}}, Jobs: []Job{{Employer: "X", Country: "SG"}}},
			want: []ksig{{"H-04", "geo:residence", unmask.SeverityInfo}}},
		{name: "immigrant_foreign_degree_us_job",
			p: Profile{PersonID: "p", ResidenceCountry: "US", Education: []Place{{"Univ A", "IN"}}, Jobs: []Job{{Employer: "Y", Country: "US"}}}},
		{name: "immigrant_foreign_degree_unknown_job_location",
			p:    Profile{PersonID: "p", ResidenceCountry: "US", Education: []Place{{"Univ A", "UA"}}, Jobs: []Job{{Employer: "Y"}}},
			want: []ksig{{"H-04", "geo:residence", unmask.SeverityInfo}}},
		{name: "canadian_school_counts_for_us",
			p: Profile{PersonID: "p", ResidenceCountry: "US", Education: []Place{{"Univ T", "CA"}}, Jobs: []Job{{Employer: "Z", Country: "CN"}}}},
		{name: "residence_outside_judged_regions",
			p: Profile{PersonID: "p", ResidenceCountry: "PH", Education: []Place{{"Univ", "US"}}}},
		{name: "no_locations_known",
			p: Profile{PersonID: "p", ResidenceCountry: "DE", Education: []Place{{Name: "Univ"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checker.GeographySignals(tt.p)
			if diff := cmp.Diff(tt.want, MustKeys(t, got)); diff != "" {
				t.Errorf("GeographySignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if !NeedsCorroboration(s) || !strings.Contains(s.Explanation, "counts only with other evidence") {
					t.Errorf("H-04 signal not marked as needing corroboration: %+v", s)
				}
			}
		})
	}
}

func TestProfileSignals(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want []ksig
	}{
		{name: "kubernetes_since_2010", p: Profile{PersonID: "p", Skills: []Skill{{"Kubernetes", 2010}}},
			want: []ksig{{"H-06", "profile:anachronism:kubernetes", unmask.SeverityLow}}},
		{name: "early_adopter_within_a_year_is_fine", p: Profile{PersonID: "p", Skills: []Skill{{"Go", 2008}, {"Rust", 2012}}}},
		{name: "job_ended_before_react", p: Profile{PersonID: "p", Jobs: []Job{{Employer: "A", StartYear: 2008, EndYear: 2010, Technologies: []string{"React"}}}},
			want: []ksig{{"H-06", "profile:anachronism:react", unmask.SeverityLow}}},
		{name: "long_job_that_adopted_react", p: Profile{PersonID: "p", Jobs: []Job{{Employer: "A", StartYear: 2008, EndYear: 2020, Technologies: []string{"React"}}}}},
		{name: "cliche_title", p: Profile{PersonID: "p", Jobs: []Job{{Employer: "A", Title: "Senior Full-Stack Blockchain Developer"}}},
			want: []ksig{{"H-06", "profile:title", unmask.SeverityInfo}}},
		{name: "unknown_skill_ignored", p: Profile{PersonID: "p", Skills: []Skill{{"COBOL", 1970}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checker.ProfileSignals(tt.p)
			if diff := cmp.Diff(tt.want, MustKeys(t, got)); diff != "" {
				t.Errorf("ProfileSignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if !NeedsCorroboration(s) {
					t.Errorf("H-06 signal not marked as needing corroboration: %+v", s)
				}
			}
		})
	}
}

func TestNameSignals(t *testing.T) {
	tests := []struct {
		name string
		p    Profile
		want []ksig
	}{
		{name: "id_document_other_person", p: Profile{PersonID: "p", Name: "John Smith", OtherNames: []NamedSource{{"id_document", "Ivan Petrov"}}},
			want: []ksig{{"H-19", "names:id_document", unmask.SeverityMedium}}},
		{name: "diacritics_order_middle_name", p: Profile{PersonID: "p", Name: "José García", OtherNames: []NamedSource{
			{"id_document", "GARCIA LOPEZ, JOSE MARIA"}, {"resume", "Jose Garcia"}, {"github", "jose garcía"}}}},
		{name: "github_nickname_is_low", p: Profile{PersonID: "p", Name: "John Smith", OtherNames: []NamedSource{{"github", "CodeNinja"}}},
			want: []ksig{{"H-19", "names:github", unmask.SeverityLow}}},
		{name: "empty_other_name", p: Profile{PersonID: "p", Name: "John Smith", OtherNames: []NamedSource{{"linkedin", ""}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustKeys(t, checker.NameSignals(tt.p))); diff != "" {
				t.Errorf("NameSignals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScorecardSignals(t *testing.T) {
	tests := []struct {
		name  string
		cards []Scorecard
		want  []ksig
	}{
		{name: "identity_change_and_reading", cards: []Scorecard{{PersonID: "p", InterviewID: "i1", IdentityChanged: true, ReadingAnswers: true, CameraOn: new(true)}},
			want: []ksig{{"H-11", "interview:i1:identity_changed", unmask.SeverityHigh}, {"H-14", "interview:i1:behaviour", unmask.SeverityLow}}},
		{name: "camera_off_twice", cards: []Scorecard{
			{PersonID: "p", InterviewID: "i1", CameraOn: new(false), CameraExcuse: true},
			{PersonID: "p", InterviewID: "i2", CameraOn: new(false)},
			{PersonID: "p", InterviewID: "i3", CameraOn: new(true)}},
			want: []ksig{{"H-11", "interview:i1:camera_off", unmask.SeverityLow}, {"H-11", "interview:i2:camera_off", unmask.SeverityLow},
				{"H-11", "interview:camera_ratio", unmask.SeverityMedium}}},
		{name: "id_mismatch", cards: []Scorecard{{PersonID: "p", InterviewID: "i1", MatchesID: new(false)}},
			want: []ksig{{"H-11", "interview:i1:id_mismatch", unmask.SeverityHigh}}},
		{name: "clean_interview", cards: []Scorecard{{PersonID: "p", InterviewID: "i1", CameraOn: new(true), MatchesID: new(true)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustKeys(t, checker.ScorecardSignals(tt.cards))); diff != "" {
				t.Errorf("ScorecardSignals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAvoidanceSignals(t *testing.T) {
	tests := []struct {
		name  string
		steps []StepOutcome
		want  []ksig
	}{
		{name: "declined_drug_test_and_onsite", steps: []StepOutcome{
			{PersonID: "p", Step: "drug_test", Outcome: "declined"}, {PersonID: "p", Step: "onsite", Outcome: "rescheduled"}},
			want: []ksig{{"H-15", "interview:avoidance", unmask.SeverityMedium}}},
		{name: "rescheduled_then_completed", steps: []StepOutcome{
			{PersonID: "p", Step: "onsite", Outcome: "rescheduled"}, {PersonID: "p", Step: "onsite", Outcome: "rescheduled"},
			{PersonID: "p", Step: "onsite", Outcome: "completed"}}},
		{name: "one_reschedule", steps: []StepOutcome{{PersonID: "p", Step: "onsite", Outcome: "rescheduled"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustKeys(t, checker.AvoidanceSignals(tt.steps, 0))); diff != "" {
				t.Errorf("AvoidanceSignals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPayoutSignals(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		p    Payout
		want []ksig
	}{
		{name: "crypto_applicant", p: Payout{PersonID: "p", Method: "crypto"},
			want: []ksig{{"H-16", "payout:method", unmask.SeverityHigh}}},
		{name: "payee_other_name_worker", p: Payout{PersonID: "p", Worker: true, Method: "bank", PayeeName: "Li Wei", LegalName: "John Smith", AccountDisplay: "****1234"},
			want: []ksig{{"O-03", "payout:payee", unmask.SeverityHigh}}},
		{name: "payee_same_name_accented", p: Payout{PersonID: "p", Worker: true, Method: "bank", PayeeName: "GARCIA, JOSE", LegalName: "José García"}},
		{name: "wise_and_many_changes", p: Payout{PersonID: "p", Worker: true, Method: "Wise",
			Changes: []time.Time{t0, t0.Add(10 * day), t0.Add(20 * day), t0.Add(30 * day), t0.Add(40 * day)}},
			want: []ksig{{"H-16", "payout:method", unmask.SeverityMedium}, {"O-03", "payout:changes", unmask.SeverityMedium}}},
		{name: "changes_spread_out", p: Payout{PersonID: "p", Worker: true, Method: "bank",
			Changes: []time.Time{t0, t0.Add(100 * day), t0.Add(200 * day), t0.Add(300 * day)}}},
		{name: "bank_abroad", p: Payout{PersonID: "p", Worker: true, Method: "bank", BankCountry: "hk", ResidenceCountry: "US"},
			want: []ksig{{"O-03", "payout:country", unmask.SeverityLow}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checker.PayoutSignals(tt.p)
			if diff := cmp.Diff(tt.want, MustKeys(t, got)); diff != "" {
				t.Errorf("PayoutSignals mismatch (-want +got):\n%s", diff)
			}
			for _, s := range got {
				if tt.p.PayeeName != "" && strings.Contains(s.Explanation, tt.p.PayeeName) {
					t.Errorf("explanation names the payee: %q", s.Explanation)
				}
			}
		})
	}
}
