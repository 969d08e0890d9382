package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// RiskConfig tunes the risk score.
type RiskConfig struct {
	// File is a YAML file holding internal/risk's Config (weights per indicator, family
	// caps, decay, stage multipliers, bands); empty uses the built-in defaults.
	File string `yaml:"file"`
}

// NotifyConfig lists where alerts are sent. Destinations come only from here, never
// from a request, so notifications cannot be aimed at an internal address by a user.
type NotifyConfig struct {
	// MinSeverity is the lowest alert severity sent to destinations that set none:
	// informational, low, medium, high or critical. Default medium.
	MinSeverity  string              `yaml:"min_severity"`
	Destinations []DestinationConfig `yaml:"destinations"`
}

// DestinationConfig is one notification destination.
type DestinationConfig struct {
	Name string `yaml:"name"`
	// Kind is webhook (generic JSON), slack (a Slack-compatible incoming webhook), email
	// or syslog.
	Kind        string `yaml:"kind"`
	MinSeverity string `yaml:"min_severity"`
	// PerMinute caps the messages sent per minute; 0 means 60.
	PerMinute int `yaml:"per_minute"`

	// URL is the webhook or Slack endpoint. It is a secret: Slack URLs carry a token.
	URL Secret `yaml:"url"`
	// Headers are added to webhook requests (for example Authorization).
	Headers map[string]Secret `yaml:"headers"`
	// SigningSecret signs webhook bodies (X-Unmask-Signature, HMAC-SHA256).
	SigningSecret Secret `yaml:"signing_secret"`

	// SMTPAddr is the mail server host:port (587 with STARTTLS); From and To address the
	// message; Username and Password authenticate after STARTTLS.
	SMTPAddr       string   `yaml:"smtp_addr"`
	From           string   `yaml:"from"`
	To             []string `yaml:"to"`
	Username       string   `yaml:"username"`
	Password       Secret   `yaml:"password"`
	AllowPlaintext bool     `yaml:"allow_plaintext"` // a local relay without STARTTLS

	// Network is udp, tcp or tls and Addr the collector's host:port, for syslog;
	// Format is rfc5424 (default) or cef.
	Network string `yaml:"network"`
	Addr    string `yaml:"addr"`
	Format  string `yaml:"format"`
}

var severities = []string{"informational", "low", "medium", "high", "critical"}

