package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/httpapi"
	"github.com/unmask/unmask/internal/risk"
	"github.com/unmask/unmask/internal/ruleset"
)

// maxRecordErrors caps the per-record errors one ingest response lists; every reject is
// still kept as a dead letter.
const maxRecordErrors = 100

// serverOptions returns the HTTP server's options: probes and metrics, and the API and
// web UI over the store, with ingest, risk preview and rule testing through the
// processor.
func (m *Main) serverOptions(p *processor, reg *prometheus.Registry) httpapi.Options {
	c := m.Config
	return httpapi.Options{
		Addr:              c.Server.Addr,
		Logger:            m.Logger.With("component", "http"),
		Ready:             m.db.Ping,
		Tokens:            m.authenticator(),
		Registry:          reg,
		Version:           version(),
		ReadTimeout:       c.Server.ReadTimeout.Std(),
		WriteTimeout:      c.Server.WriteTimeout.Std(),
		TLSCertFile:       c.Server.TLSCertFile,
		TLSKeyFile:        c.Server.TLSKeyFile,
		Store:             ruleAwareStore{m.db, &ruleset.Service{RuleService: m.db, Set: p.rules}},
		Sessions:          m.db,
		Auth:              m.authenticator(),
		OIDC:              oidcOptions(c),
		Ingester:          httpIngester{p},
		Risk:              riskPreviewer{p.risk},
		Rules:             p.ruleTester(),
		Screener:          screenAdapter{p.screen},
		Cases:             p.cases,
		SpotChecks:        p.spotChecks,
		Notifications:     notificationsShown(c.Notify),
		Feeds:             m.feedStatus,
		Suppressions:      p.suppressionsShown,
		IngestHealth:      m.sourceHealth().sources,
		SessionIdle:       c.Security.SessionIdleTimeout.Std(),
		SessionMaxAge:     c.Security.SessionMaxAge.Std(),
		InsecureCookies:   !secureOrigin(c.Server),
		IngestMaxBytes:    c.Ingest.MaxBodyBytes,
		TrustProxyHeaders: c.Server.TrustProxyHeaders,
	}
}

// ruleAwareStore is the store the server sees: enabling or disabling a rule there takes
// effect in this process's rule set at once.
type ruleAwareStore struct {
	store
	rules *ruleset.Service
}

// UpdateRule stores the change and applies it to the running rule set.
func (s ruleAwareStore) UpdateRule(ctx context.Context, id string, upd unmask.RuleUpdate) (*unmask.Rule, error) {
	return s.rules.UpdateRule(ctx, id, upd)
}

// oidcOptions returns the web UI's single sign-on settings, or nil when SSO is off.
func oidcOptions(c *config.Config) *httpapi.OIDC {
	o := c.Security.OIDC
	if !o.Enabled() {
		return nil
	}
	roles := make(map[string]unmask.Role, len(o.Roles))
	for group, role := range o.Roles {
		roles[group] = unmask.Role(role)
	}
	var fallback unmask.Role // "" refuses users whom no group maps
	if d := o.Default(); d != "deny" {
		fallback = unmask.Role(d)
	}
	return &httpapi.OIDC{
		Issuer:        o.Issuer,
		ClientID:      o.ClientID,
		ClientSecret:  string(o.ClientSecret),
		RedirectURL:   o.CallbackURL(c.Server.BaseURL),
		Scopes:        o.Scopes,
		UsernameClaim: o.Claim(),
		RoleClaim:     o.RoleClaim,
		Roles:         roles,
		DefaultRole:   fallback,
		AutoCreate:    o.AutoCreate,
	}
}

// secureOrigin reports whether browsers reach the server over HTTPS: it serves TLS
// itself, or its external base URL (a TLS-terminating proxy) is https. Only then may
// the session cookie be Secure; a plain-HTTP server with Secure cookies could not keep
// anyone signed in.
func secureOrigin(s config.ServerConfig) bool {
	return s.TLSCertFile != "" || strings.HasPrefix(s.BaseURL, "https://")
}

// httpIngester stores records pushed to POST /api/v1/ingest/{source}.
type httpIngester struct{ p *processor }

// Ingest runs body through the source's decoder and the processing chain.
func (h httpIngester) Ingest(ctx context.Context, source string, body io.Reader) (*httpapi.IngestResult, error) {
	if _, ok := sources[source]; !ok {
		_, err := openSource(source, nil, nil)
		return nil, err
	}
	res := &httpapi.IngestResult{}
	st, err := h.p.runObserved(adminContext(ctx), source, "http", body, nil, func(d *unmask.DeadLetter) {
		if len(res.Errors) < maxRecordErrors {
			res.Errors = append(res.Errors, httpapi.RecordError{Line: d.Line, Offset: d.Offset, Reason: d.Reason})
		}
	})
	res.Accepted, res.Duplicates, res.Rejected = st.Accepted, st.Duplicates, st.Rejected
	return res, err
}

