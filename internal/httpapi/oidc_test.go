package httpapi_test

import (
	"cmp"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/httpapi"
)

const (
	ssoClientID     = "unmask-test"
	ssoClientSecret = "idp-client-secret"
	ssoKeyID        = "test-key-1"
)

// ssoKey is the provider's signing key, generated once for the package's tests.
var ssoKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// testIdP is a real, minimal OpenID Connect provider on a local listener: discovery,
// JWKS, an /authorize that signs the user in at once and redirects back with a code, and
// a /token that checks the client secret and the PKCE verifier and returns a signed ID
// token.
type testIdP struct {
	URL string // the issuer, on localhost (another site than the server's 127.0.0.1)

	mu sync.Mutex // guards following
	// claims are the ID token's user claims (email, groups, ...); tamper changes the
	// whole claim set last, to forge a bad token.
	claims map[string]any
	tamper func(map[string]any)
	// state changes the state echoed to the callback.
	state func(string) string
	// key, when set, signs instead of the key the JWKS publishes.
	key   *rsa.PrivateKey
	codes map[string]ssoAuthRequest
}

type ssoAuthRequest struct{ nonce, challenge, redirect string }

func newTestIdP(tb testing.TB, claims map[string]any) *testIdP {
	tb.Helper()
	p := &testIdP{claims: claims, codes: map[string]ssoAuthRequest{}}
	ts := httptest.NewServer(p)
	tb.Cleanup(ts.Close)
	p.URL = strings.Replace(ts.URL, "127.0.0.1", "localhost", 1)
	return p
}

