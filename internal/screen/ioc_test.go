package screen_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/ioc"
	"github.com/unmask/unmask/internal/screen"
)

// TestScreenMatchesImportedIndicators: indicators loaded from a list (internal/ioc) and
// stored are matched by screening on normalised values: e-mails through their keyed
// hash (Gmail dots, tags and googlemail.com are one mailbox), phones in any format,
// GitHub logins from a profile URL, and e-mail domains.
func TestScreenMatchesImportedIndicators(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	res, err := ioc.LoadCSV(strings.NewReader(`type,value,confidence,valid_until
email,John.Doe+jobs@googlemail.com,90,
phone,+1 (202) 555-0199,70,
github_login,https://github.com/Fake-Dev-42,80,
domain,fake-staffing[.]example,60,
email,expired@example.org,90,2020-01-01
`), "feed:test")
	if err != nil || res.Skipped != 0 {
		t.Fatalf("LoadCSV = %+v, %v", res, err)
	}
	for i := range res.Indicators {
		if err := f.db.CreateIndicator(ctx, &res.Indicators[i]); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		a       screen.Applicant
		want    bool   // an H-03 reason
		explain string // in its explanation
	}{
		{"EmailVariant", screen.Applicant{Name: "A B", Emails: []string{"j.o.h.n.doe@gmail.com"}}, true, "E-mail j***@gmail.com matches"},
		{"PhoneFormatted", screen.Applicant{Name: "A B", Phones: []string{"202-555-0199"}}, true, "Phone +1 ***-***-0199 matches"},
		{"GitHubURL", screen.Applicant{Name: "A B", Emails: []string{"ab@example.org"}, Links: []string{"https://github.com/fake-dev-42/"}}, true, "GitHub account fake-dev-42"},
		{"EmailDomain", screen.Applicant{Name: "A B", Emails: []string{"recruit@Fake-Staffing.example"}}, true, "is on a domain that matches"},
		{"Expired", screen.Applicant{Name: "A B", Emails: []string{"expired@example.org"}}, false, ""},
		{"Clean", screen.Applicant{Name: "A B", Emails: []string{"john.doe@outlook.com"}, Phones: []string{"+1 202 555 0100"}}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.s.ScreenApplicant(ctx, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			var h03 *screen.Reason
			for i, r := range got.Reasons {
				if r.Indicator == "H-03" {
					h03 = &got.Reasons[i]
				}
			}
			if (h03 != nil) != tt.want {
				t.Fatalf("reasons %+v; want H-03: %v", got.Reasons, tt.want)
			}
			if h03 == nil {
				return
			}
			if !strings.Contains(h03.Explanation, tt.explain) {
				t.Errorf("explanation %q lacks %q", h03.Explanation, tt.explain)
			}
			for _, leak := range []string{"john.doe@", "2025550199", "recruit@"} {
				if strings.Contains(strings.ToLower(h03.Explanation), leak) {
					t.Errorf("explanation %q shows %q in the clear", h03.Explanation, leak)
				}
			}
		})
	}
}

// TestScreenMatchesCaseIndicators: a confirmed-fraud case publishes the person's e-mail
// and phone as keyed hashes (internal/casework); a later applicant using either, in any
// spelling, matches them.
func TestScreenMatchesCaseIndicators(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	for _, id := range []*unmask.Identifier{
		f.b.Email("fraud-1", "Kim.Lee+hr@gmail.com", "hris"),
		f.b.Phone("fraud-1", "+1 202 555 0147", "US", "hris"),
	} {
		ind, ok := casework.IndicatorFromIdentifier("case-1", id)
		if !ok {
			t.Fatalf("no indicator from %+v", id)
		}
		if err := f.db.CreateIndicator(ctx, ind); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []screen.Applicant{
		{Name: "New Name", Emails: []string{"kimlee@gmail.com"}},
		{Name: "Other Name", Phones: []string{"(202) 555-0147"}},
	} {
		got, err := f.s.ScreenApplicant(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(got.Reasons, func(r screen.Reason) bool { return r.Indicator == "H-03" }) {
			t.Errorf("%+v: reasons %+v; want H-03 from the case's indicators", a, got.Reasons)
		}
	}
}