// riskPreviewer answers the settings page's what-if preview with the live risk engine.
type riskPreviewer struct{ e *risk.Engine }

// defaultWeightKey names the weight of indicators without one of their own.
const defaultWeightKey = "default"

// indicatorID matches the THREAT.md indicator IDs a weight may be given for.
var indicatorID = regexp.MustCompile(`^([HON]-\d{2}|§\d+(\.\d+)*)$`)

// RiskWeights returns the weight of every indicator with one, and the default.
func (r riskPreviewer) RiskWeights() map[string]float64 {
	cfg := r.e.Config()
	out := make(map[string]float64, len(cfg.Indicators)+1)
	for id, w := range cfg.Indicators {
		out[id] = w.Weight
	}
	out[defaultWeightKey] = cfg.Default.Weight
	return out
}

// PreviewRisk rescores everyone with weights overriding the current ones.
func (r riskPreviewer) PreviewRisk(_ context.Context, weights map[string]float64, limit int) ([]*unmask.RiskScore, error) {
	cfg := r.e.Config()
	for id, v := range weights {
		if id == defaultWeightKey {
			cfg.Default.Weight = v
			continue
		}
		w, ok := cfg.Indicators[id]
		if !ok && !indicatorID.MatchString(id) {
			return nil, unmask.Errorf(unmask.EINVALID, "%q is not an indicator ID (H-01, N-03, §3.1, ...) or %q.", id, defaultWeightKey)
		}
		if !ok {
			w = cfg.Default
		}
		w.Weight = v
		if cfg.Indicators == nil {
			cfg.Indicators = map[string]risk.IndicatorWeight{}
		}
		cfg.Indicators[id] = w
	}
	changes, err := r.e.Preview(cfg)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(changes, func(a, b risk.Change) int { return cmp.Compare(a.NewRank, b.NewRank) })
	out := make([]*unmask.RiskScore, 0, min(limit, len(changes)))
	for _, c := range changes[:min(limit, len(changes))] {
		out = append(out, &unmask.RiskScore{PersonID: c.PersonID, Score: c.NewScore, Band: c.NewBand})
	}
	return out, nil
}

// feedStatus reports the IP-intelligence feeds for the settings page. A feed URL may
// carry a key (MaxMind's license_key), so errors show locations without query or user.
func (m *Main) feedStatus() []httpapi.FeedStatus {
	if m.intel == nil {
		return nil
	}
	kinds, locations := map[string]string{}, map[string]string{}
	for _, f := range m.Config.IPIntel.Feeds {
		kinds[f.Name], locations[f.Name] = f.Kind, f.Location
	}
	var out []httpapi.FeedStatus
	for _, st := range m.intel.Status() {
		fs := httpapi.FeedStatus{Name: st.Name, Kind: kinds[st.Name], Entries: st.Entries, Loaded: st.Loaded, Checked: st.Checked}
		if st.Err != nil {
			fs.Error = redactLocation(st.Err.Error(), locations[st.Name])
		}
		out = append(out, fs)
	}
	return out
}

// redactLocation replaces a feed URL in text by its scheme, host and path.
func redactLocation(text, location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" || (u.RawQuery == "" && u.User == nil) {
		return text
	}
	safe := u.Scheme + "://" + u.Host + u.Path
	text = strings.ReplaceAll(text, location, safe)
	return strings.ReplaceAll(text, u.RawQuery, "…")
}

// notificationsShown lists the configured destinations for the settings page, with
// secrets left out: a webhook shows only its scheme and host.
func notificationsShown(n config.NotifyConfig) []httpapi.Notification {
	out := make([]httpapi.Notification, 0, len(n.Destinations))
	for _, d := range n.Destinations {
		sev := cmp.Or(d.MinSeverity, n.MinSeverity, string(defaultMinSeverity))
		out = append(out, httpapi.Notification{Name: d.Name, Kind: d.Kind, Target: destinationTarget(d), MinSeverity: unmask.Severity(sev)})
	}
	return out
}

// destinationTarget describes where a destination sends, without secrets.
func destinationTarget(d config.DestinationConfig) string {
	switch d.Kind {
	case "webhook", "slack":
		u, err := url.Parse(string(d.URL))
		if err != nil {
			return "(unparseable URL)"
		}
		return u.Scheme + "://" + u.Host
	case "email":
		return fmt.Sprintf("%s via %s", strings.Join(d.To, ", "), d.SMTPAddr)
	case "syslog":
		return fmt.Sprintf("%s://%s (%s)", d.Network, d.Addr, cmp.Or(d.Format, "rfc5424"))
	}
	return ""
}