// validate reports the first problem with the notification settings.
func (n *NotifyConfig) validate() error {
	if n.MinSeverity != "" && !slices.Contains(severities, n.MinSeverity) {
		return fmt.Errorf("notify.min_severity %q: want one of %s", n.MinSeverity, strings.Join(severities, ", "))
	}
	seen := map[string]bool{}
	for i, d := range n.Destinations {
		where := fmt.Sprintf("notify.destinations[%d]", i)
		if d.Name == "" {
			return fmt.Errorf("%s: name required", where)
		}
		where += " " + d.Name
		if seen[d.Name] {
			return fmt.Errorf("%s: duplicate name", where)
		}
		seen[d.Name] = true
		if d.MinSeverity != "" && !slices.Contains(severities, d.MinSeverity) {
			return fmt.Errorf("%s: min_severity %q: want one of %s", where, d.MinSeverity, strings.Join(severities, ", "))
		}
		if d.PerMinute < 0 {
			return fmt.Errorf("%s: per_minute must not be negative", where)
		}
		if err := d.validateKind(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}

func (d *DestinationConfig) validateKind() error {
	switch d.Kind {
	case "webhook", "slack":
		u, err := url.Parse(string(d.URL))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("url: want an http or https URL")
		}
		if u.User != nil {
			return fmt.Errorf("url: must not carry credentials; put them in headers")
		}
	case "email":
		if _, _, err := net.SplitHostPort(d.SMTPAddr); err != nil {
			return fmt.Errorf("smtp_addr %q: want host:port", d.SMTPAddr)
		}
		if d.From == "" || len(d.To) == 0 {
			return fmt.Errorf("from and to required")
		}
	case "syslog":
		if d.Network != "udp" && d.Network != "tcp" && d.Network != "tls" {
			return fmt.Errorf("network %q: want udp, tcp or tls", d.Network)
		}
		if _, _, err := net.SplitHostPort(d.Addr); err != nil {
			return fmt.Errorf("addr %q: want host:port", d.Addr)
		}
		if d.Format != "" && d.Format != "rfc5424" && d.Format != "cef" {
			return fmt.Errorf("format %q: want rfc5424 or cef", d.Format)
		}
	default:
		return fmt.Errorf("kind %q: want webhook, slack, email or syslog", d.Kind)
	}
	return nil
}

// AnalyticsConfig tunes the behavioural analytics.
type AnalyticsConfig struct {
	// GitHubOrgs are the organisation's GitHub owners: a push or fork to any other owner
	// raises N-09. Without them only bulk cloning is checked.
	GitHubOrgs []string `yaml:"github_orgs"`
	// HardwareMFAWithin is how long after hire a person may go without a FIDO2/WebAuthn
	// factor before O-06 is raised; default 14d; "off" turns O-06 off. O-06 is raised
	// only while at least half of the people past this time have such a factor.
	HardwareMFAWithin string `yaml:"hardware_mfa_within"`
	// Approvals drop analytics findings that are approved: the IT team's remote-support
	// tool, a documented shared workstation. Each needs a reason.
	Approvals []ApprovalConfig `yaml:"approvals"`
}

// ApprovalConfig approves findings; every field that is set must match. An approval
// with Value applies to the behavioural analytics, one with Rules to Sigma rules, one
// with neither to both.
type ApprovalConfig struct {
	// Department matches people of one HR department ("IT").
	Department string `yaml:"department"`
	// Indicator is a THREAT.md ID such as O-09.
	Indicator string `yaml:"indicator"`
	// Value is an analytics finding's matched value (a tool, domain or USB id),
	// case-insensitive; a trailing * matches a prefix ("anydesk*").
	Value string `yaml:"value"`
	// Rules are Sigma rule ids or names ("unmask_ra_anydesk"). Their matches are dropped
	// before correlations see them; an approval with rules that expires takes effect at
	// the next start.
	Rules  []string `yaml:"rules"`
	Reason string   `yaml:"reason"`
	// Until is the last day (YYYY-MM-DD) the approval holds; empty means no end.
	Until string `yaml:"until"`
}

func (a *AnalyticsConfig) validate() error {
	if w := a.HardwareMFAWithin; w != "" && w != "off" {
		if _, err := ParseDuration(w); err != nil {
			return fmt.Errorf("analytics.hardware_mfa_within %q: want a duration such as 14d, or off", w)
		}
	}
	for i, ap := range a.Approvals {
		if ap.Reason == "" {
			return fmt.Errorf("analytics.approvals[%d]: reason required", i)
		}
		if ap.Value != "" && len(ap.Rules) > 0 {
			return fmt.Errorf("analytics.approvals[%d]: value applies to analytics findings and rules to Sigma rules; give one approval each", i)
		}
		if ap.Indicator != "" && len(ap.Rules) > 0 {
			return fmt.Errorf("analytics.approvals[%d]: rules already say what is approved; drop indicator or rules", i)
		}
		if ap.Department == "" && ap.Indicator == "" && ap.Value == "" && len(ap.Rules) == 0 {
			return fmt.Errorf("analytics.approvals[%d]: set department, indicator or value (it would approve everything)", i)
		}
		if ap.Until != "" {
			if _, err := time.Parse(time.DateOnly, ap.Until); err != nil {
				return fmt.Errorf("analytics.approvals[%d]: until %q: want YYYY-MM-DD", i, ap.Until)
			}
		}
	}
	return nil
}

// AlertingConfig holds the alert suppressions: findings an analyst has reviewed and
// accepted, silenced until they expire. Every suppression names its reason, its owner
// and its last day, so none outlives the reason it was made for.
type AlertingConfig struct {
	Suppressions []SuppressionConfig `yaml:"suppressions"`
}

// SuppressionConfig silences the alerts of matching signals; every matcher that is set
// must match, and at least one must be set.
type SuppressionConfig struct {
	ID        string `yaml:"id"`
	Indicator string `yaml:"indicator"` // a THREAT.md ID ("N-02") or a family ("network")
	Detector  string `yaml:"detector"`  // e.g. analytics:impossible_travel
	Rule      string `yaml:"rule"`      // a Sigma rule id
	Reason    string `yaml:"reason"`
	Owner     string `yaml:"owner"`
	Expires   string `yaml:"expires"` // YYYY-MM-DD, the last day it holds
}

func (a *AlertingConfig) validate() error {
	seen := map[string]bool{}
	for i, s := range a.Suppressions {
		where := fmt.Sprintf("alerting.suppressions[%d]", i)
		switch {
		case s.ID == "" || seen[s.ID]:
			return fmt.Errorf("%s: a unique id is required", where)
		case s.Reason == "" || s.Owner == "":
			return fmt.Errorf("%s %s: reason and owner are required", where, s.ID)
		case s.Indicator == "" && s.Detector == "" && s.Rule == "":
			return fmt.Errorf("%s %s: set indicator, detector or rule", where, s.ID)
		}
		if _, err := time.Parse(time.DateOnly, s.Expires); err != nil {
			return fmt.Errorf("%s %s: expires %q: want YYYY-MM-DD", where, s.ID, s.Expires)
		}
		seen[s.ID] = true
	}
	return nil
}
