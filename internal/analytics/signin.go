package analytics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ipintel"
)

// signIn reports whether ev is a sign-in that did not fail.
func signIn(ev *unmask.Event) bool {
	return ev.Kind == unmask.KindSignIn && ev.Outcome != unmask.OutcomeFailure
}

// EgressOptions configures Egress. Zero fields take the documented defaults.
type EgressOptions struct {
	// NewHireDays is how long after the hire date a sign-in weighs more; default 90.
	NewHireDays int
	// NewHireBoost multiplies the weight of a new hire's sign-in; default 1.5.
	NewHireBoost float64
	// UnmanagedBoost multiplies the weight when the device is unmanaged; default 1.25.
	UnmanagedBoost float64
}

func (o EgressOptions) withDefaults() EgressOptions {
	o.NewHireDays = cmpOr(o.NewHireDays, 90)
	o.NewHireBoost = cmpOr(o.NewHireBoost, 1.5)
	o.UnmanagedBoost = cmpOr(o.UnmanagedBoost, 1.25)
	return o
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Egress raises N-01 for sign-ins from Astrill VPN or IOC addresses and N-02 for
// sign-ins from commercial VPN, hosting, Tor or anonymiser egress. Corporate egress is
// never flagged. It is stateless. The finding's Value is the name of the feed that
// tagged the address, for suppressions.
type Egress struct {
	opts EgressOptions
}

// NewEgress returns an Egress detector.
func NewEgress(opts EgressOptions) *Egress { return &Egress{opts: opts.withDefaults()} }

var (
	specAstrill = spec{"analytics:egress", "N-01", unmask.SeverityHigh, 0.6}
	specVPN     = spec{"analytics:egress", "N-02", unmask.SeverityMedium, 0.3}
)

// Observe implements Detector.
func (d *Egress) Observe(in *Input) []Finding {
	ev := in.Event
	if !signIn(ev) || !in.Addr.IsValid() || in.corporate() {
		return nil
	}
	tags := in.IP.Tags
	sp, tag, what := specVPN, ipintel.Tag(0), ""
	switch {
	case tags.Has(ipintel.TagAstrill):
		sp, tag, what = specAstrill, ipintel.TagAstrill, "Astrill VPN egress"
	case tags.Has(ipintel.TagIOC):
		sp, tag, what = specAstrill, ipintel.TagIOC, "a threat-intelligence indicator"
	case tags.Has(ipintel.TagTor):
		tag, what = ipintel.TagTor, "a Tor exit node"
	case tags.Has(ipintel.TagVPN):
		tag, what = ipintel.TagVPN, "commercial VPN egress"
	case tags.Has(ipintel.TagAnonymous):
		tag, what = ipintel.TagAnonymous, "an anonymising proxy"
	case tags.Has(ipintel.TagHosting):
		tag, what = ipintel.TagHosting, "hosting or datacenter egress"
	default:
		return nil
	}
	feed := feedFor(in.IP, tag)
	boost, ctx := d.boost(in)
	expl := fmt.Sprintf("Sign-in from %s (%s), which the %s feed lists as %s%s.", in.Addr, asText(in.IP), feed, what, ctx)
	// One key per feed, not per address: a VPN user hopping between exit addresses is one
	// standing signal that each day's sign-ins update.
	return []Finding{sp.finding(ev.PersonID, ev.Time, boost, sp.indicator+":"+feed, feed, expl, ev.ID)}
}

// boost returns the weight multiplier for a new hire or an unmanaged device, and the
// words that explain it.
func (d *Egress) boost(in *Input) (float64, string) {
	boost, parts := 1.0, []string(nil)
	if t, ok := in.Profile.tenure(in.Event.Time); ok && t >= 0 && t < time.Duration(d.opts.NewHireDays)*24*time.Hour {
		boost *= d.opts.NewHireBoost
		parts = append(parts, fmt.Sprintf("the person was hired %d days earlier", int(t.Hours()/24)))
	}
	if in.Event.Fields[FieldDeviceManaged] == "false" {
		boost *= d.opts.UnmanagedBoost
		parts = append(parts, "the device is unmanaged")
	}
	if len(parts) == 0 {
		return boost, ""
	}
	return boost, "; " + strings.Join(parts, " and ")
}

// feedFor returns the name of the first feed that gave info tag t.
func feedFor(info ipintel.Info, t ipintel.Tag) string {
	for _, m := range info.Matches {
		if m.Tag == t {
			return m.Feed
		}
	}
	return "ip-intelligence"
}

// asText describes the network of an address: "AS9009 ASTRILL-VPN Ltd., GB".
func asText(info ipintel.Info) string {
	var parts []string
	if info.ASN != 0 {
		parts = append(parts, strings.TrimSpace(fmt.Sprintf("AS%d %s", info.ASN, info.Org)))
	}
	if info.Country != "" {
		parts = append(parts, info.Country)
	}
	if len(parts) == 0 {
		return "network unknown"
	}
	return strings.Join(parts, ", ")
}

// DeviceOptions configures Devices.
type DeviceOptions struct {
	// MaxKnown is how many managed device ids are remembered per person; default 8.
	MaxKnown int
}

// Devices raises N-05 when a person who was issued a managed laptop signs in from a
// device reported as unmanaged, or from a device id never seen in MDM. Sign-ins that
// carry no device information are not flagged. State: up to MaxKnown device ids per
// person.
type Devices struct {
	opts  DeviceOptions
	known map[string]*deviceState
}

type deviceState struct {
	managed []string
	issued  bool
}

// NewDevices returns a Devices detector.
func NewDevices(opts DeviceOptions) *Devices {
	opts.MaxKnown = cmpOr(opts.MaxKnown, 8)
	return &Devices{opts: opts, known: make(map[string]*deviceState)}
}

var specDevice = spec{"analytics:device", "N-05", unmask.SeverityMedium, 0.4}

// Observe implements Detector.
func (d *Devices) Observe(in *Input) []Finding {
	ev := in.Event
	managed := ev.Fields[FieldDeviceManaged]
	switch {
	case ev.Kind == unmask.KindDeviceInventory && ev.DeviceID != "":
		d.remember(ev.PersonID, ev.DeviceID)
		return nil
	case !signIn(ev):
		return nil
	case managed == "true" && ev.DeviceID != "":
		d.remember(ev.PersonID, ev.DeviceID)
		return nil
	}
	st := d.known[ev.PersonID]
	if len(in.Profile.AssignedSerials) == 0 && (st == nil || !st.issued) {
		return nil
	}
	var what, key string
	switch {
	case managed == "false":
		what, key = "a device the identity provider reports as unmanaged", "unmanaged:"+ev.DeviceID
	case ev.DeviceID != "" && st != nil && len(st.managed) > 0 && !contains(st.managed, ev.DeviceID):
		what, key = "device "+ev.DeviceID+", which never enrolled in MDM", "unenrolled:"+ev.DeviceID
	default:
		return nil
	}
	expl := fmt.Sprintf("Sign-in to %s from %s, although the person was issued a managed laptop.", orUnknown(ev.Target), what)
	return []Finding{specDevice.finding(ev.PersonID, ev.Time, 1, "N-05:"+key, ev.DeviceID, expl, ev.ID)}
}

func (d *Devices) remember(person, id string) {
	st := d.known[person]
	if st == nil {
		st = &deviceState{}
		d.known[person] = st
	}
	st.issued = true
	if contains(st.managed, id) {
		return
	}
	if len(st.managed) >= d.opts.MaxKnown {
		st.managed = st.managed[1:]
	}
	st.managed = append(st.managed, id)
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

func orUnknown(s string) string {
	if s == "" {
		return "an application"
	}
	return s
}

// Forget implements Forgetter.
func (d *Devices) Forget(person string) {
	delete(d.known, person)
}
