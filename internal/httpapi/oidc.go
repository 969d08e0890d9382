package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/unmask/unmask"
)

// OIDC configures single sign-on to the web UI with an OpenID Connect provider: the
// authorization code flow with PKCE (S256), a state and a nonce, and an ID token verified
// by github.com/coreos/go-oidc (signature, issuer, audience, expiry). The lead builds it
// from config.OIDCConfig; nil in Options disables SSO and hides its button.
type OIDC struct {
	// Issuer is the provider's issuer URL; its discovery document is read at the first
	// sign-in (and again after a failure), so the server starts while it is down.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is this server's callback as registered with the provider: the
	// external base URL + /login/oidc/callback.
	RedirectURL string
	// Scopes are requested beside openid; nil means email and profile.
	Scopes []string
	// UsernameClaim is the ID-token claim that names the user; "" means email, which is
	// refused when email_verified is present and not true.
	UsernameClaim string
	// RoleClaim is the claim (a string or a list of strings, such as groups) whose values
	// Roles maps; "" gives everyone DefaultRole.
	RoleClaim string
	// Roles maps a RoleClaim value to a role; when several match, the most privileged wins.
	Roles map[string]unmask.Role
	// DefaultRole is the role of a user whom no value maps; "" refuses them.
	DefaultRole unmask.Role
	// AutoCreate creates a user without a password at the first sign-in. Either way, the
	// mapped role is written at every sign-in, and a disabled user stays out.
	AutoCreate bool
	// HTTPClient reaches the provider; nil means one with a 10-second timeout.
	HTTPClient *http.Client
}

const (
	// oidcFlowMaxAge bounds how long a sign-in at the provider may take.
	oidcFlowMaxAge = 10 * time.Minute
	// oidcTimeout bounds each call to the provider (discovery, code exchange, keys).
	oidcTimeout = 10 * time.Second
	// oidcCallbackPath is where the provider sends the browser back.
	oidcCallbackPath = "/login/oidc/callback"
	maxNextLen       = 512
	maxDisplayName   = 128
)

// sso is the configured provider, discovered lazily.
type sso struct {
	cfg    OIDC
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex // guards following
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func newSSO(cfg OIDC, now func() time.Time) *sso {
	c := &sso{cfg: cfg, client: cfg.HTTPClient, now: now}
	if c.client == nil {
		c.client = &http.Client{Timeout: oidcTimeout}
	}
	return c
}

// ctx returns ctx carrying the provider's HTTP client, for go-oidc and oauth2.
func (c *sso) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, c.client) }

// provider returns the OAuth 2 configuration and the ID-token verifier, reading the
// discovery document the first time; a failure is retried at the next call.
func (c *sso) provider(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.oauth != nil {
		return c.oauth, c.verifier, nil
	}
	dctx, cancel := context.WithTimeout(c.ctx(ctx), oidcTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, c.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("discover oidc provider %s: %w", c.cfg.Issuer, err)
	}
	scopes := c.cfg.Scopes
	if scopes == nil {
		scopes = []string{oidc.ScopeEmail, oidc.ScopeProfile}
	}
	all := []string{oidc.ScopeOpenID}
	for _, s := range scopes {
		if s != oidc.ScopeOpenID {
			all = append(all, s)
		}
	}
	c.oauth = &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: c.cfg.RedirectURL, Scopes: all}
	// Keys are fetched later, outside any request; the context only carries the client.
	c.verifier = p.VerifierContext(c.ctx(context.Background()), &oidc.Config{ClientID: c.cfg.ClientID, Now: c.now})
	return c.oauth, c.verifier, nil
}

// username returns the user named by the ID token's claims.
func (c *sso) username(claims map[string]any) (string, error) {
	claim := c.cfg.UsernameClaim
	if claim == "" {
		claim = "email"
	}
	name, _ := claims[claim].(string)
	name = strings.TrimSpace(name)
	if name == "" {
		return "", unmask.Errorf(unmask.EFORBIDDEN, "The identity provider did not send your %s, so Unmask cannot tell who you are. Ask an administrator to check the SSO settings.", claim)
	}
	if claim == "email" {
		if v, ok := claims["email_verified"]; ok && v != true && v != "true" {
			return "", unmask.Errorf(unmask.EFORBIDDEN, "Your email address is not verified at the identity provider.")
		}
	}
	if len(name) > 64 {
		return "", unmask.Errorf(unmask.EFORBIDDEN, "Your %s is longer than the 64 characters a username may have.", claim)
	}
	return name, nil
}

// role maps the role claim's values; ok is false when the user is refused.
func (c *sso) role(claims map[string]any) (role unmask.Role, ok bool) {
	if c.cfg.RoleClaim != "" {
		values := claimStrings(claims[c.cfg.RoleClaim])
		for _, r := range unmask.Roles { // most privileged first
			for _, v := range values {
				if c.cfg.Roles[v] == r {
					return r, true
				}
			}
		}
	}
	return c.cfg.DefaultRole, c.cfg.DefaultRole.Valid()
}

