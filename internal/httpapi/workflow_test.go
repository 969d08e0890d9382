package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/spotcheck"
)

// TestWorkflows drives case and spot-check changes through the API and the web UI and
// checks that the workflows' rules applied and that each change was audited once.
func TestWorkflows(t *testing.T) {
	caseStatus := func(w *world) string { return "/api/v1/cases/" + w.kase.ID }
	spotResult := func(w *world) string { return "/api/v1/spotchecks/" + w.spot.ID + "/result" }
	tests := []struct {
		name string
		role unmask.Role
		// path is the API path, or with form set the UI path.
		path       func(w *world) string
		method     string
		body       string
		form       url.Values
		wantStatus int
		wantBody   string
		// object is the audited object: "case" (w.kase) or "spot" (w.spot).
		object    string
		wantAudit []string // its audit actions after the call, sorted
		check     func(t *testing.T, w *world)
	}{
		{name: "CloseAsConfirmedFraud", role: unmask.RoleAnalyst, path: caseStatus, method: "PATCH",
			body: `{"status":"closed","disposition":"confirmed_fraud","note":"Identity confirmed stolen."}`, wantStatus: 200,
			wantBody: `"disposition":"confirmed_fraud"`, object: "case", wantAudit: []string{"case.close"},
			check: func(t *testing.T, w *world) {
				wantIndicators(t, w, w.kase.ID, []string{"address", "email", "github_login", "phone"})
				if a := mustAlert(t, w); a.Status != unmask.AlertClosed {
					t.Errorf("linked alert is %s, want closed", a.Status)
				}
			}},
		{name: "CloseAsConfirmedFraudForm", role: unmask.RoleAnalyst, path: func(w *world) string { return "/cases/" + w.kase.ID + "/status" },
			form: url.Values{"status": {"closed"}, "disposition": {"confirmed_fraud"}}, wantStatus: 200, wantBody: "confirmed_fraud",
			object: "case", wantAudit: []string{"case.close"},
			check: func(t *testing.T, w *world) {
				wantIndicators(t, w, w.kase.ID, []string{"address", "email", "github_login", "phone"})
				if a := mustAlert(t, w); a.Status != unmask.AlertClosed {
					t.Errorf("linked alert is %s, want closed", a.Status)
				}
			}},
		{name: "IllegalTransition", role: unmask.RoleAnalyst, path: caseStatus, method: "PATCH", body: `{"status":"open"}`,
			wantStatus: 400, wantBody: `"error":"A case cannot move from investigating to open.`, object: "case",
			check: func(t *testing.T, w *world) {
				if c := mustCase(t, w); c.Status != unmask.CaseInvestigating {
					t.Errorf("refused case is %s, want investigating", c.Status)
				}
			}},
		{name: "CloseAsViewer", role: unmask.RoleViewer, path: caseStatus, method: "PATCH", body: `{"status":"closed","disposition":"legitimate"}`,
			wantStatus: 403, wantBody: `"code":"forbidden"`, object: "case"},
		{name: "CloseWithoutDisposition", role: unmask.RoleAnalyst, path: caseStatus, method: "PATCH", body: `{"status":"closed"}`,
			wantStatus: 400, wantBody: `A closed case needs a disposition`, object: "case"},
		{name: "EscalateToLegal", role: unmask.RoleHR, path: caseStatus, method: "PATCH", body: `{"status":"escalated","escalate_to":"legal"}`,
			wantStatus: 200, wantBody: `"status":"escalated"`, object: "case", wantAudit: []string{"case.escalate"},
			check: func(t *testing.T, w *world) { wantNote(t, w, "Escalated to legal.") }},
		{name: "AssignAndRetitle", role: unmask.RoleAnalyst, path: caseStatus, method: "PATCH",
			body: `{"title":"Jordan Reyes: laptop farm","assignee":""}`, wantStatus: 200, wantBody: `"title":"Jordan Reyes: laptop farm"`,
			object: "case", wantAudit: []string{"case.assign", "case.update"}},
		{name: "SameStatusNote", role: unmask.RoleAnalyst, path: caseStatus, method: "PATCH", body: `{"status":"investigating","note":"Still looking."}`,
			wantStatus: 200, wantBody: `"status":"investigating"`, object: "case", wantAudit: []string{"case.note"},
			check: func(t *testing.T, w *world) { wantNote(t, w, "Still looking.") }},
		{name: "NoteAPI", role: unmask.RoleHR, path: func(w *world) string { return "/api/v1/cases/" + w.kase.ID + "/notes" }, method: "POST",
			body: `{"body":"Asked for a video call."}`, wantStatus: 201, wantBody: `"author":"`, object: "case", wantAudit: []string{"case.note"}},
		{name: "EvidenceOfAnotherPerson", role: unmask.RoleAnalyst, path: func(w *world) string { return "/api/v1/cases/" + w.kase.ID + "/evidence" },
			method: "POST", body: `{"ids":["ev-s-1"]}`, wantStatus: 400, wantBody: `belongs to another person`, object: "case"},
		{name: "RefusedSpotCheck", role: unmask.RoleHR, path: spotResult, method: "POST", body: `{"status":"refused","notes":"Webcam broken."}`,
			wantStatus: 200, wantBody: `"status":"refused"`, object: "spot", wantAudit: []string{"spot_check.update"},
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, []string{"H-11 high"}) }},
		{name: "RefusedSpotCheckForm", role: unmask.RoleHR, path: func(w *world) string { return "/spotchecks/" + w.spot.ID + "/result" },
			form: url.Values{"status": {"refused"}}, wantStatus: 200, wantBody: "refused", object: "spot", wantAudit: []string{"spot_check.update"},
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, []string{"H-11 high"}) }},
		{name: "MissedSpotCheck", role: unmask.RoleAnalyst, path: spotResult, method: "POST", body: `{"status":"missed"}`,
			wantStatus: 200, wantBody: `"status":"missed"`, object: "spot", wantAudit: []string{"spot_check.update"},
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, []string{"H-11 medium"}) }},
		{name: "FailedAttestation", role: unmask.RoleHR, path: spotResult, method: "POST", body: `{"status":"done",` +
			`"attestation":{"id_matched":true,"same_laptop":false,"location_consistent":true}}`,
			wantStatus: 200, wantBody: `"status":"done"`, object: "spot", wantAudit: []string{"spot_check.update"},
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, []string{"O-05 high"}) }},
		{name: "CancelledSpotCheck", role: unmask.RoleHR, path: spotResult, method: "POST", body: `{"status":"cancelled"}`,
			wantStatus: 200, wantBody: `"status":"cancelled"`, object: "spot", wantAudit: []string{"spot_check.update"},
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, nil) }},
		{name: "SpotCheckAsViewer", role: unmask.RoleViewer, path: spotResult, method: "POST", body: `{"status":"refused"}`,
			wantStatus: 403, wantBody: `"code":"forbidden"`, object: "spot",
			check: func(t *testing.T, w *world) { wantSpotSignals(t, w, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := MustWorld(t)
			linkAlert(t, w)
			var code int
			var body string
			if tt.form != nil {
				code, body = postForm(t, w, tt.role, tt.path(w), tt.form)
			} else {
				code, body = do(t, MustServer(t, w).Handler(), w.tokens[tt.role], tt.method, tt.path(w), tt.body)
			}
			if code != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("= %d %s, want %d containing %s", code, body, tt.wantStatus, tt.wantBody)
			}
			id := w.kase.ID
			if tt.object == "spot" {
				id = w.spot.ID
			}
			if got := auditActions(t, w, id); !slices.Equal(got, tt.wantAudit) {
				t.Errorf("audit actions = %v, want %v", got, tt.wantAudit)
			}
			if tt.check != nil {
				tt.check(t, w)
			}
		})
	}
}