func (p *testIdP) set(fn func(p *testIdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(p)
}

func (p *testIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		writeTestJSON(w, map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize",
			"token_endpoint": p.URL + "/token", "jwks_uri": p.URL + "/keys", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported": []string{"S256"}})
	case "/keys":
		writeTestJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &ssoKey().PublicKey, KeyID: ssoKeyID, Algorithm: "RS256", Use: "sig"}}})
	case "/authorize":
		q := r.URL.Query()
		if q.Get("client_id") != ssoClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
			q.Get("code_challenge") == "" || q.Get("nonce") == "" || !strings.Contains(q.Get("scope"), "openid") {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := rand.Text()
		p.codes[code] = ssoAuthRequest{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		state := q.Get("state")
		if p.state != nil {
			state = p.state(state)
		}
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
	case "/token":
		p.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

// token redeems a code once, for the right client with the right PKCE verifier.
func (p *testIdP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad token request", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	req, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if id != ssoClientID || secret != ssoClientSecret || !found || r.PostForm.Get("grant_type") != "authorization_code" ||
		r.PostForm.Get("redirect_uri") != req.redirect || base64.RawURLEncoding.EncodeToString(sum[:]) != req.challenge {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant"}`)
		return
	}
	claims := map[string]any{"iss": p.URL, "aud": ssoClientID, "sub": "idp-user-1", "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "nonce": req.nonce}
	maps.Copy(claims, p.claims)
	if p.tamper != nil {
		p.tamper(claims)
	}
	writeTestJSON(w, map[string]any{"access_token": "at-" + rand.Text(), "token_type": "Bearer", "expires_in": 3600,
		"id_token": signTestJWT(cmp.Or(p.key, ssoKey()), claims)})
}

func signTestJWT(key *rsa.PrivateKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", ssoKeyID))
	if err != nil {
		panic(err)
	}
	payload, _ := json.Marshal(claims)
	sig, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := sig.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}

func mustRSAKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	must(tb, err)
	return k
}

func writeTestJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// ssoRoles is the group mapping of the tests.
var ssoRoles = map[string]unmask.Role{"unmask-admins": unmask.RoleAdmin, "soc": unmask.RoleAnalyst, "people-team": unmask.RoleHR}

// withSSO configures SSO against p, calling back to base; mod changes the defaults.
func withSSO(p *testIdP, base string, mod ...func(*httpapi.OIDC)) func(*httpapi.Options) {
	return func(o *httpapi.Options) {
		cfg := &httpapi.OIDC{Issuer: p.URL, ClientID: ssoClientID, ClientSecret: ssoClientSecret,
			RedirectURL: base + "/login/oidc/callback", RoleClaim: "groups", Roles: ssoRoles, AutoCreate: true}
		for _, m := range mod {
			m(cfg)
		}
		o.OIDC = cfg
	}
}

// MustSSOSite serves w with SSO against p over a real listener, and returns the site and
// a cookie-keeping client that follows redirects.
func MustSSOSite(tb testing.TB, w *world, p *testIdP, mod ...func(*httpapi.OIDC)) (*httptest.Server, *http.Client) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	logs := func(o *httpapi.Options) { o.Logger = slog.New(slog.NewTextHandler(tb.Output(), nil)) } // shown on failure
	ts := httptest.NewUnstartedServer(MustServer(tb, w, logs, withSSO(p, "http://"+ln.Addr().String(), mod...)).Handler())
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	tb.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	return ts, &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

// ssoSignIn follows the whole SSO flow from the sign-in page's button and returns the
// last response's status, path and body.
func ssoSignIn(tb testing.TB, c *http.Client, base, next string) (int, string, string) {
	tb.Helper()
	u := base + "/login/oidc"
	if next != "" {
		u += "?next=" + url.QueryEscape(next)
	}
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL.Path, string(body)
}

// ssoUser returns the stored user named username, or nil.
func ssoUser(tb testing.TB, w *world, username string) *unmask.User {
	tb.Helper()
	u, err := w.db.FindUserByUsername(tb.Context(), username)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return nil
	}
	must(tb, err)
	return u
}

// audited returns the details of the audit entries with action.
func audited(tb testing.TB, w *world, action string) []string {
	tb.Helper()
	list, _, err := w.db.FindAuditEntries(tb.Context(), unmask.AuditFilter{Action: &action})
	must(tb, err)
	var out []string
	for _, e := range list {
		out = append(out, e.Actor+" "+e.Detail)
	}
	return out
}

func TestSSOSignIn(t *testing.T) {
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "nadia@corp.example", "email_verified": true, "name": "Nadia Osei", "groups": []string{"staff", "soc"}})
	ts, c := MustSSOSite(t, w, p)
	status, path, body := ssoSignIn(t, c, ts.URL, "/alerts")
	if status != 200 || path != "/alerts" {
		t.Fatalf("SSO sign-in ended at %d %s:\n%s", status, path, body)
	}
	if !strings.Contains(body, `<span class="role role-analyst">analyst</span>`) || !strings.Contains(body, "nadia@corp.example") {
		t.Errorf("signed-in page does not show nadia as analyst:\n%s", body)
	}
	u := ssoUser(t, w, "nadia@corp.example")
	if u == nil || u.Role != unmask.RoleAnalyst || u.DisplayName != "Nadia Osei" || u.PasswordHash != "" || !u.LastLoginAt.Equal(now) {
		t.Fatalf("created user = %+v, want an analyst without a password who signed in now", u)
	}
	if got := audited(t, w, "user.create"); !slices.Contains(got, "system role=analyst") {
		t.Errorf("user.create audit = %q", got)
	}
	if got := audited(t, w, "user.login"); !slices.Contains(got, "nadia@corp.example sso") {
		t.Errorf("user.login audit = %q, want nadia's sso sign-in", got)
	}
	// The session is the ordinary server-side one: the dashboard opens, sign-out ends it.
	if status, _, body := ssoGet(t, c, ts.URL+"/"); status != 200 || !strings.Contains(body, `id="dist-h"`) {
		t.Errorf("dashboard = %d", status)
	}
	resp, err := c.PostForm(ts.URL+"/logout", nil)
	must(t, err)
	resp.Body.Close()
	if _, path, _ := ssoGet(t, c, ts.URL+"/alerts"); path != "/login" {
		t.Errorf("after sign-out /alerts ends at %s", path)
	}
}

func ssoGet(tb testing.TB, c *http.Client, u string) (int, string, string) {
	tb.Helper()
	resp, err := c.Get(u)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Request.URL.Path, string(body)
}

