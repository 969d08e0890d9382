package httpapi_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// MustBrowser starts the server on a test listener and returns a client that follows
// redirects and keeps cookies, signed in as role ("" for not signed in).
func MustBrowser(tb testing.TB, w *world, role unmask.Role, mod ...func(*httpapi.Options)) (*httptest.Server, *http.Client) {
	tb.Helper()
	ts := httptest.NewServer(MustServer(tb, w, mod...).Handler())
	tb.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	if role != "" {
		resp, err := c.PostForm(ts.URL+"/login", url.Values{"username": {string(role)}, "password": {testPassword}})
		if err != nil {
			tb.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Dashboard") {
			tb.Fatalf("sign in as %s: %d %s", role, resp.StatusCode, body)
		}
	}
	return ts, c
}

// get fetches path and returns the status and body.
func get(tb testing.TB, c *http.Client, url string) (int, string) {
	tb.Helper()
	resp, err := c.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestPages(t *testing.T) {
	w := MustWorld(t)
	tests := []struct {
		name   string
		role   unmask.Role
		path   func(w *world) string
		status int
		want   []string
		absent []string
	}{
		{"Dashboard", unmask.RoleAnalyst, fixed("/"), 200, []string{"Risk distribution", "14 sign-ins came from Astrill VPN", "sysmon", "Jordan Reyes: remote access", "okta", "1234", "+5 dup."}, nil},
		{"People", unmask.RoleAnalyst, fixed("/people?family=network"), 200, []string{"Jordan Reyes", "critical"}, []string{"Sam Okafor"}},
		{"PeopleBadFilter", unmask.RoleAnalyst, fixed("/people?band=purple"), 400, []string{"band &#34;purple&#34; is not valid"}, nil},
		{"Person", unmask.RoleAnalyst, func(w *world) string { return "/people/" + w.people["jordan"].ID }, 200,
			[]string{"Why this score", "class=\"heatmap\"", "Inferred zone UTC&#43;09:00", "Astrill VPN (AS136787)", "C02FK3ZXQ6L4", "not assigned", "class=\"graph\"", "Lee Warren", "laptop.shipped", "AnyDesk.exe"}, nil},
		{"PersonAsHR", unmask.RoleHR, func(w *world) string { return "/people/" + w.people["jordan"].ID }, 200,
			[]string{"Jordan Reyes", "j***@gmail.com", "C02FK3ZXQ6L4"}, []string{"AnyDesk.exe", "203.0.113.77", "JREYES-MBP"}},
		{"PersonAsViewer", unmask.RoleViewer, func(w *world) string { return "/people/" + w.people["jordan"].ID }, 200,
			[]string{"Person ", "hidden"}, []string{"Jordan Reyes", "j***@gmail.com", "Lee Warren", "E-10442", "Open case"}},
		{"PersonMissing", unmask.RoleAnalyst, fixed("/people/nobody"), 404, []string{"Person not found"}, nil},
		{"Clusters", unmask.RoleHR, fixed("/clusters"), 200, []string{"phone", "Mei Tanaka", "Lee Warren"}, nil},
		{"Alerts", unmask.RoleAnalyst, fixed("/alerts"), 200, []string{"Sign-ins from Astrill VPN", "Acknowledge"}, nil},
		{"AlertsViewer", unmask.RoleViewer, fixed("/alerts"), 200, []string{"Sign-ins from Astrill VPN"}, []string{"Acknowledge"}},
		{"Cases", unmask.RoleAnalyst, fixed("/cases"), 200, []string{"Jordan Reyes: remote access", "analyst"}, nil},
		{"Case", unmask.RoleAnalyst, func(w *world) string { return "/cases/" + w.kase.ID }, 200, []string{"Manager says Jordan is never on camera.", "data-print", "Update status"}, nil},
		{"SpotChecks", unmask.RoleHR, fixed("/spotchecks"), 200, []string{"Record", "Schedule a spot check"}, nil},
		{"Rules", unmask.RoleAnalyst, fixed("/rules"), 200, []string{"Okta sign-in from Astrill VPN", "Enabled — disable", "travel-vpn", "sales team travel VPN"}, nil},
		{"Indicators", unmask.RoleViewer, fixed("/indicators"), 200, []string{"142.214.202.2"}, []string{"Add an indicator"}},
		{"DeadLetters", unmask.RoleAnalyst, fixed("/deadletters?source=sysmon"), 200, []string{"unexpected end of JSON input", "sysmon (1)"}, nil},
		{"DeadLettersHR", unmask.RoleHR, fixed("/deadletters"), 403, []string{"may not view dead letters"}, nil},
		{"Settings", unmask.RoleAdmin, fixed("/settings"), 200, []string{"API tokens", "soc-slack", "N-01", "astrill-ranges", "42", "no such file"}, nil},
		{"SettingsAnalyst", unmask.RoleAnalyst, fixed("/settings"), 200, []string{"soc-slack"}, []string{"API tokens"}},
		{"Audit", unmask.RoleAdmin, fixed("/audit"), 200, []string{"user.create"}, nil},
		{"AuditAnalyst", unmask.RoleAnalyst, fixed("/audit"), 403, []string{"may not read the audit trail"}, nil},
		{"NoSuchPage", unmask.RoleAnalyst, fixed("/nope"), 404, []string{"No such page"}, nil},
	}
	for _, r := range unmask.Roles {
		ts, c := MustBrowser(t, w, r) // one signed-in client per role, all over the same store
		for _, tt := range tests {
			if tt.role != r {
				continue
			}
			t.Run(tt.name, func(t *testing.T) {
				status, body := get(t, c, ts.URL+tt.path(w))
				if status != tt.status {
					t.Errorf("GET %s = %d, want %d\n%s", tt.path(w), status, tt.status, body)
				}
				for _, s := range tt.want {
					if !strings.Contains(body, s) {
						t.Errorf("page lacks %q", s)
					}
				}
				for _, s := range tt.absent {
					if strings.Contains(body, s) {
						t.Errorf("page shows %q, which the %s role must not see", s, tt.role)
					}
				}
			})
		}
	}
}

// TestClearedSignalsShown: the person page says which legitimate case cleared signals.
func TestClearedSignalsShown(t *testing.T) {
	w := MustWorld(t)
	ctx := unmask.NewContextWithUser(t.Context(), unmask.SystemUser)
	jordan := w.people["jordan"].ID
	sigs, _, err := w.db.FindSignals(ctx, unmask.SignalFilter{PersonID: &jordan, Page: unmask.Page{Limit: 2}})
	if err != nil || len(sigs) < 2 {
		t.Fatalf("signals of jordan: %d, %v", len(sigs), err)
	}
	for _, sg := range sigs {
		if _, err := w.db.UpdateSignal(ctx, sg.ID, unmask.SignalUpdate{ClearedAt: new(sg.LastSeen), ClearedBy: &w.kase.ID}); err != nil {
			t.Fatal(err)
		}
	}
	ts, c := MustBrowser(t, w, unmask.RoleAnalyst)
	status, body := get(t, c, ts.URL+"/people/"+jordan)
	if want := `2 signals cleared by <a href="/cases/` + w.kase.ID + `">a case closed as legitimate</a>`; status != 200 || !strings.Contains(body, want) {
		t.Errorf("person page (%d) lacks %q", status, want)
	}
}
