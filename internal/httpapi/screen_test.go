package httpapi_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

func TestScreen(t *testing.T) {
	const candidate = `{"first_name":"Alex","last_name":"Kim","phone_numbers":[{"value":"+1 415 555 0134"}]}`
	tests := []struct {
		name       string
		role       unmask.Role
		body       string
		headers    map[string]string
		noScreener bool
		wantStatus int
		wantBody   string
	}{
		{"HR", unmask.RoleHR, candidate, nil, false, 200, `"evidence":[{"person_id":`},
		{"Analyst", unmask.RoleAnalyst, candidate, nil, false, 200, `"band":"high"`},
		{"Admin", unmask.RoleAdmin, candidate, nil, false, 200, `"display":"+1 ***-***-0134"`},
		{"Viewer", unmask.RoleViewer, candidate, nil, false, 403, `"code":"forbidden"`},
		{"Empty", unmask.RoleHR, "", nil, false, 400, "Send a Greenhouse candidate"},
		{"NotJSON", unmask.RoleHR, "first_name=Alex", nil, false, 400, "not JSON"},
		{"WrongContentType", unmask.RoleHR, candidate, map[string]string{"Content-Type": "text/plain"}, false, 400, "application/json"},
		{"TooLarge", unmask.RoleHR, `{"first_name":"` + strings.Repeat("a", 1<<20) + `"}`, nil, false, 413, `"code":"too_large"`},
		{"NotConfigured", unmask.RoleHR, candidate, nil, true, 503, "not configured"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			s := MustServer(t, w, func(o *httpapi.Options) {
				if tt.noScreener {
					o.Screener = nil
				}
			})
			req := httptest.NewRequest("POST", "/api/v1/screen", strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+w.tokens[tt.role])
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if body := rec.Body.String(); rec.Code != tt.wantStatus || !strings.Contains(body, tt.wantBody) {
				t.Errorf("= %d %.300s, want %d containing %s", rec.Code, body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

// TestScreenAudited: a screening is audited, and so is the view of each person its
// evidence names, in the caller's name.
func TestScreenAudited(t *testing.T) {
	w := MustWorld(t)
	h := MustServer(t, w).Handler()
	if code, body := do(t, h, w.tokens[unmask.RoleHR], "POST", "/api/v1/screen", `{"name":"Alex Kim","phones":["+1 415 555 0134"]}`); code != 200 {
		t.Fatalf("screen = %d %s", code, body)
	}
	hr := w.users[unmask.RoleHR].ID
	for _, want := range []struct{ action, object string }{{"applicant.screen", ""}, {"person.view", w.people["jordan"].ID}} {
		action := want.action
		got, _, err := w.db.FindAuditEntries(t.Context(), unmask.AuditFilter{Action: &action, ActorID: &hr})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range got {
			found = found || e.ObjectID == want.object && strings.Contains(e.Detail, "role=hr")
		}
		if !found {
			t.Errorf("no %s audit entry for %q by the HR user: %+v", want.action, want.object, got)
		}
	}
}