func TestSSORoleMapping(t *testing.T) {
	tests := []struct {
		name     string
		groups   any // the groups claim: a list, a string or nil
		fallback unmask.Role
		want     unmask.Role // "" for refused
	}{
		{"MostPrivilegedWins", []string{"people-team", "unmask-admins", "soc"}, "", unmask.RoleAdmin},
		{"One", []string{"people-team"}, "", unmask.RoleHR},
		{"StringClaim", "soc", "", unmask.RoleAnalyst},
		{"NoMatchDenied", []string{"staff", "contractors"}, "", ""},
		{"NoClaimDenied", nil, "", ""},
		{"NoMatchDefault", []string{"staff"}, unmask.RoleViewer, unmask.RoleViewer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			claims := map[string]any{"email": "kofi@corp.example", "email_verified": true}
			if tt.groups != nil {
				claims["groups"] = tt.groups
			}
			p := newTestIdP(t, claims)
			ts, c := MustSSOSite(t, w, p, func(o *httpapi.OIDC) { o.DefaultRole = tt.fallback })
			status, path, body := ssoSignIn(t, c, ts.URL, "")
			u := ssoUser(t, w, "kofi@corp.example")
			if tt.want == "" {
				if status != http.StatusForbidden || !strings.Contains(body, "not in a group that may use Unmask") || u != nil {
					t.Errorf("unmapped user: %d at %s, user %+v; want 403 on the sign-in page and no user", status, path, u)
				}
				if got := audited(t, w, "user.login_refused"); !slices.Contains(got, "system sso: kofi@corp.example: no role maps") {
					t.Errorf("user.login_refused audit = %q", got)
				}
				return
			}
			if status != 200 || path != "/" || u == nil || u.Role != tt.want {
				t.Errorf("sign-in = %d at %s, user %+v; want the dashboard as %s", status, path, u, tt.want)
			}
		})
	}
}

func TestSSORoleFollowsProvider(t *testing.T) {
	w := MustWorld(t)
	// An account an administrator created (the fixture's viewer), matched by
	// preferred_username, without auto-creation.
	p := newTestIdP(t, map[string]any{"preferred_username": "viewer", "groups": []string{"soc"}})
	ts, c := MustSSOSite(t, w, p, func(o *httpapi.OIDC) { o.UsernameClaim, o.AutoCreate = "preferred_username", false })
	if status, path, body := ssoSignIn(t, c, ts.URL, ""); status != 200 || path != "/" {
		t.Fatalf("sign-in = %d at %s:\n%s", status, path, body)
	}
	if u := ssoUser(t, w, "viewer"); u.Role != unmask.RoleAnalyst || u.PasswordHash == "" {
		t.Errorf("viewer after SSO = %s (password kept: %v), want analyst", u.Role, u.PasswordHash != "")
	}
	if got := audited(t, w, "user.update"); !slices.Contains(got, "system role=analyst ") {
		t.Errorf("user.update audit = %q", got)
	}
	// Leaving every mapped group at the provider takes access away at the next sign-in.
	p.set(func(p *testIdP) { p.claims["groups"] = []string{"staff"} })
	jar, _ := cookiejar.New(nil)
	c.Jar = jar
	if status, _, body := ssoSignIn(t, c, ts.URL, ""); status != http.StatusForbidden || !strings.Contains(body, "not in a group") {
		t.Errorf("after leaving the groups: %d", status)
	}
	// Unknown users are not created without auto_create.
	p.set(func(p *testIdP) {
		p.claims = map[string]any{"preferred_username": "newcomer", "groups": []string{"soc"}}
	})
	if status, _, body := ssoSignIn(t, c, ts.URL, ""); status != http.StatusForbidden || !strings.Contains(body, "no Unmask account for newcomer") {
		t.Errorf("unknown user without auto_create: %d:\n%s", status, body)
	}
	if ssoUser(t, w, "newcomer") != nil {
		t.Error("newcomer was created")
	}
	// A disabled account stays out.
	disabled := true
	_, err := w.db.UpdateUser(t.Context(), w.users[unmask.RoleViewer].ID, unmask.UserUpdate{Disabled: &disabled})
	must(t, err)
	p.set(func(p *testIdP) { p.claims = map[string]any{"preferred_username": "viewer", "groups": []string{"soc"}} })
	if status, _, body := ssoSignIn(t, c, ts.URL, ""); status != http.StatusForbidden || !strings.Contains(body, "disabled") {
		t.Errorf("disabled user: %d", status)
	}
}

