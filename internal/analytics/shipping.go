package analytics

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// sharedValue tracks which people hold one value (an address, a bank account, an MFA
// device), bounded to a few people.
type sharedValue struct {
	people []sharedPerson
}

type sharedPerson struct {
	person, household, event string
}

// add records a person and returns whether they were new; full sets ignore newcomers.
func (s *sharedValue) add(p sharedPerson, limit int) bool {
	for i := range s.people {
		if s.people[i].person == p.person {
			s.people[i].event = p.event
			return false
		}
	}
	if len(s.people) >= limit {
		return false
	}
	s.people = append(s.people, p)
	return true
}

// households counts distinct households among the people.
func (s *sharedValue) households() int {
	seen := make(map[string]bool, len(s.people))
	for _, p := range s.people {
		seen[p.household] = true
	}
	return len(seen)
}

// events returns every holder's latest event id.
func (s *sharedValue) events() []string {
	ids := make([]string, 0, len(s.people))
	for _, p := range s.people {
		ids = append(ids, p.event)
	}
	return ids
}

// ShippingOptions configures Shipping.
type ShippingOptions struct {
	// MaxPeople caps the people remembered per ship-to address; default 16.
	MaxPeople int
}

// Shipping raises O-01 when a laptop ship-to address differs from the verified home
// address or changes after it was first set, and O-02 when one ship-to address is used
// for people of different households. It reads hr_change events ship_to.change and
// laptop.shipped with Fields["address.key"], and laptop.delivered whose address.key (the
// carrier's delivery address) differs from the ship-to address. State: one key per person plus the holders
// of each ship-to address.
type Shipping struct {
	opts   ShippingOptions
	last   map[string]string
	byAddr map[string]*sharedValue
}

// NewShipping returns a Shipping detector.
func NewShipping(opts ShippingOptions) *Shipping {
	opts.MaxPeople = cmpOr(opts.MaxPeople, 16)
	return &Shipping{opts: opts, last: map[string]string{}, byAddr: map[string]*sharedValue{}}
}

var (
	specShipTo     = spec{"analytics:shipping", "O-01", unmask.SeverityMedium, 0.4}
	specShipShared = spec{"analytics:shipping", "O-02", unmask.SeverityHigh, 0.7}
)

// Observe implements Detector.
func (d *Shipping) Observe(in *Input) []Finding {
	ev := in.Event
	key := ev.Fields[FieldAddressKey]
	if ev.Kind != unmask.KindHRChange || key == "" {
		return nil
	}
	switch ev.Action {
	case ActionShipToChange, ActionLaptopShipped:
	case ActionLaptopDelivered:
		return d.delivered(ev, in.Profile, key)
	default:
		return nil
	}
	var out []Finding
	p := in.Profile
	if p.Home.Key != "" && key != p.Home.Key {
		out = append(out, specShipTo.finding(ev.PersonID, ev.Time, 1, "O-01:home:"+key, key,
			"The laptop ship-to address differs from the verified HR home address.", ev.ID))
	}
	if prev := d.last[ev.PersonID]; prev != "" && prev != key {
		out = append(out, specShipTo.finding(ev.PersonID, ev.Time, 1.25, "O-01:change:"+key, key,
			"The laptop ship-to address was changed after it was first set.", ev.ID))
	}
	d.last[ev.PersonID] = key
	s := d.byAddr[key]
	if s == nil {
		s = &sharedValue{}
		d.byAddr[key] = s
	}
	if !s.add(sharedPerson{ev.PersonID, p.household(), ev.ID}, d.opts.MaxPeople) || s.households() < 2 {
		return out
	}
	expl := fmt.Sprintf("The laptop ship-to address is shared by %d people from %d different households, a laptop-farm pattern.", len(s.people), s.households())
	for _, h := range s.people {
		out = append(out, specShipShared.finding(h.person, ev.Time, 1, "O-02:"+key, key, expl, s.events()...))
	}
	return out
}

// delivered raises O-01 when the carrier's delivery address differs from the ship-to
// address on record.
func (d *Shipping) delivered(ev *unmask.Event, p *Profile, key string) []Finding {
	want := d.last[ev.PersonID]
	if want == "" {
		want = p.ShipTo.Key
	}
	if want == "" || want == key {
		return nil
	}
	return []Finding{specShipTo.finding(ev.PersonID, ev.Time, 1.25, "O-01:delivered:"+key, key,
		"The laptop was delivered to a different address from the ship-to address on record.", ev.ID)}
}

// SerialOptions configures Serials. Zero fields take the documented defaults.
type SerialOptions struct {
	// EnrolWithin is how long after shipment or delivery a laptop must enrol in MDM;
	// default 10 days.
	EnrolWithin time.Duration
	// FarKM is the distance from the ship-to address beyond which an enrolment is far;
	// default 500.
	FarKM float64
	// MaxShipments caps the shipments remembered per person; default 4.
	MaxShipments int
}

