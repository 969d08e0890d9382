package analytics

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ipintel"
)

// monday is 2026-03-02 00:00 UTC, a Monday.
var monday = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

// at returns monday plus d days and h hours.
func at(d int, h float64) time.Time {
	return monday.Add(time.Duration(d)*24*time.Hour + time.Duration(h*float64(time.Hour)))
}

var evSeq int

// event returns an event of kind for person at t, changed by mods.
func event(kind unmask.EventKind, person string, t time.Time, mods ...func(*unmask.Event)) *unmask.Event {
	evSeq++
	e := &unmask.Event{ID: fmt.Sprintf("e%d", evSeq), Time: t, Source: "test", Kind: kind, PersonID: person,
		Outcome: unmask.OutcomeSuccess, Fields: map[string]string{}}
	for _, m := range mods {
		m(e)
	}
	return e
}

func signin(person string, t time.Time, ip string, mods ...func(*unmask.Event)) *unmask.Event {
	return event(unmask.KindSignIn, person, t, append([]func(*unmask.Event){func(e *unmask.Event) { e.SourceIP = ip }}, mods...)...)
}

func field(k, v string) func(*unmask.Event) { return func(e *unmask.Event) { e.Fields[k] = v } }

// network describes a test address for the lookup table.
type network struct {
	country, city string
	lat, lon      float64
	acc           int
	asn           uint
	org           string
	tags          []ipintel.Tag
}

// testNetworks are the addresses tests use (documentation and benchmark ranges).
var testNetworks = map[string]network{
	"192.0.2.10":    {"US", "Chicago", 41.88, -87.63, 20, 64496, "Example Residential Broadband", nil},
	"192.0.2.11":    {"US", "Chicago", 41.88, -87.63, 20, 64496, "Example Residential Broadband", nil},
	"192.0.2.12":    {"US", "Chicago", 41.88, -87.63, 20, 64496, "Example Residential Broadband", nil},
	"198.51.100.1":  {"US", "New York", 40.71, -74.01, 20, 64497, "Example Mobile", nil},
	"198.51.100.50": {"GB", "London", 51.51, -0.13, 20, 64498, "Example UK Broadband", nil},
	"198.51.100.70": {"JP", "Tokyo", 35.68, 139.69, 20, 64499, "Example JP Broadband", nil},
	"198.51.100.90": {"KR", "Seoul", 37.57, 126.98, 50, 64505, "Example KR Broadband", nil},
	"203.0.113.5":   {"US", "Los Angeles", 34.05, -118.24, 50, 9009, "ASTRILL-VPN", []ipintel.Tag{ipintel.TagAstrill, ipintel.TagVPN}},
	"203.0.113.6":   {"NL", "Amsterdam", 52.37, 4.90, 50, 64501, "Example VPN", []ipintel.Tag{ipintel.TagVPN}},
	"203.0.113.7":   {"DE", "Frankfurt", 50.11, 8.68, 50, 64502, "Example Hosting", []ipintel.Tag{ipintel.TagHosting}},
	"203.0.113.8":   {"US", "Dallas", 32.78, -96.80, 20, 64503, "Example Telecom", []ipintel.Tag{ipintel.TagIOC}},
	"203.0.113.100": {"US", "San Jose", 37.34, -121.89, 20, 64510, "Example Corp", []ipintel.Tag{ipintel.TagCorporate}},
	"203.0.113.102": {"US", "Ashburn", 39.04, -77.49, 20, 64512, "Example VPN Provider", []ipintel.Tag{ipintel.TagVPN, ipintel.TagCorporate}},
	"203.0.113.101": {"SG", "Singapore", 1.35, 103.82, 20, 64511, "Example ZTNA", []ipintel.Tag{ipintel.TagCorporate}},
}

// lookupTable is an IP intelligence answer for the test networks.
func lookupTable(a netip.Addr) ipintel.Info {
	n, ok := testNetworks[a.String()]
	if !ok {
		return ipintel.Info{Addr: a}
	}
	info := ipintel.Info{Addr: a, Country: n.country, City: n.city, Lat: n.lat, Lon: n.lon, HasCoords: true,
		AccuracyKM: n.acc, ASN: n.asn, Org: n.org}
	for _, t := range n.tags {
		info.Tags = info.Tags.With(t)
		info.Matches = append(info.Matches, ipintel.Match{Tag: t, Feed: "test-" + t.String()})
	}
	return info
}

// sig is the part of a signal that tests compare.
type sig struct {
	Person, Indicator, Key string
}

// scenario is the input of a table-driven detector test.
type scenario struct {
	profiles []Profile
	events   []*unmask.Event
	// sweep, when set, runs Sweep at that time after the events.
	sweep        time.Time
	suppressions []Suppression
}

// MustRun runs the scenario through an Engine with the given detectors and returns the
// signals, checking that every signal is valid and explained.
func MustRun(tb testing.TB, sc scenario, detectors ...Detector) []unmask.Signal {
	tb.Helper()
	now := sc.sweep
	if now.IsZero() {
		now = monday
	}
	eng, err := New(Options{Detectors: detectors, Lookup: lookupTable, Suppressions: sc.suppressions, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range sc.profiles {
		eng.SetProfile(p)
	}
	var out []unmask.Signal
	for _, e := range sc.events {
		out = append(out, eng.Process(e)...)
	}
	if !sc.sweep.IsZero() {
		out = append(out, eng.Sweep()...)
	}
	for _, s := range out {
		if err := s.Validate(); err != nil {
			tb.Errorf("invalid signal %+v: %v", s, err)
		}
		if !strings.HasSuffix(s.Explanation, ".") || s.Key == "" {
			tb.Errorf("signal %s/%s lacks an explanation sentence or key: %+v", s.Indicator, s.Key, s)
		}
	}
	return out
}

// summarize returns the comparable parts of signals, sorted.
func summarize(signals []unmask.Signal) []sig {
	var out []sig
	for _, s := range signals {
		out = append(out, sig{s.PersonID, s.Indicator, s.Key})
	}
	slices.SortFunc(out, func(a, b sig) int {
		return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.Key, b.Key))
	})
	return out
}
