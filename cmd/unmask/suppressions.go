package main

import (
	"time"

	"github.com/unmask/unmask/internal/alerting"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/httpapi"
)

// suppressionsOf returns the configured alert suppressions that still hold at now; an
// expired one is left out with a warning, so that an old entry never stops the server.
func (m *Main) suppressionsOf(list []config.SuppressionConfig, now time.Time) []alerting.Suppression {
	var out []alerting.Suppression
	for _, c := range list {
		last, _ := time.Parse(time.DateOnly, c.Expires) // validated by config
		s := alerting.Suppression{ID: c.ID, Indicator: c.Indicator, Detector: c.Detector, Rule: c.Rule,
			Reason: c.Reason, Owner: c.Owner, CreatedAt: now, ExpiresAt: last.AddDate(0, 0, 1)}
		if !s.Active(now) {
			m.Logger.Warn("alert suppression expired; remove it from alerting.suppressions", "id", c.ID, "expired", c.Expires)
			continue
		}
		out = append(out, s)
	}
	return out
}

// suppressionsShown returns the live suppressions with their counts, for the UI and API.
func (p *processor) suppressionsShown() []httpapi.Suppression {
	now := time.Now()
	var out []httpapi.Suppression
	for _, s := range p.alerts.Suppressions() {
		out = append(out, httpapi.Suppression{ID: s.ID, Indicator: s.Indicator, Detector: s.Detector, Rule: s.Rule,
			Reason: s.Reason, Owner: s.Owner, ExpiresAt: s.ExpiresAt, Active: s.Active(now),
			Suppressed: s.Suppressed, LastMatched: s.LastMatched})
	}
	return out
}
