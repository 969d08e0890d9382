package httpapi_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// ingester is a function-field mock of the ingest pipeline: it knows the okta source and
// counts lines, rejecting those that are not JSON objects.
type ingester struct {
	ingest func(ctx context.Context, source string, body io.Reader) (*httpapi.IngestResult, error)
}

func (i ingester) Ingest(ctx context.Context, source string, body io.Reader) (*httpapi.IngestResult, error) {
	return i.ingest(ctx, source, body)
}

func countLines(_ context.Context, source string, body io.Reader) (*httpapi.IngestResult, error) {
	if source != "okta" {
		return nil, unmask.Errorf(unmask.ENOTFOUND, "Unknown source %q.", source)
	}
	res := &httpapi.IngestResult{}
	sc := bufio.NewScanner(body)
	line := 0
	for sc.Scan() {
		line++
		if strings.HasPrefix(sc.Text(), "{") {
			res.Accepted++
		} else {
			res.Rejected++
			res.Errors = append(res.Errors, httpapi.RecordError{Line: line, Reason: "not a JSON object"})
		}
	}
	return res, sc.Err()
}

// previewer is a function-field mock of the risk previewer.
type previewer struct {
	preview func(ctx context.Context, weights map[string]float64, limit int) ([]*unmask.RiskScore, error)
}

func (p previewer) RiskWeights() map[string]float64 {
	return map[string]float64{"N-01": 30, "N-08": 20}
}

func (p previewer) PreviewRisk(ctx context.Context, weights map[string]float64, limit int) ([]*unmask.RiskScore, error) {
	return p.preview(ctx, weights, limit)
}

// ruleTester is a function-field mock of the Sigma engine.
type ruleTester struct {
	test func(ctx context.Context, id string, event []byte) (*httpapi.RuleTestResult, error)
}

func (t ruleTester) TestRule(ctx context.Context, id string, event []byte) (*httpapi.RuleTestResult, error) {
	return t.test(ctx, id, event)
}

// screener is a function-field mock of internal/screen.
type screener struct {
	screen func(ctx context.Context, raw []byte) (*httpapi.ScreenResult, error)
}

func (s screener) ScreenApplicant(ctx context.Context, raw []byte) (*httpapi.ScreenResult, error) {
	return s.screen(ctx, raw)
}

// screenShared answers every applicant with a phone shared with Jordan.
func screenShared(w *world) screener {
	return screener{func(_ context.Context, raw []byte) (*httpapi.ScreenResult, error) {
		if !json.Valid(raw) {
			return nil, unmask.Errorf(unmask.EINVALID, "The applicant is not JSON.")
		}
		return &httpapi.ScreenResult{Score: 62, Band: unmask.BandHigh, Reasons: []httpapi.ScreenReason{{
			Indicator: "H-02", Points: 40, Explanation: "Phone +1 ***-***-0134 is also held by 1 other person under a different name.",
			Evidence: []httpapi.ScreenEvidence{{PersonID: w.people["jordan"].ID, Name: "Jordan Reyes", Kind: unmask.PersonEmployee,
				Identifier: unmask.IdentPhone, Display: "+1 ***-***-0134"}},
		}}}, nil
	}}
}