func TestSSORefusesBadAnswers(t *testing.T) {
	tests := []struct {
		name   string
		set    func(p *testIdP)
		status int
		msg    string
	}{
		{"BadState", func(p *testIdP) { p.state = func(string) string { return "forged-state" } }, 400, "not started here"},
		{"NoState", func(p *testIdP) { p.state = func(string) string { return "" } }, 400, "not started here"},
		{"WrongNonce", func(p *testIdP) { p.tamper = func(c map[string]any) { c["nonce"] = "replayed-nonce" } }, 401, "did not complete"},
		{"NoNonce", func(p *testIdP) { p.tamper = func(c map[string]any) { delete(c, "nonce") } }, 401, "did not complete"},
		{"WrongAudience", func(p *testIdP) { p.tamper = func(c map[string]any) { c["aud"] = "another-app" } }, 401, "did not complete"},
		{"Expired", func(p *testIdP) { p.tamper = func(c map[string]any) { c["exp"] = now.Add(-10 * time.Minute).Unix() } }, 401, "did not complete"},
		{"WrongIssuer", func(p *testIdP) { p.tamper = func(c map[string]any) { c["iss"] = "https://evil.example" } }, 401, "did not complete"},
		{"ForgedSignature", func(p *testIdP) { p.key = mustRSAKey(t) }, 401, "did not complete"},
		{"UnverifiedEmail", func(p *testIdP) { p.claims["email_verified"] = false }, 403, "not verified"},
		{"NoUsername", func(p *testIdP) { delete(p.claims, "email") }, 403, "did not send your email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := MustWorld(t)
			p := newTestIdP(t, map[string]any{"email": "eve@corp.example", "email_verified": true, "groups": []string{"unmask-admins"}})
			p.set(tt.set)
			ts, c := MustSSOSite(t, w, p)
			status, path, body := ssoSignIn(t, c, ts.URL, "")
			if status != tt.status || path != "/login/oidc/callback" || !strings.Contains(body, tt.msg) || !strings.Contains(body, `<p class="error"`) {
				t.Errorf("sign-in = %d at %s, want %d with %q on the sign-in page:\n%s", status, path, tt.status, tt.msg, body)
			}
			if strings.Contains(body, "eyJ") || strings.Contains(body, "goroutine") {
				t.Error("the refusal shows a token or a stack")
			}
			if ssoUser(t, w, "eve@corp.example") != nil {
				t.Error("a user was created")
			}
			if _, path, _ := ssoGet(t, c, ts.URL+"/people"); path != "/login" {
				t.Errorf("after a refused sign-in /people ends at %s, want /login (no session)", path)
			}
		})
	}
}

func TestSSOUserCannotUsePassword(t *testing.T) {
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "sso.only@corp.example", "email_verified": "true", "groups": []string{"unmask-admins"}})
	ts, c := MustSSOSite(t, w, p)
	if status, path, body := ssoSignIn(t, c, ts.URL, ""); status != 200 || path != "/" {
		t.Fatalf("SSO sign-in = %d at %s:\n%s", status, path, body)
	}
	for _, pw := range []string{"", testPassword, "$argon2id$"} {
		resp, err := http.PostForm(ts.URL+"/login", url.Values{"username": {"sso.only@corp.example"}, "password": {pw}})
		must(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "Wrong username or password") {
			t.Errorf("password sign-in with %q = %d, want 401", pw, resp.StatusCode)
		}
		if _, err := w.auth.Login(t.Context(), "sso.only@corp.example", pw); unmask.ErrorCode(err) != unmask.EUNAUTHORIZED {
			t.Errorf("auth.Login with %q = %v, want EUNAUTHORIZED", pw, err)
		}
	}
	if got := audited(t, w, "user.login_refused"); len(got) == 0 || got[0] != "sso.only@corp.example disabled, locked or without password" {
		t.Errorf("refused password sign-ins audited as %q", got)
	}
}

