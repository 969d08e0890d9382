package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

// clock is a movable test clock.
type clock struct{ t atomic.Int64 }

func newClock(t time.Time) *clock { c := &clock{}; c.t.Store(t.UnixNano()); return c }

func (c *clock) now() time.Time         { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) add(d time.Duration)    { c.t.Add(int64(d)) }
func (c *clock) opt(o *httpapi.Options) { o.Now = c.now }
func secure(o *httpapi.Options)         { o.InsecureCookies = false }
func withIdle(d time.Duration) func(o *httpapi.Options) {
	return func(o *httpapi.Options) { o.SessionIdle, o.SessionMaxAge = d, 3*d }
}

// login posts the sign-in form from addr and returns the response.
func login(tb testing.TB, h http.Handler, addr, username, password, next string) *httptest.ResponseRecorder {
	tb.Helper()
	form := url.Values{"username": {username}, "password": {password}, "next": {next}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// page requests path with the session cookie.
func page(tb testing.TB, h http.Handler, method, path string, cookie *http.Cookie, header map[string]string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(method, path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func sessionCookie(tb testing.TB, rec *httptest.ResponseRecorder) *http.Cookie {
	tb.Helper()
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, "unmask_session") {
			return c
		}
	}
	tb.Fatalf("no session cookie in %d %v", rec.Code, rec.Header())
	return nil
}

func TestSessionCookie(t *testing.T) {
	w := MustWorld(t)
	h := MustServer(t, w, secure).Handler()
	rec := login(t, h, "192.0.2.1", "analyst", testPassword, "//evil.example/steal")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Errorf("sign-in = %d to %q, want 303 to / (an off-site next is refused)", rec.Code, rec.Header().Get("Location"))
	}
	c := sessionCookie(t, rec)
	if c.Name != "__Host-unmask_session" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Errorf("cookie = %+v, want __Host-, Secure, HttpOnly, SameSite=Lax, Path=/", c)
	}
	if _, err := w.db.FindSessionByHash(t.Context(), c.Value); unmask.ErrorCode(err) != unmask.ENOTFOUND {
		t.Errorf("the session is findable by the raw cookie value (%v): only its hash may be stored", err)
	}
	got := page(t, h, "GET", "/people", c, nil)
	if got.Code != 200 || !strings.Contains(got.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("GET /people with the cookie = %d, CSP %q", got.Code, got.Header().Get("Content-Security-Policy"))
	}
	out := page(t, h, "POST", "/logout", c, nil)
	if out.Code != http.StatusSeeOther {
		t.Errorf("sign-out = %d", out.Code)
	}
	if got := page(t, h, "GET", "/people", c, nil); got.Code != http.StatusSeeOther {
		t.Errorf("after sign-out GET /people = %d, want 303 to sign-in", got.Code)
	}
}

func TestSessionTimeouts(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // clock moves, with a request after each
		want  int             // status of the last request
	}{
		{"Active", []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, 200},
		{"Idle", []time.Duration{31 * time.Minute}, 303},
		{"Absolute", []time.Duration{25 * time.Minute, 25 * time.Minute, 25 * time.Minute, 25 * time.Minute}, 303},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			c := newClock(now)
			h := MustServer(t, w, c.opt, withIdle(30*time.Minute)).Handler()
			cookie := sessionCookie(t, login(t, h, "192.0.2.1", "hr", testPassword, "/"))
			var rec *httptest.ResponseRecorder
			for _, d := range tt.steps {
				c.add(d)
				rec = page(t, h, "GET", "/cases", cookie, nil)
			}
			if rec.Code != tt.want {
				t.Errorf("last request = %d, want %d", rec.Code, tt.want)
			}
		})
	}
}

func TestSignInLimits(t *testing.T) {
	tests := []struct {
		name string
		// attempts is a list of (client address, username, password).
		attempts [][3]string
		want     int
		wantBody string
	}{
		{"PerAddress", repeat(11, [3]string{"192.0.2.9", "", "wrong"}, func(i int) string { return "nobody" + string(rune('a'+i)) }), 429, "Too many sign-in attempts"},
		{"PerUsername", repeat(11, [3]string{"", "viewer", "wrong"}, nil), 429, "Too many sign-in attempts"},
		{"LockOut", append(repeat(3, [3]string{"192.0.2.7", "analyst", "wrong password"}, nil), [3]string{"192.0.2.7", "analyst", testPassword}), 401, "locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			h := MustServer(t, w, func(o *httpapi.Options) { o.TrustProxyHeaders = true }).Handler()
			var rec *httptest.ResponseRecorder
			for i, a := range tt.attempts {
				addr := a[0]
				if addr == "" {
					addr = "198.51.100." + string(rune('1'+i%9))
				}
				form := url.Values{"username": {a[1]}, "password": {a[2]}}
				req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", addr)
				rec = httptest.NewRecorder()
				h.ServeHTTP(rec, req)
			}
			if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("last attempt = %d, want %d containing %q", rec.Code, tt.want, tt.wantBody)
			}
			if tt.want == 429 && rec.Header().Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}

// repeat returns n copies of a, with the username from user(i) when user is not nil.
func repeat(n int, a [3]string, user func(int) string) [][3]string {
	out := make([][3]string, n)
	for i := range out {
		out[i] = a
		if user != nil {
			out[i][1] = user(i)
		}
	}
	return out
}

func TestBrowserRouteGuards(t *testing.T) {
	w := MustWorld(t)
	h := MustServer(t, w).Handler()
	cookie := sessionCookie(t, login(t, h, "192.0.2.1", "analyst", testPassword, "/"))
	ack := "/alerts/" + w.alert.ID + "/acknowledge"
	tests := []struct {
		name     string
		method   string
		path     string
		cookie   *http.Cookie
		header   map[string]string
		want     int
		location string
	}{
		{"NoSession", "GET", "/people?band=high", nil, nil, 303, "/login?next=%2Fpeople%3Fband%3Dhigh"},
		{"NoSessionHTMX", "POST", ack, nil, map[string]string{"HX-Request": "true"}, 401, ""},
		{"CrossSite", "POST", ack, cookie, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"ForeignOrigin", "POST", ack, cookie, map[string]string{"Origin": "https://evil.example"}, 403, ""},
		{"CrossSiteLogin", "POST", "/login", nil, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"SameOrigin", "POST", ack, cookie, map[string]string{"Sec-Fetch-Site": "same-origin", "HX-Request": "true"}, 200, ""},
		{"StaticWithoutSession", "GET", "/static/htmx.min.js", nil, nil, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := page(t, h, tt.method, tt.path, tt.cookie, tt.header)
			if rec.Code != tt.want || rec.Header().Get("Location") != tt.location {
				t.Errorf("%s %s = %d to %q, want %d to %q", tt.method, tt.path, rec.Code, rec.Header().Get("Location"), tt.want, tt.location)
			}
		})
	}
	a, err := w.db.FindAlertByID(t.Context(), w.alert.ID)
	must(t, err)
	if a.Status != unmask.AlertAcknowledged {
		t.Errorf("alert status = %s after the one same-origin request", a.Status)
	}
}