// MustServer returns a server over w with every optional dependency mocked.
func MustServer(tb testing.TB, w *world, mod ...func(*httpapi.Options)) *httpapi.Server {
	tb.Helper()
	opts := httpapi.Options{Store: w.db, Sessions: w.db, Auth: w.auth, Tokens: w.auth, Now: func() time.Time { return now },
		Ingester: ingester{countLines},
		Risk: previewer{func(_ context.Context, weights map[string]float64, _ int) ([]*unmask.RiskScore, error) {
			if _, ok := weights["N-99"]; ok {
				return nil, unmask.Errorf(unmask.EINVALID, "Unknown indicator N-99.")
			}
			return []*unmask.RiskScore{{PersonID: w.people["jordan"].ID, Score: weights["N-01"] * 2, Band: unmask.BandHigh}}, nil
		}},
		Rules: ruleTester{func(_ context.Context, _ string, event []byte) (*httpapi.RuleTestResult, error) {
			if !json.Valid(event) {
				return nil, unmask.Errorf(unmask.EINVALID, "The event is not JSON.")
			}
			return &httpapi.RuleTestResult{Matched: bytes.Contains(event, []byte("Astrill")), Detail: "selection asorg"}, nil
		}},
		Screener:      screenShared(w),
		Notifications: []httpapi.Notification{{Name: "soc-slack", Kind: "slack", Target: "https://hooks.slack.com/services/…", MinSeverity: unmask.SeverityHigh}},
		IngestHealth: func() []httpapi.SourceHealth {
			return []httpapi.SourceHealth{{Source: "okta", Accepted: 1234, Duplicates: 5, Last: now}}
		},
		Suppressions: func() []httpapi.Suppression {
			return []httpapi.Suppression{{ID: "travel-vpn", Indicator: "N-02", Reason: "sales team travel VPN, ticket SEC-88", Owner: "analyst",
				ExpiresAt: now.AddDate(0, 1, 0), Active: true, Suppressed: 7, LastMatched: now}}
		},
		Feeds: func() []httpapi.FeedStatus {
			return []httpapi.FeedStatus{{Name: "astrill-ranges", Kind: "cidr", Entries: 42, Loaded: now, Checked: now},
				{Name: "geo-city", Kind: "mmdb-city", Error: "open GeoLite2-City.mmdb: no such file or directory"}}
		},
		InsecureCookies: true,
	}
	for _, m := range mod {
		m(&opts)
	}
	return httpapi.New(opts)
}

// do sends one API request as role ("" for none) and returns the status and body.
func do(tb testing.TB, h http.Handler, token, method, path, body string) (int, string) {
	tb.Helper()
	return doWith(tb, h, token, method, path, body, nil)
}

