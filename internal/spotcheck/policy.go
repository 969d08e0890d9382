package spotcheck

import (
	"time"

	"github.com/unmask/unmask"
)

// Reasons a check was scheduled (unmask.SpotCheck.Reason).
const (
	ReasonRandom  = "random"
	ReasonRisk    = "risk"
	ReasonNewHire = "new_hire"
	ReasonManual  = "manual"
)

// day is 24 hours; periods and gaps count in days of elapsed time, not calendar days.
const day = 24 * time.Hour

// Policy decides which workers get on-camera checks and when. The zero value checks nobody;
// DefaultPolicy is a reasonable start.
type Policy struct {
	// PeriodDays is the length of a sampling period.
	PeriodDays int `yaml:"period_days" json:"period_days"`
	// RandomRate is the chance, 0 to 1, that a worker gets a random check in a period.
	RandomRate float64 `yaml:"random_rate" json:"random_rate"`
	// BandExtra is how many more checks per period each risk band calls for; a worker
	// without a score counts as low.
	BandExtra map[unmask.RiskBand]int `yaml:"band_extra" json:"band_extra"`
	// NewHire sets the mandatory checks of new hires.
	NewHire NewHirePolicy `yaml:"new_hire" json:"new_hire"`
	// MinGapDays is the least time between a check and the next random or risk check.
	MinGapDays int `yaml:"min_gap_days" json:"min_gap_days"`
	// Hours are when checks may be due, in the worker's time zone.
	Hours BusinessHours `yaml:"business_hours" json:"business_hours"`
	// DefaultTimeZone is used for workers who claim no (or an unknown) IANA time zone; ""
	// means UTC.
	DefaultTimeZone string `yaml:"default_time_zone" json:"default_time_zone"`
	// NoticeHours is the least time between planning a check and its due time.
	NoticeHours int `yaml:"notice_hours" json:"notice_hours"`
	// GraceHours is how long after its due time a check without a result is marked missed.
	GraceHours int `yaml:"grace_hours" json:"grace_hours"`
	// AheadDays is how long before a new-hire window opens its check is scheduled.
	AheadDays int `yaml:"ahead_days" json:"ahead_days"`
}

// NewHirePolicy sets the mandatory checks of new hires.
type NewHirePolicy struct {
	// WithinDays is the window after the hire date in which the first check is due; 0
	// turns new-hire checks off.
	WithinDays int `yaml:"within_days" json:"within_days"`
	// AgainDays starts the window of the second check, as many days after the hire date;
	// 0 means no second check.
	AgainDays int `yaml:"again_days" json:"again_days"`
}

// BusinessHours are the local hours in which checks are due: from Start (inclusive) to End
// (exclusive), Monday to Friday unless Weekends is set.
type BusinessHours struct {
	Start    int  `yaml:"start" json:"start"`
	End      int  `yaml:"end" json:"end"`
	Weekends bool `yaml:"weekends" json:"weekends"`
}

// DefaultPolicy checks one worker in ten at random every 30 days, adds one to four checks
// a period for medium to critical risk, checks new hires in their first week and again
// after 90 days, keeps a week between checks, and calls between 10:00 and 16:00 on
// weekdays with at least four hours' notice; a check without a result two days after it
// was due is missed.
func DefaultPolicy() Policy {
	return Policy{
		PeriodDays:  30,
		RandomRate:  0.1,
		BandExtra:   map[unmask.RiskBand]int{unmask.BandMedium: 1, unmask.BandHigh: 2, unmask.BandCritical: 4},
		NewHire:     NewHirePolicy{WithinDays: 7, AgainDays: 90},
		MinGapDays:  7,
		Hours:       BusinessHours{Start: 10, End: 16},
		NoticeHours: 4,
		GraceHours:  48,
		AheadDays:   14,
	}
}