// Serials raises O-05 when MDM reports a serial that IT did not assign to the person,
// when a shipped laptop never enrols within EnrolWithin (on Sweep), and when a laptop
// first enrols from an address far from the ship-to address. It reads hr_change
// laptop.shipped and laptop.delivered with Serial, and device_inventory events with
// Serial (Action mdm.enroll, or the first sighting of a serial, is the enrolment).
type Serials struct {
	opts SerialOptions
	st   map[string]*serialState
}

type serialState struct {
	shipments []shipment
	seen      []string
}

type shipment struct {
	serial, event      string
	at                 time.Time
	enrolled, reported bool
}

// NewSerials returns a Serials detector.
func NewSerials(opts SerialOptions) *Serials {
	opts.EnrolWithin = cmpOr(opts.EnrolWithin, 10*24*time.Hour)
	opts.FarKM = cmpOr(opts.FarKM, 500)
	opts.MaxShipments = cmpOr(opts.MaxShipments, 4)
	return &Serials{opts: opts, st: map[string]*serialState{}}
}

var (
	specSerial      = spec{"analytics:serial", "O-05", unmask.SeverityHigh, 0.7}
	specNeverEnrols = spec{"analytics:serial", "O-05", unmask.SeverityMedium, 0.5}
	specEnrolFar    = spec{"analytics:serial", "O-05", unmask.SeverityMedium, 0.4}
)

func (d *Serials) state(person string) *serialState {
	st := d.st[person]
	if st == nil {
		st = &serialState{}
		d.st[person] = st
	}
	return st
}

// Observe implements Detector.
func (d *Serials) Observe(in *Input) []Finding {
	ev := in.Event
	serial := normSerial(ev.Serial)
	if serial == "" {
		return nil
	}
	switch {
	case ev.Kind == unmask.KindHRChange && (ev.Action == ActionLaptopShipped || ev.Action == ActionLaptopDelivered):
		d.ship(d.state(ev.PersonID), serial, ev)
		return nil
	case ev.Kind != unmask.KindDeviceInventory:
		return nil
	}
	st := d.state(ev.PersonID)
	first := !contains(st.seen, serial)
	if first {
		if len(st.seen) >= 8 {
			st.seen = st.seen[1:]
		}
		st.seen = append(st.seen, serial)
	}
	for i := range st.shipments {
		if st.shipments[i].serial == serial {
			st.shipments[i].enrolled = true
		}
	}
	var out []Finding
	if p := in.Profile; len(p.AssignedSerials) > 0 && !p.assigned(serial) {
		expl := fmt.Sprintf("MDM reports a laptop with serial %s for the person, but IT assigned %s.", serial, strings.Join(p.AssignedSerials, ", "))
		out = append(out, specSerial.finding(ev.PersonID, ev.Time, 1, "O-05:serial:"+serial, serial, expl, ev.ID))
	}
	if to := in.Profile.ShipTo; (first || ev.Action == ActionEnroll) && to.Geocoded && in.Geo.OK && !in.untrusted() && !in.corporate() {
		if km := haversineKM(to.Lat, to.Lon, in.Geo.Lat, in.Geo.Lon) - in.Geo.AccuracyKM; km > d.opts.FarKM {
			expl := fmt.Sprintf("Laptop %s enrolled from %s, about %.0f km from the address it was shipped to.", serial, place(in.Geo), km)
			out = append(out, specEnrolFar.finding(ev.PersonID, ev.Time, 1, "O-05:far:"+serial, serial, expl, ev.ID))
		}
	}
	return out
}

// ship records a shipment or delivery of serial; a delivery restarts its clock.
func (d *Serials) ship(st *serialState, serial string, ev *unmask.Event) {
	for i := range st.shipments {
		if s := &st.shipments[i]; s.serial == serial {
			if ev.Action == ActionLaptopDelivered {
				s.at, s.event = ev.Time, ev.ID
			}
			return
		}
	}
	if len(st.shipments) >= d.opts.MaxShipments {
		st.shipments = st.shipments[1:]
	}
	st.shipments = append(st.shipments, shipment{serial: serial, event: ev.ID, at: ev.Time, enrolled: contains(st.seen, serial)})
}

// Sweep implements Sweeper: it raises O-05 for shipped laptops that never enrolled.
func (d *Serials) Sweep(now time.Time, _ iter.Seq[*Profile]) []Finding {
	var out []Finding
	for person, st := range d.st {
		for i := range st.shipments {
			s := &st.shipments[i]
			if s.enrolled || s.reported || now.Sub(s.at) <= d.opts.EnrolWithin {
				continue
			}
			s.reported = true
			days := strconv.Itoa(int(now.Sub(s.at).Hours() / 24))
			expl := "Laptop " + s.serial + " was shipped or delivered " + days + " days ago and has never enrolled in MDM."
			out = append(out, specNeverEnrols.finding(person, now, 1, "O-05:never:"+s.serial, s.serial, expl, s.event))
		}
	}
	return out
}

// Forget implements Forgetter.
func (d *Shipping) Forget(person string) {
	delete(d.last, person)
}

// Forget implements Forgetter.
func (d *Serials) Forget(person string) {
	delete(d.st, person)
}