// doWith is do with extra request headers.
func doWith(tb testing.TB, h http.Handler, token, method, path, body string, headers map[string]string) (int, string) {
	tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// apiCase tests one route for success, 401, 403 and bad input.
type apiCase struct {
	route string // the registered pattern
	path  func(w *world) string
	body  string
	// ok is a role that succeeds with okStatus and a body containing okBody.
	ok       unmask.Role
	okStatus int
	okBody   string
	// denied is a role refused with 403; "" when every role may use the route, and then
	// the least privileged role, viewer, must succeed.
	denied unmask.Role
	// badPath and badBody make a bad request answered with badStatus.
	badPath   func(w *world) string
	badBody   string
	badStatus int
	// headers are sent with every request of the case.
	headers map[string]string
}

func fixed(p string) func(*world) string { return func(*world) string { return p } }

func apiCases() []apiCase {
	person := func(w *world) string { return "/api/v1/people/" + w.people["jordan"].ID }
	alert := func(suffix string) func(*world) string {
		return func(w *world) string { return "/api/v1/alerts/" + w.alert.ID + suffix }
	}
	kase := func(suffix string) func(*world) string {
		return func(w *world) string { return "/api/v1/cases/" + w.kase.ID + suffix }
	}
	spot := func(w *world) string { return "/api/v1/spotchecks/" + w.spot.ID + "/result" }
	rule := func(suffix string) func(*world) string {
		return func(w *world) string { return "/api/v1/rules/" + w.rule.ID + suffix }
	}
	return []apiCase{
		{route: "GET /api/v1/version", path: fixed("/api/v1/version"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"version"`,
			badPath: fixed("/api/v1/version/x"), badStatus: 404},
		{route: "GET /api/v1/whoami", path: fixed("/api/v1/whoami"), ok: unmask.RoleHR, okStatus: 200, okBody: `"username":"hr"`,
			badPath: fixed("/api/v1/whoami/x"), badStatus: 404},
		{route: "GET /api/v1/people", path: fixed("/api/v1/people?kind=employee&band=critical&family=network"), ok: unmask.RoleAnalyst, okStatus: 200,
			okBody: `"display_name":"Jordan Reyes"`, badPath: fixed("/api/v1/people?band=purple"), badStatus: 400},
		{route: "GET /api/v1/people/{id}", path: person, ok: unmask.RoleAnalyst, okStatus: 200, okBody: `"linked_identities"`,
			badPath: fixed("/api/v1/people/nobody"), badStatus: 404},
		{route: "GET /api/v1/signals", path: fixed("/api/v1/signals?indicator=N-01"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"indicator":"N-01"`,
			badPath: fixed("/api/v1/signals?since=yesterday"), badStatus: 400},
		{route: "GET /api/v1/alerts", path: fixed("/api/v1/alerts?status=open"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"concern":"N-01"`,
			badPath: fixed("/api/v1/alerts?status=sleeping"), badStatus: 400},
		{route: "POST /api/v1/alerts/{id}/acknowledge", path: alert("/acknowledge"), ok: unmask.RoleAnalyst, okStatus: 200, okBody: `"status":"acknowledged"`,
			denied: unmask.RoleViewer, badPath: fixed("/api/v1/alerts/nope/acknowledge"), badStatus: 404},
		{route: "POST /api/v1/alerts/{id}/close", path: alert("/close"), ok: unmask.RoleHR, okStatus: 200, okBody: `"status":"closed"`,
			denied: unmask.RoleViewer, badPath: fixed("/api/v1/alerts/nope/close"), badStatus: 404},
		{route: "GET /api/v1/cases", path: fixed("/api/v1/cases?status=investigating"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"status":"investigating"`,
			badPath: fixed("/api/v1/cases?status=done"), badStatus: 400},
		{route: "POST /api/v1/cases", path: fixed("/api/v1/cases"), ok: unmask.RoleAnalyst, okStatus: 201, okBody: `"title":"Sign-ins from Astrill VPN"`,
			denied: unmask.RoleViewer, badPath: fixed("/api/v1/cases"), badBody: `{"title":"no person"}`, badStatus: 400},
		{route: "GET /api/v1/cases/{id}", path: kase(""), ok: unmask.RoleViewer, okStatus: 200, okBody: `"notes":[{`,
			badPath: fixed("/api/v1/cases/nope"), badStatus: 404},
		{route: "PATCH /api/v1/cases/{id}", path: kase(""), body: `{"status":"escalated"}`, ok: unmask.RoleHR, okStatus: 200, okBody: `"status":"escalated"`,
			denied: unmask.RoleViewer, badPath: kase(""), badBody: `{"status":"open"}`, badStatus: 400},
		{route: "POST /api/v1/cases/{id}/notes", path: kase("/notes"), body: `{"body":"Asked for a video call."}`, ok: unmask.RoleAnalyst, okStatus: 201,
			okBody: `"body":"Asked for a video call."`, denied: unmask.RoleViewer, badPath: kase("/notes"), badBody: `{"body":""}`, badStatus: 400},
		{route: "POST /api/v1/cases/{id}/evidence", path: kase("/evidence"), body: `{"ids":["ev-j-anydesk"]}`, ok: unmask.RoleAnalyst, okStatus: 200,
			okBody: `"ev-j-anydesk"`, denied: unmask.RoleViewer, badPath: kase("/evidence"), badBody: `{"ids":[]}`, badStatus: 400},
		{route: "GET /api/v1/spotchecks", path: fixed("/api/v1/spotchecks?status=scheduled&due_before=2026-04-30T00:00:00Z"), ok: unmask.RoleViewer, okStatus: 200,
			okBody: `"reason":"risk"`, badPath: fixed("/api/v1/spotchecks?due_before=soon"), badStatus: 400},
		{route: "POST /api/v1/spotchecks", path: fixed("/api/v1/spotchecks"), ok: unmask.RoleHR, okStatus: 201, okBody: `"status":"scheduled"`,
			denied: unmask.RoleViewer, badPath: fixed("/api/v1/spotchecks"), badBody: `{"person_id":"x","due_at":"2026-05-01T10:00:00Z","reason":"whim"}`, badStatus: 400},
		{route: "POST /api/v1/spotchecks/{id}/result", path: spot, body: `{"status":"done","attestation":{"id_matched":false,"same_laptop":false,"location_consistent":false},"notes":"Camera off"}`,
			ok: unmask.RoleHR, okStatus: 200, okBody: `"status":"done"`, denied: unmask.RoleViewer, badPath: spot, badBody: `{"status":"scheduled"}`, badStatus: 400},
		{route: "GET /api/v1/suppressions", path: fixed("/api/v1/suppressions?active=true"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"travel-vpn"`,
			badPath: fixed("/api/v1/suppressions?active=maybe"), badStatus: 400},
		{route: "GET /api/v1/rules", path: fixed("/api/v1/rules?enabled=true"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"okta-astrill-vpn"`,
			badPath: fixed("/api/v1/rules?enabled=maybe"), badStatus: 400},
		{route: "PATCH /api/v1/rules/{id}", path: rule(""), body: `{"enabled":false}`, ok: unmask.RoleAnalyst, okStatus: 200, okBody: `"enabled":false`,
			denied: unmask.RoleHR, badPath: rule(""), badBody: `{"enabled":"no"}`, badStatus: 400},
		{route: "POST /api/v1/rules/{id}/test", path: rule("/test"), body: `{"securityContext":{"asOrg":"Astrill VPN"}}`, ok: unmask.RoleViewer, okStatus: 200,
			okBody: `"matched":true`, badPath: rule("/test"), badBody: `not json`, badStatus: 400},
		{route: "GET /api/v1/indicators", path: fixed("/api/v1/indicators?type=ip"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"142.214.202.2"`,
			badPath: fixed("/api/v1/indicators?type=vibes"), badStatus: 400},
		{route: "POST /api/v1/indicators", path: fixed("/api/v1/indicators"), body: `{"type":"email","value":"persona@example.net","source":"case:1","confidence":90}`,
			ok: unmask.RoleAnalyst, okStatus: 201, okBody: `"persona@example.net"`, denied: unmask.RoleHR,
			badPath: fixed("/api/v1/indicators"), badBody: `{"type":"email","value":"x","source":"s","confidence":101}`, badStatus: 400},
		{route: "DELETE /api/v1/indicators/{id}", path: func(w *world) string { return "/api/v1/indicators/" + w.ioc.ID }, ok: unmask.RoleAnalyst, okStatus: 204,
			denied: unmask.RoleViewer, badPath: fixed("/api/v1/indicators/nope"), badStatus: 404},
		{route: "GET /api/v1/deadletters", path: fixed("/api/v1/deadletters"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"sysmon":1`,
			badPath: fixed("/api/v1/deadletters/okta/extra"), badStatus: 404},
		{route: "GET /api/v1/deadletters/{source}", path: fixed("/api/v1/deadletters/okta"), ok: unmask.RoleAnalyst, okStatus: 200, okBody: `"published: not an RFC 3339 time"`,
			denied: unmask.RoleHR, badPath: fixed("/api/v1/deadletters/okta?limit=0"), badStatus: 400},
		{route: "GET /api/v1/users", path: fixed("/api/v1/users"), ok: unmask.RoleAdmin, okStatus: 200, okBody: `"username":"viewer"`,
			denied: unmask.RoleAnalyst, badPath: fixed("/api/v1/users?role=root"), badStatus: 400},
		{route: "POST /api/v1/users", path: fixed("/api/v1/users"), body: `{"username":"newbie","role":"hr","password":"a long enough passphrase"}`,
			ok: unmask.RoleAdmin, okStatus: 201, okBody: `"username":"newbie"`, denied: unmask.RoleAnalyst,
			badPath: fixed("/api/v1/users"), badBody: `{"username":"x","role":"hr","password":"short"}`, badStatus: 400},
		{route: "GET /api/v1/tokens", path: fixed("/api/v1/tokens"), ok: unmask.RoleAdmin, okStatus: 200, okBody: `"name":"test"`,
			denied: unmask.RoleHR, badPath: fixed("/api/v1/tokens?limit=9999"), badStatus: 400},
		{route: "POST /api/v1/tokens", path: fixed("/api/v1/tokens"), body: `{"name":"ci","role":"analyst","ttl_hours":24}`, ok: unmask.RoleAdmin, okStatus: 201,
			okBody: `"secret":"umk_`, denied: unmask.RoleAnalyst, badPath: fixed("/api/v1/tokens"), badBody: `{"name":""}`, badStatus: 400},
		{route: "DELETE /api/v1/tokens/{id}", path: func(w *world) string { return "/api/v1/tokens/" + mustTokenID(w, unmask.RoleViewer) }, ok: unmask.RoleAdmin, okStatus: 204,
			denied: unmask.RoleAnalyst, badPath: fixed("/api/v1/tokens/nope"), badStatus: 404},
		{route: "GET /api/v1/audit", path: fixed("/api/v1/audit?action=user.create"), ok: unmask.RoleAdmin, okStatus: 200, okBody: `"action":"user.create"`,
			denied: unmask.RoleAnalyst, badPath: fixed("/api/v1/audit?until=later"), badStatus: 400},
		{route: "GET /api/v1/risk/weights", path: fixed("/api/v1/risk/weights"), ok: unmask.RoleViewer, okStatus: 200, okBody: `"N-01":30`,
			badPath: fixed("/api/v1/risk/weights/x"), badStatus: 404},
		{route: "POST /api/v1/risk/preview", path: fixed("/api/v1/risk/preview"), body: `{"weights":{"N-01":40}}`, ok: unmask.RoleAnalyst, okStatus: 200,
			okBody: `"score":80`, denied: unmask.RoleViewer, badPath: fixed("/api/v1/risk/preview"), badBody: `{"weights":{"N-99":1}}`, badStatus: 400},
		{route: "POST /api/v1/screen", path: fixed("/api/v1/screen"), body: `{"first_name":"Alex","last_name":"Kim","email_addresses":[{"value":"a@x.example"}]}`,
			ok: unmask.RoleHR, okStatus: 200, okBody: `"indicator":"H-02"`, denied: unmask.RoleViewer,
			badPath: fixed("/api/v1/screen"), badBody: `not json`, badStatus: 400},
		{route: "GET /api/v1/ingest/{source}", path: fixed("/api/v1/ingest/okta"), ok: unmask.RoleAnalyst, okStatus: 200,
			okBody: `{"verification":"c0ffee"}`, denied: unmask.RoleHR, badPath: fixed("/api/v1/ingest/zeek"), badStatus: 404,
			headers: map[string]string{"X-Okta-Verification-Challenge": "c0ffee"}},
		{route: "POST /api/v1/ingest/{source}", path: fixed("/api/v1/ingest/okta"), body: "{\"a\":1}\n{\"b\":2}\n", ok: unmask.RoleAnalyst, okStatus: 200,
			okBody: `"accepted":2`, denied: unmask.RoleHR, badPath: fixed("/api/v1/ingest/fax"), badStatus: 404},
	}
}

// mustTokenID returns the id of the fixture token of role.
func mustTokenID(w *world, role unmask.Role) string {
	list, _, err := w.db.FindTokens(context.Background(), unmask.TokenFilter{UserID: &w.users[role].ID})
	if err != nil || len(list) == 0 {
		panic("fixture token missing")
	}
	return list[0].ID
}

func TestAPIRoutes(t *testing.T) {
	for _, tc := range apiCases() {
		method, _, _ := strings.Cut(tc.route, " ")
		t.Run(strings.NewReplacer(" ", "_", "{", "", "}", "").Replace(tc.route), func(t *testing.T) {
			t.Parallel()
			w := MustWorld(t)
			h := MustServer(t, w).Handler()
			body := tc.body
			if tc.route == "POST /api/v1/cases" {
				body = `{"alert_id":"` + w.alert.ID + `"}`
			}
			if tc.route == "POST /api/v1/spotchecks" {
				body = `{"person_id":"` + w.people["sam"].ID + `","due_at":"2026-05-01T10:00:00Z","reason":"random"}`
			}
			if code, got := doWith(t, h, "", method, tc.path(w), body, tc.headers); code != 401 || !strings.Contains(got, `"code":"unauthorized"`) {
				t.Errorf("without a token: %d %s, want 401", code, got)
			}
			denied := tc.denied
			if denied == "" {
				denied = unmask.RoleViewer
			}
			code, got := doWith(t, h, w.tokens[denied], method, tc.path(w), body, tc.headers)
			if tc.denied != "" && (code != 403 || !strings.Contains(got, `"code":"forbidden"`)) {
				t.Errorf("as %s: %d %s, want 403", denied, code, got)
			}
			if tc.denied == "" && code >= 400 {
				t.Errorf("as viewer: %d %s, want success (no role is refused)", code, got)
			}
			if code, got := doWith(t, h, w.tokens[tc.ok], method, tc.badPath(w), tc.badBody, tc.headers); code != tc.badStatus || !strings.Contains(got, `"code":`) {
				t.Errorf("bad input: %d %s, want %d with an error code", code, got, tc.badStatus)
			}
			if tc.denied == "" && method != "GET" {
				w = MustWorld(t) // the viewer's call already changed the state
				h = MustServer(t, w).Handler()
			}
			if code, got := doWith(t, h, w.tokens[tc.ok], method, tc.path(w), body, tc.headers); code != tc.okStatus || !strings.Contains(got, tc.okBody) {
				t.Errorf("as %s: %d %s, want %d containing %s", tc.ok, code, got, tc.okStatus, tc.okBody)
			}
		})
	}
}

func TestEveryRouteTested(t *testing.T) {
	w := MustWorld(t)
	var tested []string
	for _, tc := range apiCases() {
		tested = append(tested, tc.route)
	}
	for _, r := range MustServer(t, w).APIRoutes() {
		if !slices.Contains(tested, r) {
			t.Errorf("route %s has no case in apiCases", r)
		}
	}
}

func TestIngestLimits(t *testing.T) {
	gz := func(s string) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return b.String()
	}
	block := make(chan struct{})
	tests := []struct {
		name       string
		body       string
		encoding   string
		busy       bool
		wantStatus int
		wantBody   string
	}{
		{"Gzip", gz("{\"a\":1}\nnot json\n"), "gzip", false, 200, `"rejected":1`},
		{"BadGzip", "plain text", "gzip", false, 400, "not valid gzip"},
		{"TooLarge", strings.Repeat("{}\n", 100), "", false, 413, `"code":"too_large"`},
		{"GzipBomb", gz(strings.Repeat("{}\n", 1000)), "gzip", false, 413, `"code":"too_large"`},
		{"UnknownEncoding", "{}", "br", false, 400, "not supported"},
		{"Busy", "{}\n", "", true, 429, `"code":"rate_limited"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			inflight := make(chan struct{}, 1)
			s := MustServer(t, w, func(o *httpapi.Options) {
				o.IngestMaxBytes, o.IngestConcurrency = 200, 1
				o.Ingester = ingester{func(ctx context.Context, source string, body io.Reader) (*httpapi.IngestResult, error) {
					if source == "slow" {
						inflight <- struct{}{}
						<-block
					}
					return countLines(ctx, "okta", body)
				}}
			})
			if tt.busy {
				go do(t, s.Handler(), w.tokens[unmask.RoleAnalyst], "POST", "/api/v1/ingest/slow", "{}\n")
				<-inflight
				defer func() { block <- struct{}{} }()
			}
			req := httptest.NewRequest("POST", "/api/v1/ingest/okta", strings.NewReader(tt.body))
			req.Header.Set("Authorization", "Bearer "+w.tokens[unmask.RoleAnalyst])
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("= %d %s, want %d containing %s", rec.Code, rec.Body, tt.wantStatus, tt.wantBody)
			}
			if tt.busy && rec.Header().Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}
