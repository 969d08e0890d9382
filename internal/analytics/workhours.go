package analytics

import (
	"fmt"
	"math"
	"math/bits"
	"time"

	"github.com/unmask/unmask"
)

// HoursOptions configures WorkHours. Zero fields take the documented defaults.
type HoursOptions struct {
	// Kinds are the event kinds that show a person at work; default sign_in, mfa, git,
	// file_share and admin (machine-driven kinds such as dns or inventory are not).
	Kinds []unmask.EventKind
	// MinActiveHours is how many distinct active hours are needed before judging;
	// default 60 (about two working weeks).
	MinActiveHours int
	// HalfLife halves the histograms this often, so they reflect recent weeks; default
	// 14 days.
	HalfLife time.Duration
	// AsiaZones are the zones tested for N-08; default Asia/Pyongyang and Asia/Shanghai.
	AsiaZones []string
	// AsiaMinShare is the share of active hours in an Asian zone's weekday 09–18 that
	// raises N-08; default 0.75.
	AsiaMinShare float64
	// ClaimedMaxShare is the most activity in the claimed working hours (weekdays,
	// Profile.WorkStart–WorkEnd) that still counts as a mismatch; default 0.2.
	ClaimedMaxShare float64
	// MaxWeekendShare is the most activity on the Asian zone's weekend for N-08, so a
	// second shift that spills into the Asian Saturday is not mistaken; default 0.1.
	MaxWeekendShare float64
	// MaxOffsetError is how far the estimated UTC offset may be from an Asian zone's
	// offset for N-08, in hours; default 1.5.
	MaxOffsetError float64
	// MismatchHours is the least difference between the estimated and the claimed UTC
	// offset that raises O-10; default 6.
	MismatchHours float64
	// MinConcentration is the least mean resultant length (0–1) of the activity hours
	// for an offset estimate to count; default 0.5.
	MinConcentration float64
	// CoverageHours: a UTC day with activity in at least this many hours is 24×7-like;
	// default 20.
	CoverageHours int
	// MaxSpanHours: continuous activity longer than this many hours is 24×7-like;
	// default 16.
	MaxSpanHours int
	// CoverageDays is how many 24×7-like days within a week raise N-08; default 2.
	CoverageDays int
}

func (o HoursOptions) withDefaults() HoursOptions {
	if o.Kinds == nil {
		o.Kinds = []unmask.EventKind{unmask.KindSignIn, unmask.KindMFA, unmask.KindGit, unmask.KindFileShare, unmask.KindAdmin}
	}
	if o.AsiaZones == nil {
		o.AsiaZones = []string{"Asia/Pyongyang", "Asia/Shanghai"}
	}
	o.MinActiveHours = cmpOr(o.MinActiveHours, 60)
	o.HalfLife = cmpOr(o.HalfLife, 14*24*time.Hour)
	o.AsiaMinShare = cmpOr(o.AsiaMinShare, 0.75)
	o.ClaimedMaxShare = cmpOr(o.ClaimedMaxShare, 0.2)
	o.MaxWeekendShare = cmpOr(o.MaxWeekendShare, 0.1)
	o.MaxOffsetError = cmpOr(o.MaxOffsetError, 1.5)
	o.MismatchHours = cmpOr(o.MismatchHours, 6)
	o.MinConcentration = cmpOr(o.MinConcentration, 0.5)
	o.CoverageHours = cmpOr(o.CoverageHours, 20)
	o.MaxSpanHours = cmpOr(o.MaxSpanHours, 16)
	o.CoverageDays = cmpOr(o.CoverageDays, 2)
	return o
}

// WorkHours infers a person's working time zone from when they are active and compares
// it with the zone they claim (N-08, O-10), and flags 24×7 activity (N-08).
//
// Each distinct active hour (not each event) is counted once into two 168-bin
// hour-of-week histograms: one in UTC and one in the claimed IANA zone, converted with
// time.LoadLocation so daylight saving time is honoured. From them it derives the share
// of activity in the claimed weekday working hours, the share in 09:00–18:00 on
// weekdays of each Asian zone, and a circular estimate of the UTC offset: the mean
// activity hour as an angle on the 24-hour clock, whose mean resultant length is the
// confidence, is assumed to be 13:30 local time. A git event whose commit offset
// (Fields["commit.tz"]) is three or more hours from the claimed zone also raises O-10.
// State: about 800 bytes per person.
type WorkHours struct {
	opts  HoursOptions
	kinds map[unmask.EventKind]bool
	zones map[string]*time.Location // nil value: the zone failed to load
	st    map[string]*hoursState
}

type hoursState struct {
	utc, local [168]uint16
	total      int
	zone       string // the zone local is binned in
	days       [8]dayMask
	halveAt    time.Time
	evalDay    int64
}

type dayMask struct {
	day     int64 // days since the Unix epoch, UTC
	mask    uint32
	covered bool
}

