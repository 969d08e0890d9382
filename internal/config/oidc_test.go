package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask/internal/config"
)

// loadYAML loads body as a config file, with env as the environment.
func loadYAML(t *testing.T, body string, env map[string]string) (*config.Config, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "unmask.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return config.Load(path, func(k string) string { return env[k] })
}

const oidcGood = `
server:
  base_url: https://unmask.corp.example/
security:
  oidc:
    issuer: https://login.corp.example
    client_id: unmask
    client_secret: idp-s3cret-value
    role_claim: groups
    roles: {unmask-admins: admin, soc: analyst}
    auto_create: true
`

func TestOIDCGood(t *testing.T) {
	c, err := loadYAML(t, oidcGood, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := c.Security.OIDC
	if !o.Enabled() || o.CallbackURL(c.Server.BaseURL) != "https://unmask.corp.example/login/oidc/callback" ||
		o.Claim() != "email" || o.Default() != "deny" || o.Roles["soc"] != "analyst" || !o.AutoCreate {
		t.Errorf("oidc = %+v, callback %q", o, o.CallbackURL(c.Server.BaseURL))
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "idp-s3cret-value") {
		t.Errorf("config show reveals the client secret:\n%s", out)
	}
	c, err = loadYAML(t, oidcGood, map[string]string{"UNMASK_SECURITY_OIDC_CLIENT_SECRET": "from-env", "UNMASK_SECURITY_OIDC_REDIRECT_URL": "https://sso.corp.example/login/oidc/callback"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Security.OIDC.ClientSecret != "from-env" || c.Security.OIDC.CallbackURL(c.Server.BaseURL) != "https://sso.corp.example/login/oidc/callback" {
		t.Errorf("environment overrides not applied: %q", c.Security.OIDC.CallbackURL(c.Server.BaseURL))
	}
	if _, err := loadYAML(t, "", nil); err != nil {
		t.Errorf("no oidc section: %v", err)
	}
}

func TestOIDCBad(t *testing.T) {
	tests := []struct {
		name, from, to string // replace from with to in oidcGood
		want           string
	}{
		{"NoIssuer", "issuer: https://login.corp.example", "", "security.oidc.issuer: required"},
		{"PlainHTTPIssuer", "https://login.corp.example", "http://login.corp.example", "want https (http only for localhost)"},
		{"RelativeIssuer", "https://login.corp.example", "login.corp.example", "want an absolute https URL"},
		{"NoClientID", "client_id: unmask", "", "security.oidc.client_id: required"},
		{"NoRedirect", "base_url: https://unmask.corp.example/", "addr: 127.0.0.1:8080", "set it, or server.base_url"},
		{"WrongCallbackPath", "auto_create: true", "redirect_url: https://unmask.corp.example/callback", "must end in /login/oidc/callback"},
		{"UnknownRole", "soc: analyst", "soc: superuser", `security.oidc.roles["soc"] "superuser"`},
		{"UnknownDefault", "auto_create: true", "default_role: guest", `security.oidc.default_role "guest"`},
		{"RolesWithoutClaim", "role_claim: groups", "", "security.oidc.role_claim: required"},
		{"NobodyCanSignIn", "roles: {unmask-admins: admin, soc: analyst}", "", "nobody could sign in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(oidcGood, tt.from, tt.to, 1)
			if body == oidcGood {
				t.Fatalf("%q is not in the good config", tt.from)
			}
			_, err := loadYAML(t, body, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	c, err := loadYAML(t, strings.Replace(oidcGood, "roles: {unmask-admins: admin, soc: analyst}", "default_role: viewer", 1), nil)
	if err != nil || c.Security.OIDC.Default() != "viewer" {
		t.Errorf("everyone a viewer: %v", err)
	}
	if _, err := loadYAML(t, strings.Replace(oidcGood, "https://login.corp.example", "http://127.0.0.1:5556/dex", 1), nil); err != nil {
		t.Errorf("http issuer on loopback: %v", err)
	}
}
