package config

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
)

// OIDCConfig configures optional single sign-on to the web UI with an OpenID Connect
// provider (Okta, Entra ID, Google, Keycloak, ...). It is off while Issuer is empty.
//
//	security:
//	  oidc:
//	    issuer: https://login.corp.example
//	    client_id: unmask
//	    client_secret: ...            # or UNMASK_SECURITY_OIDC_CLIENT_SECRET
//	    role_claim: groups
//	    roles: {unmask-admins: admin, soc: analyst, people-team: hr}
//	    default_role: deny            # or viewer
//	    auto_create: true
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; its /.well-known/openid-configuration is read
	// on the first sign-in.
	Issuer       string `yaml:"issuer"`
	ClientID     string `yaml:"client_id"`
	ClientSecret Secret `yaml:"client_secret"`
	// RedirectURL is this server's callback as registered with the provider; empty
	// means server.base_url + /login/oidc/callback.
	RedirectURL string `yaml:"redirect_url"`
	// Scopes are requested beside openid; empty means email and profile. Add the scope
	// that carries RoleClaim when the provider needs one (often groups).
	Scopes []string `yaml:"scopes"`
	// UsernameClaim is the ID-token claim that names the Unmask user; empty means email,
	// which is taken only when email_verified is not false.
	UsernameClaim string `yaml:"username_claim"`
	// RoleClaim is the ID-token claim (a string or a list of strings, such as groups)
	// whose values Roles maps to Unmask roles.
	RoleClaim string `yaml:"role_claim"`
	// Roles maps a RoleClaim value to admin, analyst, hr or viewer; when several match,
	// the most privileged role wins.
	Roles map[string]string `yaml:"roles"`
	// DefaultRole is the role of a user whom no value maps: a role, or deny (the
	// default) to refuse them.
	DefaultRole string `yaml:"default_role"`
	// AutoCreate creates a user without a password at the first SSO sign-in; without
	// it, only users an administrator created can sign in with SSO. Either way the
	// mapped role is set again at every SSO sign-in.
	AutoCreate bool `yaml:"auto_create"`
}

// OIDCCallbackPath is the path of the callback that the provider redirects to.
const OIDCCallbackPath = "/login/oidc/callback"

// roleNames are the roles a claim value may map to.
var roleNames = []string{"admin", "analyst", "hr", "viewer"}

// Enabled reports whether SSO is configured.
func (o *OIDCConfig) Enabled() bool { return o.Issuer != "" }

// CallbackURL returns RedirectURL, or the one derived from baseURL (server.base_url).
func (o *OIDCConfig) CallbackURL(baseURL string) string {
	if o.RedirectURL != "" {
		return o.RedirectURL
	}
	if baseURL == "" {
		return ""
	}
	return strings.TrimSuffix(baseURL, "/") + OIDCCallbackPath
}

// Claim returns UsernameClaim, or email.
func (o *OIDCConfig) Claim() string {
	if o.UsernameClaim == "" {
		return "email"
	}
	return o.UsernameClaim
}

// Default returns DefaultRole, or deny.
func (o *OIDCConfig) Default() string {
	if o.DefaultRole == "" {
		return "deny"
	}
	return o.DefaultRole
}

// validate reports the first problem with the SSO settings; baseURL is server.base_url.
func (o *OIDCConfig) validate(baseURL string) error {
	if !o.Enabled() {
		if o.ClientID != "" || o.ClientSecret != "" || len(o.Roles) > 0 {
			return errors.New("security.oidc.issuer: required when security.oidc is set")
		}
		return nil
	}
	if err := checkHTTPSURL(o.Issuer); err != nil {
		return fmt.Errorf("security.oidc.issuer %q: %w", o.Issuer, err)
	}
	if o.ClientID == "" {
		return errors.New("security.oidc.client_id: required")
	}
	cb := o.CallbackURL(baseURL)
	if cb == "" {
		return errors.New("security.oidc.redirect_url: set it, or server.base_url to derive it")
	}
	if err := checkHTTPSURL(cb); err != nil {
		return fmt.Errorf("security.oidc.redirect_url %q: %w", cb, err)
	}
	if u, _ := url.Parse(cb); !strings.HasSuffix(u.Path, OIDCCallbackPath) {
		return fmt.Errorf("security.oidc.redirect_url %q: the path must end in %s", cb, OIDCCallbackPath)
	}
	for _, group := range slices.Sorted(maps.Keys(o.Roles)) {
		if role := o.Roles[group]; !slices.Contains(roleNames, role) {
			return fmt.Errorf("security.oidc.roles[%q] %q: want admin, analyst, hr or viewer", group, role)
		}
	}
	if d := o.Default(); d != "deny" && !slices.Contains(roleNames, d) {
		return fmt.Errorf("security.oidc.default_role %q: want deny, admin, analyst, hr or viewer", d)
	}
	if len(o.Roles) > 0 && o.RoleClaim == "" {
		return errors.New("security.oidc.role_claim: required with security.oidc.roles (for example groups)")
	}
	if len(o.Roles) == 0 && o.Default() == "deny" {
		return errors.New("security.oidc: with no roles and default_role deny nobody could sign in; map role_claim values in roles or set default_role")
	}
	return nil
}

// checkHTTPSURL accepts an absolute https URL without credentials, or an http one on a
// loopback host (for development and tests).
func checkHTTPSURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return errors.New("want an absolute https URL")
	}
	if u.User != nil {
		return errors.New("must not carry credentials")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return errors.New("want https (http only for localhost)")
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