func TestSSOFlowCookie(t *testing.T) {
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "a@corp.example", "groups": []string{"soc"}})
	h := MustServer(t, w, secure, withSSO(p, "https://unmask.corp.example")).Handler()
	rec := page(t, h, "GET", "/login/oidc?next=%2Fcases", nil, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("GET /login/oidc = %d:\n%s", rec.Code, rec.Body)
	}
	to, err := url.Parse(rec.Header().Get("Location"))
	must(t, err)
	q := to.Query()
	if to.Path != "/authorize" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" ||
		len(q.Get("state")) < 32 || q.Get("redirect_uri") != "https://unmask.corp.example/login/oidc/callback" || q.Get("scope") != "openid email profile" {
		t.Errorf("redirect to the provider = %s", to)
	}
	var flow *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-unmask_oidc" {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly || !flow.Secure || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge != 600 || flow.Path != "/" {
		t.Fatalf("flow cookie = %+v, want __Host-, HttpOnly, Secure, SameSite=Lax, 10 minutes", flow)
	}
	if strings.Contains(flow.Value, q.Get("code_challenge")) {
		t.Error("the cookie holds the challenge; it should hold the verifier only")
	}
	// The state cookie works once: a second callback with it is refused and clears it.
	cb := "/login/oidc/callback?code=x&state=" + url.QueryEscape(q.Get("state"))
	first := page(t, h, "GET", cb, flow, nil)
	if first.Code != http.StatusUnauthorized { // the code x is not the provider's
		t.Errorf("callback with a made-up code = %d, want 401", first.Code)
	}
	if c := first.Result().Cookies(); len(c) == 0 || c[0].Name != "__Host-unmask_oidc" || c[0].MaxAge >= 0 {
		t.Errorf("callback did not clear the flow cookie: %v", c)
	}
	if rec := page(t, h, "GET", cb, nil, nil); rec.Code != http.StatusBadRequest {
		t.Errorf("callback without the flow cookie = %d, want 400", rec.Code)
	}
	if rec := page(t, h, "GET", "/login/oidc/callback?error=access_denied&error_description=<script>", flow, nil); rec.Code != http.StatusUnauthorized ||
		!strings.Contains(rec.Body.String(), "did not sign you in") || strings.Contains(rec.Body.String(), "<script>") {
		t.Errorf("provider error = %d:\n%s", rec.Code, rec.Body)
	}
}

func TestSSOButton(t *testing.T) {
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "a@corp.example"})
	with := MustServer(t, w, withSSO(p, "http://127.0.0.1")).Handler()
	if body := page(t, with, "GET", "/login?next=%2Fcases", nil, nil).Body.String(); !strings.Contains(body, `href="/login/oidc?next=%2Fcases"`) ||
		!strings.Contains(body, "Sign in with SSO") {
		t.Errorf("sign-in page with SSO lacks the button:\n%s", body)
	}
	without := MustServer(t, w).Handler()
	if body := page(t, without, "GET", "/login", nil, nil).Body.String(); strings.Contains(body, "SSO") {
		t.Error("sign-in page without SSO shows the button")
	}
	if rec := page(t, without, "GET", "/login/oidc", nil, nil); rec.Code != http.StatusNotFound {
		t.Errorf("GET /login/oidc without SSO = %d, want 404", rec.Code)
	}
}

func TestSSOUnreachableProvider(t *testing.T) {
	w := MustWorld(t)
	h := MustServer(t, w, func(o *httpapi.Options) {
		o.OIDC = &httpapi.OIDC{Issuer: "http://127.0.0.1:1", ClientID: ssoClientID, RedirectURL: "http://127.0.0.1/login/oidc/callback", DefaultRole: unmask.RoleViewer}
	}).Handler()
	rec := page(t, h, "GET", "/login/oidc", nil, nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "identity provider cannot be reached") ||
		!strings.Contains(rec.Body.String(), `id="password"`) {
		t.Errorf("unreachable provider = %d:\n%s", rec.Code, rec.Body)
	}
}

func TestSSOCallbackRateLimited(t *testing.T) {
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "a@corp.example"})
	h := MustServer(t, w, withSSO(p, "http://127.0.0.1"), func(o *httpapi.Options) { o.LoginsPerMinute = 2 }).Handler()
	var rec *httptest.ResponseRecorder
	for range 3 {
		rec = page(t, h, "GET", "/login/oidc/callback?code=x&state=y", nil, nil)
	}
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third callback in a minute = %d, want 429 with Retry-After", rec.Code)
	}
}

func TestBrowserSSO(t *testing.T) {
	ctx := MustChrome(t, 1280, 900)
	w := MustWorld(t)
	p := newTestIdP(t, map[string]any{"email": "nadia@corp.example", "email_verified": true, "groups": []string{"people-team"}})
	ts, _ := MustSSOSite(t, w, p)
	err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/cases"),
		chromedp.WaitVisible(chromedp.ID("sso")),
		chromedp.Click(chromedp.ID("sso")),
		chromedp.WaitVisible(chromedp.CSS(`span.role-hr`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `location.pathname`); got != "/cases" {
		t.Errorf("after SSO at %q, want back at /cases", got)
	}
	if got := text(t, ctx, "span.who"); !strings.Contains(got, "nadia@corp.example") {
		t.Errorf("signed in as %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#dist-h`))); err != nil {
		t.Fatalf("dashboard after SSO: %v", err)
	}
}
