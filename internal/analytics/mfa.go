package analytics

import (
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// MFAOptions configures MFA. Zero fields take the documented defaults.
type MFAOptions struct {
	// HardwareWithin is how long after hire a person may go without a hardware factor;
	// default 14 days.
	HardwareWithin time.Duration
	// HardwareFactors are the Fields["factor"] values that are phishing-resistant
	// hardware factors; default webauthn, fido2, u2f, security_key, token:hardware.
	HardwareFactors []string
	// MaxPeople caps the people remembered per MFA device; default 16.
	MaxPeople int
	// MinAdoption is the share of the people past HardwareWithin who must have a
	// hardware factor before O-06 is raised for those who have none; default 0.5. Below
	// it the organisation does not use hardware keys, and lacking one says nothing.
	MinAdoption float64
}

// MFA raises O-06 (on Sweep) when a person has no FIDO2/WebAuthn factor HardwareWithin
// after hire, and O-07 when one MFA device (Fields["mfa.device_id"]) completes MFA for
// several people. Documented shared service accounts belong in a suppression.
type MFA struct {
	opts     MFAOptions
	hardware map[string]bool // person → has a hardware factor
	reported map[string]bool
	devices  map[string]*sharedValue
}

// NewMFA returns an MFA detector.
func NewMFA(opts MFAOptions) *MFA {
	opts.HardwareWithin = cmpOr(opts.HardwareWithin, 14*24*time.Hour)
	if opts.HardwareFactors == nil {
		opts.HardwareFactors = []string{"webauthn", "fido2", "u2f", "security_key", "token:hardware"}
	}
	opts.MaxPeople = cmpOr(opts.MaxPeople, 16)
	opts.MinAdoption = cmpOr(opts.MinAdoption, 0.5)
	return &MFA{opts: opts, hardware: map[string]bool{}, reported: map[string]bool{}, devices: map[string]*sharedValue{}}
}

var (
	specNoHardware = spec{"analytics:mfa", "O-06", unmask.SeverityLow, 0.3}
	specMFAShared  = spec{"analytics:mfa", "O-07", unmask.SeverityHigh, 0.7}
)

// Observe implements Detector.
func (d *MFA) Observe(in *Input) []Finding {
	ev := in.Event
	if (ev.Kind != unmask.KindMFA && !signIn(ev)) || ev.Outcome == unmask.OutcomeFailure {
		return nil
	}
	if f := ev.Fields[FieldFactor]; f != "" && d.isHardware(f) {
		d.hardware[ev.PersonID] = true
	}
	dev := ev.Fields[FieldMFADevice]
	if dev == "" {
		return nil
	}
	s := d.devices[dev]
	if s == nil {
		s = &sharedValue{}
		d.devices[dev] = s
	}
	// Each person is their own household here: even a couple should not share a factor.
	if !s.add(sharedPerson{ev.PersonID, ev.PersonID, ev.ID}, d.opts.MaxPeople) || len(s.people) < 2 {
		return nil
	}
	expl := fmt.Sprintf("One MFA device completed multi-factor authentication for %d different people.", len(s.people))
	var out []Finding
	for _, h := range s.people {
		out = append(out, specMFAShared.finding(h.person, ev.Time, 1, "O-07:"+dev, dev, expl, s.events()...))
	}
	return out
}

func (d *MFA) isHardware(f string) bool {
	for _, h := range d.opts.HardwareFactors {
		if strings.EqualFold(h, f) {
			return true
		}
	}
	return false
}

// Sweep implements Sweeper: it raises O-06 once per person past HardwareWithin without a
// hardware factor, when at least MinAdoption of those past it have one.
func (d *MFA) Sweep(now time.Time, people iter.Seq[*Profile]) []Finding {
	type due struct {
		p      *Profile
		tenure time.Duration
	}
	var without []due
	past := 0
	for p := range people {
		t, ok := p.tenure(now)
		if !ok || t < d.opts.HardwareWithin {
			continue
		}
		past++
		if !p.HardwareFactor && !d.hardware[p.PersonID] {
			without = append(without, due{p, t})
		}
	}
	if past == 0 || float64(past-len(without)) < d.opts.MinAdoption*float64(past) {
		return nil
	}
	var out []Finding
	for _, w := range without {
		if d.reported[w.p.PersonID] {
			continue
		}
		d.reported[w.p.PersonID] = true
		expl := fmt.Sprintf("No FIDO2/WebAuthn hardware factor is enrolled %d days after hire, where most colleagues have one.", int(w.tenure.Hours()/24))
		out = append(out, specNoHardware.finding(w.p.PersonID, now, 1, "O-06", "", expl))
	}
	return out
}

// Forget implements Forgetter.
func (d *MFA) Forget(person string) {
	delete(d.hardware, person)
	delete(d.reported, person)
}
