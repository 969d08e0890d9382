package screen_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/idhash"
	"github.com/unmask/unmask/internal/screen"
	"github.com/unmask/unmask/internal/sqlite"
	"github.com/unmask/unmask/internal/storetest"
)

var now = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

type fixture struct {
	db *sqlite.DB
	b  *identifiers.Builder
	h  *idhash.Hasher
	s  *screen.Screener
}

func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "s.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	h, _ := idhash.New([]byte(strings.Repeat("q", 32)))
	b := identifiers.NewBuilder(h, nil)
	return &fixture{db: db, b: b, h: h, s: screen.New(screen.Options{Store: db, Builder: b, Hasher: h, Now: func() time.Time { return now }})}
}

// person stores a person with the given identifiers.
func (f *fixture) person(tb testing.TB, name string, kind unmask.PersonKind, ids func(id string) []*unmask.Identifier) *unmask.Person {
	tb.Helper()
	p := &unmask.Person{DisplayName: name, Kind: kind, Status: unmask.StatusApplied}
	if err := f.db.CreatePerson(tb.Context(), p); err != nil {
		tb.Fatal(err)
	}
	for _, id := range identifiers.Compact(ids(p.ID)...) {
		if err := f.db.CreateIdentifier(tb.Context(), id); err != nil {
			tb.Fatal(err)
		}
	}
	return p
}

func TestScreenApplicant(t *testing.T) {
	f := mustFixture(t)
	ctx := t.Context()
	other := f.person(t, "Jordan Baker", unmask.PersonApplicant, func(id string) []*unmask.Identifier {
		return []*unmask.Identifier{f.b.Phone(id, "+1 415 555 0134", "US", "greenhouse"), f.b.Email(id, "jb.dev@gmail.com", "greenhouse")}
	})
	f.person(t, "Maria Lopez", unmask.PersonEmployee, func(id string) []*unmask.Identifier {
		return f.b.Address(id, unmask.IdentAddress, "77 Birch Rd, Reno, NV 89501", "hris")
	})
	if err := f.db.CreateIndicator(ctx, &unmask.Indicator{Type: unmask.IOCGitHubLogin, Value: "devstar-99", Source: "public-list", Confidence: 90}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		a          screen.Applicant
		indicators []string // the reasons' indicator IDs that must appear
		none       bool     // no reasons at all
		evidence   string   // a masked evidence display that must appear
	}{
		{"SharedPhoneDifferentName", screen.Applicant{Name: "Alex Kim", Emails: []string{"alex.k@outlook.com"}, Phones: []string{"(415) 555-0134"}},
			[]string{"H-02"}, false, "+1 ***-***-0134"},
		{"GmailDotsAndTagsAreTheSameMailbox", screen.Applicant{Name: "Sam Park", Emails: []string{"J.B.Dev+jobs@googlemail.com"}},
			[]string{"H-02"}, false, "j***@gmail.com"},
		{"Clean", screen.Applicant{Name: "Riley Chen", Emails: []string{"riley@example.org"}, Phones: []string{"+1 206 555 0111"}}, nil, true, ""},
		{"SameSurnameAtHomeIsAHousehold", screen.Applicant{Name: "Carlos Lopez", Emails: []string{"cl@example.org"}, Addresses: []string{"77 Birch Road, Reno NV 89501"}}, nil, true, ""},
		{"VoIPPhone", screen.Applicant{Name: "Pat Doe", Country: "GB", Phones: []string{"+44 56 1234 5678"}}, []string{"H-01"}, false, ""},
		{"IOCGitHub", screen.Applicant{Name: "Pat Roe", Emails: []string{"pr@example.org"}, Links: []string{"https://github.com/DevStar-99"}}, []string{"H-03"}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.s.ScreenApplicant(ctx, tt.a)
			if err != nil {
				t.Fatal(err)
			}
			if tt.none {
				if len(res.Reasons) != 0 || res.Score != 0 || res.Band != unmask.BandLow {
					t.Errorf("clean applicant got %v %s %+v", res.Score, res.Band, res.Reasons)
				}
				return
			}
			got := map[string]bool{}
			var displays []string
			for _, r := range res.Reasons {
				got[r.Indicator] = true
				if r.Explanation == "" {
					t.Errorf("reason %s has no explanation", r.Indicator)
				}
				for _, ev := range r.Evidence {
					displays = append(displays, ev.Display)
					if ev.PersonID != other.ID {
						t.Errorf("evidence names %s, want the other applicant", ev.PersonID)
					}
				}
			}
			for _, ind := range tt.indicators {
				if !got[ind] {
					t.Errorf("reasons %+v lack %s", res.Reasons, ind)
				}
			}
			if tt.evidence != "" && !strings.Contains(strings.Join(displays, " "), tt.evidence) {
				t.Errorf("evidence %v lacks %q", displays, tt.evidence)
			}
			if res.Score <= 0 {
				t.Errorf("score = %v", res.Score)
			}
			for _, r := range res.Reasons {
				for _, leak := range []string{"0134@", "415555", "jbdev@gmail.com"} {
					if strings.Contains(r.Explanation, leak) {
						t.Errorf("explanation reveals %q: %s", leak, r.Explanation)
					}
				}
			}
		})
	}
	if _, err := f.s.ScreenApplicant(ctx, screen.Applicant{}); unmask.ErrorCode(err) != unmask.EINVALID {
		t.Errorf("empty applicant: %v", err)
	}
}