// NewWorkHours returns a WorkHours detector.
func NewWorkHours(opts HoursOptions) *WorkHours {
	opts = opts.withDefaults()
	d := &WorkHours{opts: opts, kinds: map[unmask.EventKind]bool{}, zones: map[string]*time.Location{}, st: map[string]*hoursState{}}
	for _, k := range opts.Kinds {
		d.kinds[k] = true
	}
	return d
}

var (
	specHoursAsia     = spec{"analytics:work-hours", "N-08", unmask.SeverityMedium, 0.5}
	specHoursCoverage = spec{"analytics:work-hours", "N-08", unmask.SeverityMedium, 0.4}
	specHoursZone     = spec{"analytics:work-hours", "O-10", unmask.SeverityLow, 0.3}
)

// location returns the loaded zone name, or nil if it does not load.
func (d *WorkHours) location(name string) *time.Location {
	if name == "" {
		return nil
	}
	loc, ok := d.zones[name]
	if !ok {
		l, err := time.LoadLocation(name)
		if err == nil {
			loc = l
		}
		d.zones[name] = loc
	}
	return loc
}

// Observe implements Detector.
func (d *WorkHours) Observe(in *Input) []Finding {
	ev := in.Event
	if !d.kinds[ev.Kind] || ev.Outcome == unmask.OutcomeFailure || ev.Time.IsZero() {
		return nil
	}
	st := d.st[ev.PersonID]
	if st == nil {
		st = &hoursState{halveAt: ev.Time.Add(d.opts.HalfLife), evalDay: -1}
		d.st[ev.PersonID] = st
	}
	loc := d.location(in.Profile.TimeZone)
	if in.Profile.TimeZone != st.zone {
		st.local, st.zone = [168]uint16{}, in.Profile.TimeZone
	}
	out := d.commitZone(ev, in.Profile, loc)
	slot, ok := st.mark(ev.Time)
	if !ok {
		return out
	}
	st.add(ev.Time, loc)
	for ev.Time.After(st.halveAt) {
		st.halve()
		st.halveAt = st.halveAt.Add(d.opts.HalfLife)
	}
	if f, ok := d.coverage(st, slot, ev); ok {
		out = append(out, f)
	}
	if day := ev.Time.Unix() / 86400; day != st.evalDay && st.total >= d.opts.MinActiveHours && loc != nil {
		st.evalDay = day
		out = append(out, d.zone(st, in.Profile, loc, ev)...)
	}
	return out
}

// mark records t's hour in the day ring and reports whether the hour is new.
func (st *hoursState) mark(t time.Time) (*dayMask, bool) {
	h := t.Unix() / 3600
	day := h / 24
	slot := &st.days[day%int64(len(st.days))]
	if slot.day != day {
		if slot.day > day && slot.mask != 0 {
			return nil, false // older than the ring
		}
		*slot = dayMask{day: day}
	}
	bit := uint32(1) << (h % 24)
	if slot.mask&bit != 0 {
		return nil, false
	}
	slot.mask |= bit
	return slot, true
}

func hourOfWeek(t time.Time) int { return int(t.Weekday())*24 + t.Hour() }

func (st *hoursState) add(t time.Time, loc *time.Location) {
	st.utc[hourOfWeek(t.UTC())]++
	if loc != nil {
		st.local[hourOfWeek(t.In(loc))]++
	}
	st.total++
	if st.total >= math.MaxUint16-1 {
		st.halve()
	}
}

func (st *hoursState) halve() {
	st.total = 0
	for i := range st.utc {
		st.utc[i] /= 2
		st.local[i] /= 2
		st.total += int(st.utc[i])
	}
}

// coverage checks the day of slot for 24×7-like activity and raises N-08 when enough
// days in the ring are.
func (d *WorkHours) coverage(st *hoursState, slot *dayMask, ev *unmask.Event) (Finding, bool) {
	if slot.covered {
		return Finding{}, false
	}
	combined := uint64(slot.mask)
	if prev := &st.days[(slot.day-1)%int64(len(st.days))]; prev.day == slot.day-1 {
		combined = combined<<24 | uint64(prev.mask)
	}
	span := longestRun(combined)
	if bits.OnesCount32(slot.mask) < d.opts.CoverageHours && span <= d.opts.MaxSpanHours {
		return Finding{}, false
	}
	slot.covered = true
	days := 0
	for _, x := range st.days {
		if x.covered && slot.day-x.day < 7 {
			days++
		}
	}
	if days < d.opts.CoverageDays {
		return Finding{}, false
	}
	expl := fmt.Sprintf("Activity covered %d of the last 7 days around the clock (at least %d active hours in a day or more than %d hours without a break; longest run %d hours), consistent with several people sharing the account.",
		days, d.opts.CoverageHours, d.opts.MaxSpanHours, span)
	return specHoursCoverage.finding(ev.PersonID, ev.Time, 1, "N-08:24x7", "24x7", expl, ev.ID), true
}

// longestRun returns the length of the longest run of one bits in x.
func longestRun(x uint64) int {
	n := 0
	for x != 0 {
		x &= x << 1
		n++
	}
	return n
}

// Forget implements Forgetter.
func (d *WorkHours) Forget(person string) {
	delete(d.st, person)
}
