package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sqlite"
)

// TestScreenAdapter screens API bodies against stored Greenhouse candidates through the
// adapter serve gives the HTTP server.
func TestScreenAdapter(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	stored := newCandidate(98000001, "Jordan", "Baker")
	stored.Emails = append(stored.Emails, ghV{"jb.dev@gmail.com", "personal"})
	path := writeCandidates(t, dir, "stored.json", stored)
	if code, _, errOut := run(t, e, "", "ingest", "--source", "greenhouse", path); code != 0 {
		t.Fatalf("ingest: %d %s", code, errOut)
	}
	m := NewMain()
	m.Getenv = e
	ctx := adminContext(t.Context())
	if err := m.openDB(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	h, err := m.hasher()
	if err != nil {
		t.Fatal(err)
	}
	a := screenAdapter{m.screener(h)}
	tests := []struct {
		name, body string
		code       string // error code, "" for success
		indicator  string // a reason that must appear
		evidence   string // an evidence display that must appear
	}{
		{"GreenhouseCandidate", `{"first_name":"Sam","last_name":"Park","email_addresses":[{"value":"J.B.Dev+jobs@googlemail.com"}]}`, "", "H-02", "j***@gmail.com"},
		{"Webhook", `{"action":"new_candidate_application","payload":{"application":{"candidate":{"first_name":"Sam","last_name":"Park","email_addresses":[{"value":"jbdev@gmail.com"}]}}}}`, "", "H-02", "j***@gmail.com"},
		{"Applicant", `{"name":"Riley Chen","emails":["riley@example.org"]}`, "", "", ""},
		{"NotJSON", `first_name=Sam`, unmask.EINVALID, "", ""},
		{"UnknownField", `{"name":"Sam","nationality":"any"}`, unmask.EINVALID, "", ""},
		{"NoContact", `{"name":""}`, unmask.EINVALID, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := a.ScreenApplicant(ctx, []byte(tt.body))
			if unmask.ErrorCode(err) != tt.code {
				t.Fatalf("ScreenApplicant = %+v, %v; want code %q", res, err, tt.code)
			}
			if err != nil {
				return
			}
			var found bool
			var displays []string
			for _, r := range res.Reasons {
				found = found || r.Indicator == tt.indicator
				for _, ev := range r.Evidence {
					displays = append(displays, ev.Display)
					if ev.Name != "Jordan Baker" || ev.PersonID == "" {
						t.Errorf("evidence %+v does not name the stored candidate", ev)
					}
				}
				if strings.Contains(r.Explanation, "jb.dev") || strings.Contains(r.Explanation, "jbdev@") {
					t.Errorf("explanation %q shows the e-mail in the clear", r.Explanation)
				}
			}
			if tt.indicator == "" && len(res.Reasons) != 0 {
				t.Errorf("clean applicant: %+v", res.Reasons)
			}
			if tt.indicator != "" && (!found || !strings.Contains(strings.Join(displays, " "), tt.evidence)) {
				t.Errorf("reasons %+v; want %s with evidence %s", res.Reasons, tt.indicator, tt.evidence)
			}
		})
	}
}

// TestScreenCLIAudited: `unmask screen` audits the screening and the view of each stored
// person its evidence names, as the API does.
func TestScreenCLIAudited(t *testing.T) {
	dir := t.TempDir()
	e := env(dir)
	stored := newCandidate(98000002, "Jordan", "Baker")
	stored.Emails = append(stored.Emails, ghV{"jb.dev@gmail.com", "personal"})
	if code, _, errOut := run(t, e, "", "ingest", "--source", "greenhouse", writeCandidates(t, dir, "stored.json", stored)); code != 0 {
		t.Fatalf("ingest: %d %s", code, errOut)
	}
	code, out, errOut := run(t, e, `{"name":"Sam Park","emails":["jbdev@gmail.com"]}`, "screen", "-")
	if code != 0 || !strings.Contains(out, "shares email j***@gmail.com with Jordan Baker") {
		t.Fatalf("screen: exit %d, %s %s", code, out, errOut)
	}
	db, err := sqlite.Open(t.Context(), filepath.Join(dir, "unmask.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, action := range []string{"applicant.screen", "person.view"} {
		got, _, err := db.FindAuditEntries(t.Context(), unmask.AuditFilter{Action: &action})
		if err != nil || len(got) != 1 || got[0].ActorID != unmask.SystemUser.ID {
			t.Errorf("%s audit entries = %+v, %v; want one by the CLI's system user", action, got, err)
		}
	}
}