// TestOpenCaseFromAlert opens a case from an alert through the API: the workflow links and
// acknowledges the alert and attaches its signals, with one audit entry.
func TestOpenCaseFromAlert(t *testing.T) {
	w := MustWorld(t)
	h := MustServer(t, w).Handler()
	code, body := do(t, h, w.tokens[unmask.RoleAnalyst], "POST", "/api/v1/cases", `{"alert_id":"`+w.alert.ID+`"}`)
	if code != 201 {
		t.Fatalf("= %d %s, want 201", code, body)
	}
	var c unmask.Case
	must(t, json.Unmarshal([]byte(body), &c))
	if c.AlertID != w.alert.ID || !slices.Equal(c.Evidence, w.alert.SignalIDs) || c.CreatedBy != w.users[unmask.RoleAnalyst].ID {
		t.Errorf("case = %+v", c)
	}
	if a := mustAlert(t, w); a.CaseID != c.ID || a.Status != unmask.AlertAcknowledged {
		t.Errorf("alert case %q status %s, want %s acknowledged", a.CaseID, a.Status, c.ID)
	}
	if got := auditActions(t, w, c.ID); !slices.Equal(got, []string{"case.create"}) {
		t.Errorf("audit actions = %v, want [case.create]", got)
	}
	if got := auditActions(t, w, w.alert.ID); len(got) != 0 {
		t.Errorf("alert audit actions = %v, want none (the case entry says it was linked)", got)
	}
	code, body = do(t, h, w.tokens[unmask.RoleAnalyst], "POST", "/api/v1/cases", `{"alert_id":"`+w.alert.ID+`"}`)
	if code != 409 || !strings.Contains(body, `"code":"conflict"`) {
		t.Errorf("second case for the alert: %d %s, want 409", code, body)
	}
}

