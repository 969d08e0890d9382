// Package config loads Unmask's one configuration file: defaults first, then a strict YAML
// decode in which unknown keys and wrong types are errors that name the key and line, then
// UNMASK_* environment overrides, then validation. Secrets have type Secret, which prints
// and marshals as <secret>, so `unmask config show` and logs never reveal them.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration.
type Config struct {
	// DataDir holds the embedded database, the hashing key and other local state.
	DataDir   string          `yaml:"data_dir"`
	Server    ServerConfig    `yaml:"server"`
	Database  DatabaseConfig  `yaml:"database"`
	Bus       BusConfig       `yaml:"bus"`
	Log       LogConfig       `yaml:"log"`
	Security  SecurityConfig  `yaml:"security"`
	Ingest    IngestConfig    `yaml:"ingest"`
	Retention RetentionConfig `yaml:"retention"`
	Pollers   PollersConfig   `yaml:"pollers"`
	IPIntel   IPIntelConfig   `yaml:"ipintel"`
	Rules     RulesConfig     `yaml:"rules"`
	Risk      RiskConfig      `yaml:"risk"`
	Notify    NotifyConfig    `yaml:"notify"`
	Analytics AnalyticsConfig `yaml:"analytics"`
	Alerting  AlertingConfig  `yaml:"alerting"`

	// path is the file the config was read from, "" for defaults only.
	path string
}

// ServerConfig configures the HTTP server.
type ServerConfig struct {
	Addr            string   `yaml:"addr"`
	BaseURL         string   `yaml:"base_url"` // the externally visible URL, for links
	ReadTimeout     Duration `yaml:"read_timeout"`
	WriteTimeout    Duration `yaml:"write_timeout"`
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	TLSCertFile     string   `yaml:"tls_cert_file"`
	TLSKeyFile      string   `yaml:"tls_key_file"`
	// TrustProxyHeaders takes the client address from X-Forwarded-For: set it only
	// behind a reverse proxy that sets the header itself.
	TrustProxyHeaders bool `yaml:"trust_proxy_headers"`
}

// DatabaseConfig selects and tunes the store.
type DatabaseConfig struct {
	// DSN is "sqlite:PATH" (the default, under DataDir) or a postgres:// URL.
	DSN         Secret `yaml:"dsn"`
	MaxConns    int    `yaml:"max_conns"`
	AutoMigrate bool   `yaml:"auto_migrate"`
}

// BusConfig selects the event bus.
type BusConfig struct {
	// URL is "inmem" (the default) or a nats:// URL.
	URL        string `yaml:"url"`
	Partitions int    `yaml:"partitions"`
	Capacity   int    `yaml:"capacity"`
}

// LogConfig configures logging.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// SecurityConfig holds keys and session policy.
type SecurityConfig struct {
	// HashKey is the HMAC key for sensitive identifiers (hex or base64, ≥ 32 bytes); when
	// empty the key is read from HashKeyFile, which is generated on first start.
	HashKey            Secret   `yaml:"hash_key"`
	HashKeyFile        string   `yaml:"hash_key_file"`
	SessionIdleTimeout Duration `yaml:"session_idle_timeout"`
	SessionMaxAge      Duration `yaml:"session_max_age"`

	OIDC OIDCConfig `yaml:"oidc"` // single sign-on to the web UI (oidc.go); off without an issuer
}

// IngestConfig bounds ingestion.
type IngestConfig struct {
	MaxBodyBytes   int64 `yaml:"max_body_bytes"`
	MaxRecordBytes int   `yaml:"max_record_bytes"`
	BatchSize      int   `yaml:"batch_size"`
}

// RetentionConfig bounds how long evidence is kept.
type RetentionConfig struct {
	Events Duration `yaml:"events"`
}

// IPIntelConfig lists the IP-intelligence feeds: MaxMind databases and CIDR or ASN
// organisation lists, from files or URLs. Unmask ships none; docs/sources/README.md says
// where to get them.
type IPIntelConfig struct {
	Refresh Duration     `yaml:"refresh"` // default 6h
	Feeds   []FeedConfig `yaml:"feeds"`
}

// FeedConfig is one IP-intelligence feed.
type FeedConfig struct {
	Name string `yaml:"name"`
	// Kind is cidr, asn-org, mmdb-city, mmdb-asn or mmdb-anonymous-ip.
	Kind string `yaml:"kind"`
	// Tag is what a match in a list means: vpn, hosting, tor, anonymous, corporate,
	// astrill or ioc.
	Tag         string `yaml:"tag"`
	Location    string `yaml:"location"` // a file path (relative to the config file) or a URL
	AllowShrink bool   `yaml:"allow_shrink"`
}

// RulesConfig configures detection rules beside the bundled pack.
type RulesConfig struct {
	// Dirs are directories of Sigma rules the user adds; a rule with a bundled rule's id
	// overrides it.
	Dirs []string `yaml:"dirs"`
	// Disabled lists rule ids that never run.
	Disabled []string `yaml:"disabled"`
}