func TestDetector(t *testing.T) {
	f := mustFixture(t)
	a := f.person(t, "Alex Kim", unmask.PersonApplicant, func(id string) []*unmask.Identifier {
		return []*unmask.Identifier{f.b.Phone(id, "+1 415 555 0134", "US", "greenhouse")}
	})
	b := f.person(t, "Sam Park", unmask.PersonApplicant, func(id string) []*unmask.Identifier {
		return []*unmask.Identifier{f.b.Phone(id, "+1 415 555 0134", "US", "greenhouse")}
	})
	d := f.s.Detector()
	// Harvest records, the webhooks that carry a candidate and Lever opportunities are all
	// screened.
	for _, sa := range []string{"greenhouse/candidate", "greenhouse/new_candidate_application", "greenhouse/candidate_stage_change", "lever/opportunity"} {
		source, action, _ := strings.Cut(sa, "/")
		e := &unmask.Event{ID: "ev-" + action, Time: now, Source: source, Kind: unmask.KindApplication, Action: action, PersonID: b.ID,
			Fields: map[string]string{"phone.0": "+44 56 1234 5678", "phone.0.type": "mobile"}}
		sigs, err := d.Detect(t.Context(), e)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, s := range sigs {
			found[s.Indicator] = true
			if s.PersonID != b.ID || len(s.EventIDs) == 0 {
				t.Errorf("%s: signal %+v should be about %s with the event as evidence", action, s, b.ID)
			}
		}
		if !found["H-02"] || !found["H-01"] {
			t.Errorf("%s: signals %v: want H-02 (phone shared with %s) and H-01 (VoIP)", action, found, a.ID)
		}
	}
	other, err := d.Detect(t.Context(), &unmask.Event{Source: "okta", Action: "user.session.start", PersonID: b.ID})
	if err != nil || len(other) != 0 {
		t.Errorf("a sign-in is not screened: %v %v", other, err)
	}
}

func TestParseApplicant(t *testing.T) {
	tests := []struct {
		name, raw string
		want      string // name parsed
		code      string
	}{
		{"Greenhouse", `{"id":1,"first_name":"Alex","last_name":"Kim","email_addresses":[{"value":"a@x.example","type":"personal"}],"phone_numbers":[{"value":"+1 415 555 0134","type":"mobile"}],"social_media_addresses":[{"value":"https://github.com/akim"}]}`, "Alex Kim", ""},
		{"Webhook", `{"action":"new_candidate_application","payload":{"application":{"candidate":{"first_name":"Sam","last_name":"Park","email_addresses":[]}}}}`, "Sam Park", ""},
		{"Ours", `{"name":"Riley Chen","emails":["r@x.example"]}`, "Riley Chen", ""},
		{"UnknownField", `{"name":"x","nationality":"any"}`, "", unmask.EINVALID},
		{"NotJSON", `name=x`, "", unmask.EINVALID},
		{"HookWithoutCandidate", `{"payload":{}}`, "", unmask.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := screen.ParseApplicant([]byte(tt.raw))
			if unmask.ErrorCode(err) != tt.code || a.Name != tt.want {
				t.Errorf("ParseApplicant = %+v, %v", a, err)
			}
		})
	}
}

func FuzzParseApplicant(f *testing.F) {
	f.Add([]byte(`{"first_name":"A","email_addresses":[{"value":"a@b.c"}]}`))
	f.Add([]byte(`{"payload":{"candidate":{"first_name":"B"}}}`))
	f.Add([]byte(`{"name":"C","phones":["+1"]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		screen.ParseApplicant(raw) // must not panic
	})
}

// TestScorecards: HR CSV interview scorecards of a person are checked together: the
// camera off in both of two interviews raises H-11 for the interview and for the ratio,
// an identity concern raises its own H-11, and an earlier card's signals are not raised
// again with a later one.
func TestScorecards(t *testing.T) {
	f := mustFixture(t)
	p := f.person(t, "Riley Chen", unmask.PersonApplicant, func(string) []*unmask.Identifier { return nil })
	d := f.s.Detector()
	card := func(id string, at time.Time, camera, concern string) *unmask.Event {
		fields := map[string]string{"scorecard_id": id, "candidate_email": "riley@example.com", "camera_on": camera, "recommendation": "no"}
		if concern != "" {
			fields["identity_concern"] = concern
		}
		e := storetest.MustEvent("hris", unmask.KindApplication, "riley@example.com", at, id)
		e.Action, e.PersonID, e.Fields = "interview_scorecard", p.ID, fields
		if _, err := f.db.CreateEvents(t.Context(), []*unmask.Event{e}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	keys := func(e *unmask.Event) []string {
		t.Helper()
		sigs, err := d.Detect(t.Context(), e)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range sigs {
			if s.Indicator != "H-11" || s.PersonID != p.ID {
				t.Errorf("signal %+v", s)
			}
			out = append(out, s.Key)
		}
		slices.Sort(out)
		return out
	}
	first := card("SCR-1", now.Add(-48*time.Hour), "false", "")
	if got, want := keys(first), []string{"interview:SCR-1:camera_off"}; !slices.Equal(got, want) {
		t.Errorf("first scorecard: %v, want %v", got, want)
	}
	second := card("SCR-2", now.Add(-24*time.Hour), "false", "true")
	want := []string{"interview:SCR-2:camera_off", "interview:SCR-2:identity_concern", "interview:camera_ratio"}
	if got := keys(second); !slices.Equal(got, want) {
		t.Errorf("second scorecard: %v, want %v", got, want)
	}
}