// TestWorkflowOptions checks that the server uses the workflows Options gives.
func TestWorkflowOptions(t *testing.T) {
	w := MustWorld(t)
	var opened, recorded bool
	h := MustServer(t, w, func(o *httpapi.Options) {
		o.Cases = fakeCases{open: func() { opened = true }}
		o.SpotChecks = fakeSpotChecks{record: func() { recorded = true }}
	}).Handler()
	do(t, h, w.tokens[unmask.RoleAnalyst], "POST", "/api/v1/cases", `{"person_id":"`+w.people["sam"].ID+`"}`)
	do(t, h, w.tokens[unmask.RoleAnalyst], "POST", "/api/v1/spotchecks/"+w.spot.ID+"/result", `{"status":"refused"}`)
	if !opened || !recorded {
		t.Errorf("opened %v, recorded %v; want both through the given workflows", opened, recorded)
	}
}

// fakeCases is a CaseWorkflow that reports OpenForPerson and refuses the rest.
type fakeCases struct {
	httpapi.CaseWorkflow
	open func()
}

func (f fakeCases) OpenForPerson(_ context.Context, personID string, _ casework.OpenRequest) (*unmask.Case, error) {
	f.open()
	return &unmask.Case{ID: "c-fake", PersonID: personID}, nil
}

// fakeSpotChecks is a SpotCheckWorkflow that reports Record.
type fakeSpotChecks struct {
	httpapi.SpotCheckWorkflow
	record func()
}

func (f fakeSpotChecks) Record(_ context.Context, id string, r spotcheck.Result) (*unmask.SpotCheck, []string, error) {
	f.record()
	return &unmask.SpotCheck{ID: id, Status: r.Status}, nil, nil
}

// linkAlert links the fixture alert to the fixture case, as opening the case from it would.
func linkAlert(tb testing.TB, w *world) {
	tb.Helper()
	_, err := w.db.UpdateAlert(w.ctx(tb), w.alert.ID, unmask.AlertUpdate{CaseID: &w.kase.ID})
	must(tb, err)
}

// postForm posts a form to the web UI as role and returns the final status and body.
func postForm(tb testing.TB, w *world, role unmask.Role, path string, form url.Values) (int, string) {
	tb.Helper()
	ts, c := MustBrowser(tb, w, role)
	req, err := http.NewRequestWithContext(tb.Context(), "POST", ts.URL+path, strings.NewReader(form.Encode()))
	must(tb, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	must(tb, err)
	defer resp.Body.Close()
	return resp.StatusCode, readAll(tb, resp)
}

// auditActions returns the actions audited on an object, sorted.
func auditActions(tb testing.TB, w *world, id string) []string {
	tb.Helper()
	list, _, err := w.db.FindAuditEntries(tb.Context(), unmask.AuditFilter{ObjectID: &id})
	must(tb, err)
	var out []string
	for _, a := range list {
		out = append(out, a.Action)
	}
	slices.Sort(out)
	return out
}

func mustCase(tb testing.TB, w *world) *unmask.Case {
	tb.Helper()
	c, err := w.db.FindCaseByID(tb.Context(), w.kase.ID)
	must(tb, err)
	return c
}

func mustAlert(tb testing.TB, w *world) *unmask.Alert {
	tb.Helper()
	a, err := w.db.FindAlertByID(tb.Context(), w.alert.ID)
	must(tb, err)
	return a
}

// wantIndicators checks the types of the indicators a case published, sorted.
func wantIndicators(tb testing.TB, w *world, caseID string, want []string) {
	tb.Helper()
	list, _, err := w.db.FindIndicators(tb.Context(), unmask.IndicatorFilter{CaseID: &caseID})
	must(tb, err)
	var got []string
	for _, i := range list {
		got = append(got, string(i.Type))
		if i.Source != "case:"+caseID {
			tb.Errorf("indicator %s has source %q", i.ID, i.Source)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		tb.Errorf("indicators of the case = %v, want %v", got, want)
	}
}

// wantNote checks that the fixture case's newest note is body.
func wantNote(tb testing.TB, w *world, body string) {
	tb.Helper()
	notes, err := w.db.FindCaseNotes(tb.Context(), w.kase.ID)
	must(tb, err)
	if got := notes[len(notes)-1].Body; got != body {
		tb.Errorf("newest note = %q, want %q", got, body)
	}
}

// wantSpotSignals checks the "indicator severity" of the spot-check signals of the fixture
// check's person.
func wantSpotSignals(tb testing.TB, w *world, want []string) {
	tb.Helper()
	det := spotcheck.Detector
	list, _, err := w.db.FindSignals(tb.Context(), unmask.SignalFilter{PersonID: &w.spot.PersonID, Detector: &det})
	must(tb, err)
	var got []string
	for _, s := range list {
		got = append(got, s.Indicator+" "+string(s.Severity))
	}
	if !slices.Equal(got, want) {
		tb.Errorf("spot-check signals = %v, want %v", got, want)
	}
}