// PollersConfig configures the vendor log pollers; each runs when its credentials are set.
type PollersConfig struct {
	Okta   OktaPoller   `yaml:"okta"`
	GitHub GitHubPoller `yaml:"github"`
	Google GooglePoller `yaml:"google"`
	Graph  GraphPoller  `yaml:"graph"`
}

// PollerCommon holds what every poller has.
type PollerCommon struct {
	BaseURL  string   `yaml:"base_url"`
	Interval Duration `yaml:"interval"` // between polls; default 1m
	Lookback Duration `yaml:"lookback"` // how far back the first poll reaches; default 24h
}

// OktaPoller polls the Okta System Log.
type OktaPoller struct {
	PollerCommon `yaml:",inline"`
	Token        Secret `yaml:"token"` // an Okta API token
}

// GitHubPoller polls an organisation's or enterprise's audit log.
type GitHubPoller struct {
	PollerCommon `yaml:",inline"`
	Org          string `yaml:"org"`
	Enterprise   string `yaml:"enterprise"`
	Token        Secret `yaml:"token"`
}

// GooglePoller polls Google Workspace Reports activities.
type GooglePoller struct {
	PollerCommon `yaml:",inline"`
	Applications []string `yaml:"applications"` // default login, drive
	// CredentialsFile is a service account's JSON key file; with domain-wide delegation
	// of the Reports scope, the poller acts as Subject (a Workspace administrator) and
	// renews its access token itself.
	CredentialsFile string `yaml:"credentials_file"`
	Subject         string `yaml:"subject"`
	// Token is a fixed OAuth access token with the Reports scope, used when no
	// CredentialsFile is set; Google's expire within the hour.
	Token Secret `yaml:"token"`
}

// GraphPoller polls Microsoft Graph sign-ins with an app registration's client credentials.
type GraphPoller struct {
	PollerCommon `yaml:",inline"`
	TenantID     string `yaml:"tenant_id"`
	ClientID     string `yaml:"client_id"`
	ClientSecret Secret `yaml:"client_secret"`
	// TokenURL overrides the Microsoft identity platform token endpoint (for tests).
	TokenURL string `yaml:"token_url"`
}

// Default returns the configuration used when no file is given.
func Default() *Config {
	return &Config{
		DataDir: "unmask-data",
		Server: ServerConfig{
			Addr:            "127.0.0.1:8080",
			ReadTimeout:     Duration(30e9),
			WriteTimeout:    Duration(60e9),
			ShutdownTimeout: Duration(15e9),
		},
		Database:  DatabaseConfig{AutoMigrate: true},
		Bus:       BusConfig{URL: "inmem", Partitions: 16, Capacity: 10_000},
		Log:       LogConfig{Level: "info", Format: "text"},
		Security:  SecurityConfig{SessionIdleTimeout: Duration(30 * 60e9), SessionMaxAge: Duration(12 * 3600e9)},
		Ingest:    IngestConfig{MaxBodyBytes: 64 << 20, MaxRecordBytes: 1 << 20, BatchSize: 1000},
		Retention: RetentionConfig{Events: Duration(90 * 24 * 3600e9)},
	}
}

// Load reads the file at path (none when path is ""), applies environment overrides from
// getenv and validates the result.
func Load(path string, getenv func(string) string) (*Config, error) {
	c := Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("read config: %w", err)
		}
		defer f.Close()
		if err := c.decode(f); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		c.path = path
	}
	if err := applyEnv(c, getenv); err != nil {
		return nil, err
	}
	c.resolvePaths()
	if err := c.Validate(); err != nil {
		if path != "" {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		return nil, err
	}
	return c, nil
}

// decode strictly decodes YAML onto c.
func (c *Config) decode(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return errors.New(strings.Join(te.Errors, "; "))
		}
		return err
	}
	return nil
}

// Path returns the file the config came from, or "".
func (c *Config) Path() string { return c.path }

// resolvePaths makes relative paths relative to the config file's directory and derives
// defaults that depend on DataDir.
func (c *Config) resolvePaths() {
	base := "."
	if c.path != "" {
		base = filepath.Dir(c.path)
	}
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	c.DataDir = abs(c.DataDir)
	if c.Database.DSN == "" {
		c.Database.DSN = Secret("sqlite:" + filepath.Join(c.DataDir, "unmask.db"))
	} else if p, ok := strings.CutPrefix(string(c.Database.DSN), "sqlite:"); ok {
		c.Database.DSN = Secret("sqlite:" + abs(p))
	}
	if c.Security.HashKeyFile == "" {
		c.Security.HashKeyFile = filepath.Join(c.DataDir, "hash.key")
	} else {
		c.Security.HashKeyFile = abs(c.Security.HashKeyFile)
	}
	c.Server.TLSCertFile, c.Server.TLSKeyFile = abs(c.Server.TLSCertFile), abs(c.Server.TLSKeyFile)
	for i := range c.IPIntel.Feeds {
		if loc := c.IPIntel.Feeds[i].Location; !strings.Contains(loc, "://") {
			c.IPIntel.Feeds[i].Location = abs(loc)
		}
	}
	for i, d := range c.Rules.Dirs {
		c.Rules.Dirs[i] = abs(d)
	}
	c.Risk.File = abs(c.Risk.File)
}

