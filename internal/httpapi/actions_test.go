package httpapi_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unmask/unmask"
)

// TestPageActions drives the UI's forms and htmx posts without a browser.
func TestPageActions(t *testing.T) {
	tests := []struct {
		name   string
		role   unmask.Role
		path   func(w *world) string
		form   url.Values
		htmx   bool
		status int
		want   string // in the final body (after redirects)
		check  func(t *testing.T, w *world)
	}{
		{"AcknowledgeFragment", unmask.RoleHR, func(w *world) string { return "/alerts/" + w.alert.ID + "/acknowledge" }, nil, true, 200, `status-acknowledged`, nil},
		{"CloseAlertAsViewer", unmask.RoleViewer, func(w *world) string { return "/alerts/" + w.alert.ID + "/close" }, nil, false, 403, "may not change alerts", nil},
		{"CaseFromPerson", unmask.RoleAnalyst, fixed("/cases"), url.Values{"title": {"Check Sam"}}, false, 200, "Check Sam", nil},
		{"CaseBadTransition", unmask.RoleAnalyst, func(w *world) string { return "/cases/" + w.kase.ID + "/status" }, url.Values{"status": {"open"}}, true, 400,
			"A case cannot move from investigating to open.", nil},
		{"CaseClose", unmask.RoleAnalyst, func(w *world) string { return "/cases/" + w.kase.ID + "/status" },
			url.Values{"status": {"closed"}, "disposition": {"confirmed_fraud"}}, false, 200, "confirmed_fraud", nil},
		{"CaseAssign", unmask.RoleHR, func(w *world) string { return "/cases/" + w.kase.ID + "/assignee" }, url.Values{"assignee": {""}}, false, 200, "assigned to nobody", nil},
		{"CaseNote", unmask.RoleAnalyst, func(w *world) string { return "/cases/" + w.kase.ID + "/notes" }, url.Values{"body": {"<b>bold</b> claim"}}, true, 200, "&lt;b&gt;bold&lt;/b&gt; claim", nil},
		{"SpotCheckSchedule", unmask.RoleHR, fixed("/spotchecks"), url.Values{"due_at": {"2026-05-02T09:30"}, "reason": {"random"}}, false, 200, "2026-05-02 09:30 UTC", nil},
		{"SpotCheckBadTime", unmask.RoleHR, fixed("/spotchecks"), url.Values{"due_at": {"soon"}}, false, 400, "YYYY-MM-DDTHH:MM", nil},
		{"SpotCheckResult", unmask.RoleHR, func(w *world) string { return "/spotchecks/" + w.spot.ID + "/result" },
			url.Values{"status": {"refused"}, "notes": {"Camera broken"}}, false, 200, "Camera broken", func(t *testing.T, w *world) {
				sc, err := w.db.FindSpotCheckByID(t.Context(), w.spot.ID)
				must(t, err)
				if sc.Status != unmask.SpotCheckRefused || sc.Checker != w.users[unmask.RoleHR].ID || sc.CompletedAt.IsZero() {
					t.Errorf("spot check = %+v", sc)
				}
			}},
		{"RuleToggle", unmask.RoleAnalyst, func(w *world) string { return "/rules/" + w.rule.ID + "/toggle" }, nil, true, 200, "Disabled — enable", nil},
		{"RuleToggleHR", unmask.RoleHR, func(w *world) string { return "/rules/" + w.rule.ID + "/toggle" }, nil, true, 403, "", nil},
		{"RuleTest", unmask.RoleViewer, fixed("/rules/test"), url.Values{"rule_id": {"okta-astrill-vpn"}, "event": {`{"asOrg":"Astrill VPN"}`}}, true, 200, "Matches.", nil},
		{"RuleTestNotJSON", unmask.RoleViewer, fixed("/rules/test"), url.Values{"rule_id": {"okta-astrill-vpn"}, "event": {`{`}}, true, 400, "The event is not JSON.", nil},
		{"IndicatorAdd", unmask.RoleAnalyst, fixed("/indicators"), url.Values{"type": {"domain"}, "value": {"evil-front.example"}, "source": {"manual"}, "confidence": {"80"}}, false, 200, "evil-front.example", nil},
		{"IndicatorDelete", unmask.RoleAnalyst, func(w *world) string { return "/indicators/" + w.ioc.ID + "/delete" }, nil, false, 200, "No indicators.", nil},
		{"UserAdd", unmask.RoleAdmin, fixed("/settings/users"), url.Values{"username": {"tia"}, "role": {"analyst"}, "password": {"another long passphrase"}}, false, 200, "User tia added.", nil},
		{"UserAddAnalyst", unmask.RoleAnalyst, fixed("/settings/users"), url.Values{"username": {"tia"}, "role": {"admin"}, "password": {"another long passphrase"}}, false, 403, "may not create users", nil},
		{"TokenCreate", unmask.RoleAdmin, fixed("/settings/tokens"), url.Values{"name": {"siem"}, "role": {"viewer"}, "ttl_days": {"30"}}, false, 201, "shown once", nil},
		{"TokenRevoke", unmask.RoleAdmin, func(w *world) string { return "/settings/tokens/" + mustTokenID(w, unmask.RoleHR) + "/revoke" }, nil, false, 200, "Token revoked.", nil},
		{"Preview", unmask.RoleAnalyst, fixed("/settings/preview"), url.Values{"w:N-01": {"45"}}, true, 200, "<strong>90</strong>", nil},
		{"PreviewNotNumber", unmask.RoleAnalyst, fixed("/settings/preview"), url.Values{"w:N-01": {"lots"}}, true, 400, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			ts, c := MustBrowser(t, w, tt.role)
			form := tt.form
			if tt.name == "CaseFromPerson" || tt.name == "SpotCheckSchedule" || tt.name == "SpotCheckBadTime" {
				form.Set("person_id", w.people["sam"].ID)
			}
			req, err := http.NewRequestWithContext(t.Context(), "POST", ts.URL+tt.path(w), strings.NewReader(form.Encode()))
			must(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.htmx {
				req.Header.Set("HX-Request", "true")
			}
			resp, err := c.Do(req)
			must(t, err)
			defer resp.Body.Close()
			body := readAll(t, resp)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("POST %s = %d, want %d containing %q\n%s", tt.path(w), resp.StatusCode, tt.status, tt.want, body)
			}
			if tt.htmx && resp.StatusCode >= 400 && tt.want == "" && resp.Header.Get("HX-Trigger") == "" {
				t.Error("htmx error without an HX-Trigger message")
			}
			if tt.check != nil {
				tt.check(t, w)
			}
		})
	}
}

func readAll(tb testing.TB, resp *http.Response) string {
	tb.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}
