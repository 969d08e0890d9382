package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask/internal/config"
)

func noEnv(string) string { return "" }

func TestLoadBad(t *testing.T) {
	tests := []struct {
		file string
		want string // a substring the error must contain
	}{
		{"unknown-key.bad.yaml", "line 3: field adress not found"},
		{"wrong-type.bad.yaml", "line 2: cannot unmarshal !!str `many` into int"},
		{"bad-dsn.bad.yaml", "database.dsn: want sqlite:PATH or postgres://"},
		{"bad-addr.bad.yaml", `server.addr "8080": want host:port`},
		{"bad-duration.bad.yaml", `line 2: invalid duration "forever"`},
		{"bad-level.bad.yaml", `log.level "chatty"`},
		{"short-key.bad.yaml", "security.hash_key: want at least 32 characters"},
		{"not-yaml.bad.yaml", "yaml:"},
		{"bad-mfa-within.bad.yaml", `analytics.hardware_mfa_within "soon"`},
		{"bad-approval.bad.yaml", "analytics.approvals[0]: value applies to analytics findings"},
		{"bad-suppression.bad.yaml", "alerting.suppressions[0] s1: reason and owner are required"},
		{"bad-webhook.bad.yaml", "notify.destinations[0] soc: url: must not carry credentials"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".bad.yaml"), func(t *testing.T) {
			_, err := config.Load(filepath.Join("testdata", tt.file), noEnv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.file) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestLoadGood(t *testing.T) {
	c, err := config.Load(filepath.Join("testdata", "full.good.yaml"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"addr", c.Server.Addr, "0.0.0.0:8443"},
		{"read_timeout", c.Server.ReadTimeout.Std(), 20 * time.Second},
		{"write_timeout_default", c.Server.WriteTimeout.Std(), 60 * time.Second},
		{"tls_relative_to_file", c.Server.TLSCertFile, filepath.Join("testdata", "tls", "cert.pem")},
		{"partitions", c.Bus.Partitions, 32},
		{"retention", c.Retention.Events.Std(), 30 * 24 * time.Hour},
		{"auto_migrate_default", c.Database.AutoMigrate, true},
		{"hash_key_file_default", c.Security.HashKeyFile, "/var/lib/unmask/hash.key"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, path := range []string{"", filepath.Join("testdata", "empty.good.yaml")} {
		c, err := config.Load(path, noEnv)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := c.SQLitePath()
		if !ok || filepath.Base(p) != "unmask.db" || !strings.Contains(p, "unmask-data") {
			t.Errorf("default store = %q", c.Database.DSN)
		}
		if c.Server.Addr != "127.0.0.1:8080" || c.Bus.URL != "inmem" {
			t.Errorf("defaults = %+v", c.Server)
		}
	}
}

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{
		"UNMASK_SERVER_ADDR":           "127.0.0.1:9999",
		"UNMASK_BUS_PARTITIONS":        "8",
		"UNMASK_DATABASE_AUTO_MIGRATE": "false",
		"UNMASK_RETENTION_EVENTS":      "7d",
	}
	c, err := config.Load(filepath.Join("testdata", "full.good.yaml"), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Addr != "127.0.0.1:9999" || c.Bus.Partitions != 8 || c.Database.AutoMigrate || c.Retention.Events.Std() != 7*24*time.Hour {
		t.Errorf("overrides not applied: %+v %+v %+v", c.Server, c.Bus, c.Database)
	}
	_, err = config.Load("", func(k string) string {
		if k == "UNMASK_BUS_PARTITIONS" {
			return "lots"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "UNMASK_BUS_PARTITIONS") {
		t.Errorf("bad env value error = %v", err)
	}
	names := map[string]bool{}
	for _, kv := range config.EnvVars() {
		names[kv[0]] = true
	}
	for k := range env {
		if !names[k] {
			t.Errorf("EnvVars lacks %s", k)
		}
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	c, err := config.Load(filepath.Join("testdata", "full.good.yaml"), noEnv)
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{"s3cret", "6b1f0c2e9a4d", "db.corp.example"} {
		for name, s := range map[string]string{
			"yaml":   string(out),
			"printf": fmt.Sprintf("%v %+v %#v %s", c.Database, c.Security, c.Database.DSN, c.Security.HashKey),
		} {
			if strings.Contains(s, leak) {
				t.Errorf("%s output reveals %q:\n%s", name, leak, s)
			}
		}
	}
	if !strings.Contains(string(out), "<secret>") {
		t.Errorf("secrets not marked in:\n%s", out)
	}
	// The marshalled form, secrets aside, loads again.
	path := filepath.Join(t.TempDir(), "round.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(out), "<secret>", "")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(path, noEnv); err != nil {
		t.Errorf("reload of shown config: %v", err)
	}
}

func TestEnvVarsOnlyListSettableKeys(t *testing.T) {
	vars := config.EnvVars()
	for _, kv := range vars {
		if strings.Contains(kv[1], "destinations") || strings.Contains(kv[1], "feeds") || strings.HasSuffix(kv[1], "oidc.roles") || strings.Contains(kv[1], "approvals") {
			t.Errorf("%s (%s) cannot be set from the environment but is listed", kv[0], kv[1])
		}
	}
	if len(vars) < 20 {
		t.Fatalf("only %d variables listed", len(vars))
	}
}

func TestPollerBaseURLs(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string // "" for valid
	}{
		{map[string]string{"UNMASK_POLLERS_OKTA_TOKEN": "x"}, "pollers.okta.base_url: required"},
		{map[string]string{"UNMASK_POLLERS_OKTA_TOKEN": "x", "UNMASK_POLLERS_OKTA_BASE_URL": "https://contoso.okta.com"}, ""},
		{map[string]string{"UNMASK_POLLERS_OKTA_TOKEN": "x", "UNMASK_POLLERS_OKTA_BASE_URL": "contoso.okta.com"}, "pollers.okta.base_url"},
		{map[string]string{"UNMASK_POLLERS_GITHUB_BASE_URL": "ftp://ghe.example"}, "pollers.github.base_url"},
		{map[string]string{"UNMASK_POLLERS_GRAPH_BASE_URL": "http://127.0.0.1:8080"}, ""},
	} {
		_, err := config.Load("", func(k string) string { return tc.env[k] })
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%v: %v, want %q", tc.env, err, tc.want)
		}
	}
}