// Validate reports whether p is usable, as EINVALID naming the first bad field.
func (p Policy) Validate() error {
	switch {
	case p.PeriodDays < 1:
		return unmask.Errorf(unmask.EINVALID, "Spot-check period_days must be at least 1.")
	case p.RandomRate < 0 || p.RandomRate > 1:
		return unmask.Errorf(unmask.EINVALID, "Spot-check random_rate %v is outside 0..1.", p.RandomRate)
	case p.NewHire.WithinDays < 0 || p.NewHire.AgainDays < 0:
		return unmask.Errorf(unmask.EINVALID, "Spot-check new_hire days must not be negative.")
	case p.NewHire.AgainDays > 0 && p.NewHire.AgainDays < p.NewHire.WithinDays:
		return unmask.Errorf(unmask.EINVALID, "Spot-check new_hire.again_days must be at least within_days, so the windows do not overlap.")
	case p.MinGapDays < 0 || p.NoticeHours < 0 || p.GraceHours < 0 || p.AheadDays < 0:
		return unmask.Errorf(unmask.EINVALID, "Spot-check gaps, notice, grace and ahead must not be negative.")
	case p.Hours.Start < 0 || p.Hours.End > 24 || p.Hours.Start >= p.Hours.End:
		return unmask.Errorf(unmask.EINVALID, "Spot-check business hours %d–%d are not a range within 0..24.", p.Hours.Start, p.Hours.End)
	}
	for b, n := range p.BandExtra {
		if n < 0 || n > 31 {
			return unmask.Errorf(unmask.EINVALID, "Spot-check band_extra for %s is %d, want 0..31.", b, n)
		}
	}
	if p.DefaultTimeZone != "" {
		if _, err := time.LoadLocation(p.DefaultTimeZone); err != nil {
			return unmask.Errorf(unmask.EINVALID, "Spot-check default_time_zone %q is not an IANA time zone.", p.DefaultTimeZone)
		}
	}
	return nil
}

// Place returns when a check wanted at t is due: t itself, rounded up to a quarter hour,
// if that falls in business hours in loc; otherwise a point u (0 to 1) of the way through
// the next business window, rounded down to a quarter hour. Local hours are wall-clock
// hours, so a check stays at the same local time across daylight-saving changes; on the
// day of a change the window holds only the local times that exist and fall within it.
func (h BusinessHours) Place(t time.Time, loc *time.Location, u float64) time.Time {
	l := t.In(loc)
	for i := range 8 {
		noon := time.Date(l.Year(), l.Month(), l.Day()+i, 12, 0, 0, 0, loc) // exists on every day
		open := opening(noon, h.Start)
		shut := closing(noon, h.End)
		if !h.Weekends && (noon.Weekday() == time.Saturday || noon.Weekday() == time.Sunday) || !open.Before(shut) {
			continue // not a business day, or its window falls in the time a DST change skips
		}
		if !t.Before(open) {
			if r := roundUp(t); r.Before(shut) {
				return r.In(loc)
			}
			continue
		}
		offset := time.Duration(u * float64(shut.Sub(open)))
		return open.Add(offset).Truncate(15 * time.Minute).In(loc)
	}
	return t // unreachable for valid hours: some day of any 8 is a weekday
}

// opening returns the first instant of the day of noon whose local hour is at least start.
// time.Date may put a wall time that a DST change skips before the change; step past it.
func opening(noon time.Time, start int) time.Time {
	loc := noon.Location()
	open := time.Date(noon.Year(), noon.Month(), noon.Day(), start, 0, 0, 0, loc)
	for range 16 {
		if l := open.In(loc); l.Day() == noon.Day() && l.Hour() >= start {
			break
		}
		open = open.Add(15 * time.Minute)
	}
	return open
}

// closing returns the first instant of the day of noon whose local hour is end or later
// (the next midnight for 24). When DST repeats the end hour, time.Date may pick its second
// occurrence; step back to the first.
func closing(noon time.Time, end int) time.Time {
	loc := noon.Location()
	shut := time.Date(noon.Year(), noon.Month(), noon.Day(), end, 0, 0, 0, loc)
	past := func(x time.Time) bool {
		l := x.In(loc)
		return l.Day() != noon.Day() || l.Hour() >= end
	}
	for range 16 {
		prev := shut.Add(-15 * time.Minute)
		if !past(prev) {
			break
		}
		shut = prev
	}
	return shut
}

// roundUp rounds t up to a quarter hour. Every time zone's offset is a multiple of 15
// minutes, so this is a local quarter hour too.
func roundUp(t time.Time) time.Time {
	r := t.Truncate(15 * time.Minute)
	if r.Before(t) {
		r = r.Add(15 * time.Minute)
	}
	return r
}

// location returns the worker's claimed time zone, else the default, else UTC.
func (p Policy) location(tz string, cache map[string]*time.Location) *time.Location {
	for _, name := range []string{tz, p.DefaultTimeZone} {
		if name == "" {
			continue
		}
		if loc, ok := cache[name]; ok {
			if loc != nil {
				return loc
			}
			continue
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			loc = nil
		}
		cache[name] = loc
		if loc != nil {
			return loc
		}
	}
	return time.UTC
}