// SQLitePath returns the database file when the DSN selects SQLite.
func (c *Config) SQLitePath() (string, bool) {
	return strings.CutPrefix(string(c.Database.DSN), "sqlite:")
}

// Validate reports the first problem with c.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Server.Addr); err != nil {
		return fmt.Errorf("server.addr %q: want host:port", c.Server.Addr)
	}
	if (c.Server.TLSCertFile == "") != (c.Server.TLSKeyFile == "") {
		return errors.New("server.tls_cert_file and server.tls_key_file must be set together")
	}
	if err := validateDSN(string(c.Database.DSN)); err != nil {
		return fmt.Errorf("database.dsn: %w", err)
	}
	if c.Bus.URL != "inmem" && !strings.HasPrefix(c.Bus.URL, "nats://") {
		return fmt.Errorf("bus.url %q: want inmem or nats://host:port", c.Bus.URL)
	}
	if c.Bus.Partitions < 1 || c.Bus.Partitions > 4096 {
		return fmt.Errorf("bus.partitions %d: want 1 to 4096", c.Bus.Partitions)
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(c.Log.Level)); err != nil {
		return fmt.Errorf("log.level %q: want debug, info, warn or error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return fmt.Errorf("log.format %q: want text or json", c.Log.Format)
	}
	if c.Ingest.MaxBodyBytes <= 0 || c.Ingest.MaxRecordBytes <= 0 || c.Ingest.BatchSize <= 0 {
		return errors.New("ingest.max_body_bytes, ingest.max_record_bytes and ingest.batch_size must be positive")
	}
	for i, f := range c.IPIntel.Feeds {
		if f.Name == "" || f.Location == "" {
			return fmt.Errorf("ipintel.feeds[%d]: name and location required", i)
		}
		switch f.Kind {
		case "cidr", "asn-org":
			if f.Tag == "" {
				return fmt.Errorf("ipintel.feeds[%d] %s: a %s feed needs a tag (vpn, hosting, tor, anonymous, corporate, astrill, ioc)", i, f.Name, f.Kind)
			}
		case "mmdb-city", "mmdb-asn", "mmdb-anonymous-ip":
		default:
			return fmt.Errorf("ipintel.feeds[%d] %s: kind %q: want cidr, asn-org, mmdb-city, mmdb-asn or mmdb-anonymous-ip", i, f.Name, f.Kind)
		}
	}
	if err := c.Notify.validate(); err != nil {
		return err
	}
	if err := c.Analytics.validate(); err != nil {
		return err
	}
	if err := c.Alerting.validate(); err != nil {
		return err
	}
	if err := c.Pollers.validate(); err != nil {
		return err
	}
	if err := c.Security.OIDC.validate(c.Server.BaseURL); err != nil {
		return err
	}
	if c.Security.HashKey != "" && len(c.Security.HashKey) < 32 {
		return errors.New("security.hash_key: want at least 32 characters (hex or base64 of 32 random bytes)")
	}
	return nil
}

// validate checks the pollers' base URLs: absolute http(s) URLs where given, and Okta's,
// which is the customer's own org and has no default, wherever its token is set.
func (p *PollersConfig) validate() error {
	if p.Okta.Token != "" && p.Okta.BaseURL == "" {
		return errors.New("pollers.okta.base_url: required with pollers.okta.token: your Okta org, e.g. https://contoso.okta.com")
	}
	for _, nb := range [][2]string{{"okta", p.Okta.BaseURL}, {"github", p.GitHub.BaseURL}, {"google", p.Google.BaseURL}, {"graph", p.Graph.BaseURL}} {
		name, base := nb[0], nb[1]
		if base == "" {
			continue
		}
		if u, err := url.Parse(base); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("pollers.%s.base_url %q: want an absolute URL such as https://host", name, base)
		}
	}
	return nil
}

// validateDSN checks the form of a database DSN.
func validateDSN(dsn string) error {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if p == "" {
			return errors.New("sqlite: needs a file path, e.g. sqlite:unmask-data/unmask.db")
		}
		return nil
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return fmt.Errorf("bad postgres URL: %v", redact(err))
		}
		if u.Host == "" {
			return errors.New("postgres URL needs a host, e.g. postgres://user@db.example:5432/unmask")
		}
		return nil
	}
	return errors.New("want sqlite:PATH or postgres://user:password@host:port/dbname")
}

// redact drops the URL from a url.Error, since a DSN may carry a password.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Marshal returns c as YAML with secrets hidden.
func (c *Config) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}
