package main

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/analytics"
	"github.com/unmask/unmask/internal/config"
	"github.com/unmask/unmask/internal/ipintel"
	"github.com/unmask/unmask/internal/roster"
)

// openIntel loads the configured IP-intelligence feeds once, so that detection sees them
// from the first event; nil when none are configured. A feed that cannot be loaded is
// logged and left empty (the server's refresh loop retries it).
func (m *Main) openIntel(ctx context.Context) (*ipintel.Intel, error) {
	c := m.Config.IPIntel
	if len(c.Feeds) == 0 {
		return nil, nil
	}
	kinds := map[string]ipintel.FeedKind{"cidr": ipintel.KindCIDR, "asn-org": ipintel.KindOrg, "mmdb-city": ipintel.KindCity,
		"mmdb-asn": ipintel.KindASN, "mmdb-anonymous-ip": ipintel.KindAnonymousIP}
	var feeds []ipintel.Feed
	for _, f := range c.Feeds {
		feed := ipintel.Feed{Name: f.Name, Kind: kinds[f.Kind], Location: f.Location, AllowShrink: f.AllowShrink}
		if f.Tag != "" {
			tag, ok := ipintel.ParseTag(f.Tag)
			if !ok {
				return nil, unmask.Errorf(unmask.EINVALID, "ipintel feed %s: unknown tag %q.", f.Name, f.Tag)
			}
			feed.Tag = tag
		}
		feeds = append(feeds, feed)
	}
	in, err := ipintel.New(ipintel.Options{Feeds: feeds, Refresh: c.Refresh.Std(), Logger: m.Logger.With("component", "ipintel")})
	if err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "IP intelligence: %v", err)
	}
	if err := in.Load(ctx); err != nil {
		m.Logger.Warn("IP-intelligence feeds not all loaded", "err", err)
	}
	m.intel = in
	return in, nil
}

// analyticsThresholds returns the detectors' configuration: documented defaults but for
// what the configuration sets.
func analyticsThresholds(c config.AnalyticsConfig) analytics.Config {
	ac := analytics.Config{Git: analytics.GitOptions{OrgNamespaces: c.GitHubOrgs}}
	switch w := c.HardwareMFAWithin; w {
	case "":
	case "off": // no hardware factor is expected: a grace period longer than any career
		ac.MFA.HardwareWithin = 100 * 365 * 24 * time.Hour
	default:
		d, _ := config.ParseDuration(w) // validated by config
		ac.MFA.HardwareWithin = d.Std()
	}
	return ac
}

// approvalsOf turns configured approvals into analytics suppressions (validated by config).
func approvalsOf(list []config.ApprovalConfig) []analytics.Suppression {
	out := make([]analytics.Suppression, 0, len(list))
	for _, a := range list {
		if len(a.Rules) > 0 { // Sigma rules only: see approvedRules
			continue
		}
		s := analytics.Suppression{Group: a.Department, Indicator: a.Indicator, Value: a.Value, Reason: a.Reason}
		if a.Until != "" {
			until, _ := time.Parse(time.DateOnly, a.Until)
			s.Until = until.AddDate(0, 0, 1) // through the whole last day
		}
		out = append(out, s)
	}
	return out
}

// analyticsDetector runs the behavioural analytics with each person's HR profile, loaded
// from the store when the person is first seen and again after every HR record about them.
type analyticsDetector struct {
	db     store
	engine *analytics.Engine

	mu     sync.Mutex // guards loaded
	loaded map[string]bool
}

func newAnalyticsDetector(db store, intel *ipintel.Intel, c config.AnalyticsConfig) (*analyticsDetector, error) {
	opts := analytics.Options{Suppressions: approvalsOf(c.Approvals), Detectors: analytics.DefaultDetectors(analyticsThresholds(c))}
	if intel != nil {
		opts.Lookup = func(a netip.Addr) ipintel.Info { return intel.Lookup(a) }
	}
	e, err := analytics.New(opts)
	if err != nil {
		return nil, err
	}
	return &analyticsDetector{db: db, engine: e, loaded: map[string]bool{}}, nil
}

// Name returns "analytics".
func (d *analyticsDetector) Name() string { return "analytics" }

// Detect runs the analytics on one event.
func (d *analyticsDetector) Detect(ctx context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e.PersonID == "" {
		return nil, nil
	}
	d.mu.Lock()
	stale := !d.loaded[e.PersonID] || e.Source == "hris" || e.Kind == unmask.KindDeviceInventory
	d.loaded[e.PersonID] = true
	d.mu.Unlock()
	if stale {
		p, err := d.profile(ctx, e.PersonID)
		if err != nil {
			return nil, fmt.Errorf("analytics profile: %w", err)
		}
		d.engine.SetProfile(p)
	}
	return d.engine.Process(e), nil
}

// profile builds a person's analytics profile from their HR record and identifiers.
func (d *analyticsDetector) profile(ctx context.Context, personID string) (analytics.Profile, error) {
	p, err := d.db.FindPersonByID(ctx, personID)
	if err != nil {
		return analytics.Profile{}, err
	}
	prof := analytics.Profile{PersonID: p.ID, HireDate: p.HireDate, Country: p.Location.Country, TimeZone: p.TimeZone}
	if p.Department != "" {
		prof.Groups = []string{p.Department}
	}
	ids, _, err := d.db.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &personID, Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return prof, err
	}
	for _, id := range ids {
		switch id.Kind {
		case unmask.IdentDeviceSerial:
			prof.AssignedSerials = append(prof.AssignedSerials, id.Value)
		case unmask.IdentAddress:
			prof.Home.Key = id.Hash
		case unmask.IdentShipToAddress:
			prof.ShipTo.Key = id.Hash
		case unmask.IdentMFADevice:
			prof.HardwareFactor = prof.HardwareFactor || roster.IsHardwareFactor(id.Source)
		}
	}
	return prof, nil
}

// Sweep returns the signals of time-based checks (a laptop that never enrolled, no
// hardware factor after N days), evaluated at the engine's clock.
func (d *analyticsDetector) Sweep() []unmask.Signal { return d.engine.Sweep() }