// claimStrings returns a claim that is a string or a list of strings.
func claimStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// oidcFlow is what the browser keeps, in a short-lived cookie, between the redirect to
// the provider and the callback.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r,omitempty"`
}

func (s *Server) oidcCookieName() string {
	if s.opts.InsecureCookies {
		return "unmask_oidc"
	}
	return "__Host-unmask_oidc"
}

// oidcCookie is HttpOnly and SameSite=Lax: the provider's redirect back is a cross-site
// top-level navigation, on which a Strict cookie would not be sent.
func (s *Server) oidcCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: s.oidcCookieName(), Value: value, Path: "/", MaxAge: maxAge,
		Secure: !s.opts.InsecureCookies, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// takeOIDCFlow reads the flow cookie and clears it: each flow is used at most once.
func (s *Server) takeOIDCFlow(w http.ResponseWriter, r *http.Request) (oidcFlow, bool) {
	var f oidcFlow
	c, err := r.Cookie(s.oidcCookieName())
	if err != nil {
		return f, false
	}
	http.SetCookie(w, s.oidcCookie("", -1))
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(raw, &f) != nil || f.State == "" || f.Nonce == "" || f.Verifier == "" {
		return oidcFlow{}, false
	}
	return f, true
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// oidcRoutes registers the SSO routes when SSO is configured.
func (s *Server) oidcRoutes() {
	if s.opts.OIDC == nil {
		return
	}
	c := newSSO(*s.opts.OIDC, s.now)
	s.public("GET /login/oidc", func(w http.ResponseWriter, r *http.Request) error { return s.handleOIDCStart(w, r, c) })
	s.public("GET "+oidcCallbackPath, func(w http.ResponseWriter, r *http.Request) error { return s.handleOIDCCallback(w, r, c) })
}

// loginData is the sign-in page's data.
func (s *Server) loginData(next, username string) map[string]string {
	d := map[string]string{"Next": next, "Username": username}
	if s.opts.OIDC != nil {
		d["SSO"] = "/login/oidc"
		if next != "" {
			d["SSO"] += "?next=" + url.QueryEscape(next)
		}
	}
	return d
}

// ssoRefused shows the sign-in page with msg.
func (s *Server) ssoRefused(w http.ResponseWriter, r *http.Request, status int, next, msg string) error {
	return s.render(w, r, status, "login", "", pageData{Error: msg, D: s.loginData(next, "")})
}

// handleOIDCStart sends the browser to the provider.
func (s *Server) handleOIDCStart(w http.ResponseWriter, r *http.Request, c *sso) error {
	next := r.URL.Query().Get("next")
	if len(next) > maxNextLen {
		next = ""
	}
	oauth, _, err := c.provider(r.Context())
	if err != nil {
		s.log.Warn("oidc sign-in", "err", err)
		return s.ssoRefused(w, r, http.StatusServiceUnavailable, next, "Single sign-on is unavailable: the identity provider cannot be reached. Try again later.")
	}
	f := oidcFlow{Verifier: oauth2.GenerateVerifier(), Next: next}
	if f.State, err = randomToken(); err != nil {
		return err
	}
	if f.Nonce, err = randomToken(); err != nil {
		return err
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	http.SetCookie(w, s.oidcCookie(base64.RawURLEncoding.EncodeToString(raw), int(oidcFlowMaxAge.Seconds())))
	http.Redirect(w, r, oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
	return nil
}

// msgSSOFailed is the answer when the provider's answer cannot be trusted; the reason
// goes to the log only.
const msgSSOFailed = "Single sign-on did not complete. Try again, or ask an administrator if it keeps failing."

// handleOIDCCallback completes a sign-in: it checks the state, exchanges the code with
// the PKCE verifier, verifies the ID token and its nonce, maps the user and starts the
// same session a password sign-in does.
func (s *Server) handleOIDCCallback(w http.ResponseWriter, r *http.Request, c *sso) error {
	f, ok := s.takeOIDCFlow(w, r)
	q := r.URL.Query()
	if s.opts.Sessions == nil {
		return s.ssoRefused(w, r, http.StatusServiceUnavailable, f.Next, "Sign-in is not configured on this server.")
	}
	if !s.logins.allowAddr(s.now(), s.clientAddr(r)) {
		w.Header().Set("Retry-After", "60")
		return s.ssoRefused(w, r, http.StatusTooManyRequests, f.Next, "Too many sign-in attempts. Wait a minute and try again.")
	}
	if e := q.Get("error"); e != "" {
		s.log.Info("oidc sign-in refused by the provider", "error", truncate(e, 64))
		return s.ssoRefused(w, r, http.StatusUnauthorized, f.Next, "The identity provider did not sign you in.")
	}
	if !ok || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return s.ssoRefused(w, r, http.StatusBadRequest, f.Next, "This sign-in was not started here or took too long. Choose Sign in with SSO again.")
	}
	claims, err := s.oidcClaims(r.Context(), c, q.Get("code"), f)
	if err != nil {
		s.log.Warn("oidc sign-in", "err", err)
		return s.ssoRefused(w, r, http.StatusUnauthorized, f.Next, msgSSOFailed)
	}
	ctx := unmask.NewContextWithRemoteAddr(r.Context(), s.clientAddr(r))
	u, err := s.ssoUser(ctx, r, c, claims)
	if code := unmask.ErrorCode(err); code == unmask.EFORBIDDEN || code == unmask.EUNAUTHORIZED {
		return s.ssoRefused(w, r, http.StatusForbidden, f.Next, unmask.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	return redirect(w, r, safeNext(f.Next))
}

// oidcClaims exchanges code and returns the verified ID token's claims.
func (s *Server) oidcClaims(ctx context.Context, c *sso, code string, f oidcFlow) (map[string]any, error) {
	if code == "" {
		return nil, fmt.Errorf("callback without a code")
	}
	oauth, verifier, err := c.provider(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.ctx(ctx), oidcTimeout)
	defer cancel()
	tok, err := oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange code: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, fmt.Errorf("token response without an id_token")
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("verify id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, fmt.Errorf("id token nonce does not match this sign-in")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, fmt.Errorf("read id token claims: %w", err)
	}
	return claims, nil
}

// ssoUser returns the user signing in with claims: found by username, or created
// without a password when AutoCreate is set, with the mapped role written. Refusals
// are EFORBIDDEN and audited.
func (s *Server) ssoUser(ctx context.Context, r *http.Request, c *sso, claims map[string]any) (*unmask.User, error) {
	username, err := c.username(claims)
	if err != nil {
		return nil, err
	}
	role, mapped := c.role(claims)
	u, err := s.opts.Store.FindUserByUsername(ctx, username)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		u, err = s.ssoCreate(ctx, r, c, username, claims, role, mapped)
		if err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	switch {
	case u.Disabled:
		return nil, s.ssoRefuse(ctx, r, u, "sso: disabled", "Your Unmask account is disabled. Ask an administrator.")
	case !mapped:
		return nil, s.ssoRefuse(ctx, r, u, "sso: no role maps", msgNoRole)
	case u.Role != role:
		// As the system through internal/authz, so it is audited like an administrator's change.
		if _, err := s.svc.UpdateUser(unmask.NewContextWithUser(ctx, unmask.SystemUser), u.ID, unmask.UserUpdate{Role: &role}); err != nil {
			return nil, err
		}
	}
	at := s.now()
	if u, err = s.opts.Store.UpdateUser(ctx, u.ID, unmask.UserUpdate{LastLoginAt: &at}); err != nil {
		return nil, err
	}
	if err := s.auditLogin(ctx, r, u, "user.login", "sso"); err != nil {
		return nil, err
	}
	return u, nil
}

const msgNoRole = "Your account at the identity provider is not in a group that may use Unmask. Ask an administrator for access."

// ssoCreate creates the user of a first SSO sign-in, without a password (so that no
// password sign-in can succeed for them), when AutoCreate is set and a role maps.
func (s *Server) ssoCreate(ctx context.Context, r *http.Request, c *sso, username string, claims map[string]any, role unmask.Role, mapped bool) (*unmask.User, error) {
	if !mapped {
		return nil, s.ssoRefuse(ctx, r, unmask.SystemUser, "sso: "+username+": no role maps", msgNoRole)
	}
	if !c.cfg.AutoCreate {
		return nil, s.ssoRefuse(ctx, r, unmask.SystemUser, "sso: "+username+": no such user",
			"There is no Unmask account for "+username+". Ask an administrator to create one.")
	}
	name, _ := claims["name"].(string)
	u := &unmask.User{Username: username, DisplayName: truncate(strings.TrimSpace(name), maxDisplayName), Role: role}
	// As the system through internal/authz, so it is audited like an administrator's change.
	err := s.svc.CreateUser(unmask.NewContextWithUser(ctx, unmask.SystemUser), u)
	if unmask.ErrorCode(err) == unmask.ECONFLICT { // created by a concurrent sign-in
		return s.opts.Store.FindUserByUsername(ctx, username)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ssoRefuse audits a refused SSO sign-in and returns the refusal to show.
func (s *Server) ssoRefuse(ctx context.Context, r *http.Request, actor *unmask.User, detail, msg string) error {
	if err := s.auditLogin(ctx, r, actor, "user.login_refused", truncate(detail, 200)); err != nil {
		return err
	}
	return unmask.Errorf(unmask.EFORBIDDEN, "%s", msg)
}

// auditLogin records a sign-in event whose actor is u (there is no acting user yet).
func (s *Server) auditLogin(ctx context.Context, r *http.Request, u *unmask.User, action, detail string) error {
	id := u.ID
	if u == unmask.SystemUser {
		id = ""
	}
	e := unmask.NewAuditEntry(unmask.NewContextWithUser(ctx, u), action, "user", id, detail)
	e.Time, e.RemoteAddr = s.now(), s.clientAddr(r)
	if err := s.opts.Store.CreateAuditEntry(ctx, e); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
