package analytics

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// zone compares the person's activity with the claimed zone loc: N-08 when it fits the
// working week of an Asian zone, O-10 when the estimated offset is far from the claim.
func (d *WorkHours) zone(st *hoursState, p *Profile, loc *time.Location, ev *unmask.Event) []Finding {
	ws, we := p.WorkStart, p.WorkEnd
	if ws == 0 && we == 0 {
		ws, we = 9, 18
	}
	claimed, _ := share(&st.local, 0, ws, we%24)
	if claimed > d.opts.ClaimedMaxShare {
		return nil
	}
	_, sec := ev.Time.In(loc).Zone()
	claimedOff := float64(sec) / 3600
	mean, r := circular(&st.utc)
	est := wrapOffset(midday - mean)
	if f, ok := d.asia(st, p, ev, claimed, claimedOff, est, r); ok {
		return []Finding{f}
	}
	if r < d.opts.MinConcentration || math.Abs(wrapOffset(est-claimedOff)) < d.opts.MismatchHours {
		return nil
	}
	expl := fmt.Sprintf("Activity centres on %s (confidence %.2f) but the claimed zone %s is %s; only %.0f%% of %d active hours fell in the claimed working hours.",
		offsetText(est), r, p.TimeZone, offsetText(claimedOff), claimed*100, st.total)
	return []Finding{specHoursZone.finding(ev.PersonID, ev.Time, r, "O-10", offsetText(math.Round(est)), expl, ev.ID)}
}

// specCommitZone is a commit whose author-date offset disagrees with the claimed zone.
var specCommitZone = spec{"analytics:work-hours", "O-10", unmask.SeverityLow, 0.2}

// commitZone raises O-10 when a git event's commit offset (Fields["commit.tz"]) is at
// least three hours from the claimed zone's offset at that time.
func (d *WorkHours) commitZone(ev *unmask.Event, p *Profile, loc *time.Location) []Finding {
	tz := ev.Fields[FieldCommitTZ]
	if ev.Kind != unmask.KindGit || tz == "" || loc == nil {
		return nil
	}
	off, ok := parseOffset(tz)
	if !ok {
		return nil
	}
	_, sec := ev.Time.In(loc).Zone()
	claimed := float64(sec) / 3600
	if math.Abs(wrapOffset(off-claimed)) < 3 {
		return nil
	}
	expl := fmt.Sprintf("A commit carries the time-zone offset %s, but the claimed zone %s was %s at the time.", tz, p.TimeZone, offsetText(claimed))
	return []Finding{specCommitZone.finding(ev.PersonID, ev.Time, 1, "O-10:commit-tz:"+tz, tz, expl, ev.ID)}
}

// parseOffset parses "+0900", "-05:30" or "+09" into hours.
func parseOffset(s string) (float64, bool) {
	if len(s) < 3 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	if len(digits) != 2 && len(digits) != 4 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	h, err := strconv.Atoi(digits[:2])
	if err != nil || h > 14 {
		return 0, false
	}
	m := 0
	if len(digits) == 4 {
		if m, err = strconv.Atoi(digits[2:]); err != nil || m >= 60 {
			return 0, false
		}
	}
	v := float64(h) + float64(m)/60
	if s[0] == '-' {
		v = -v
	}
	return v, true
}

// asia returns an N-08 finding for the Asian zone whose weekday working hours hold the
// activity and whose offset is nearest the estimate est, if any.
func (d *WorkHours) asia(st *hoursState, p *Profile, ev *unmask.Event, claimed, claimedOff, est, r float64) (Finding, bool) {
	best, bestErr, bestWork, bestOff := "", d.opts.MaxOffsetError, 0.0, 0
	for _, name := range d.opts.AsiaZones {
		aloc := d.location(name)
		if aloc == nil {
			continue
		}
		_, asec := ev.Time.In(aloc).Zone()
		aoff := asec / 3600
		if math.Abs(wrapOffset(float64(aoff)-claimedOff)) < 3 {
			continue // the claimed zone is itself (nearly) this zone
		}
		work, weekend := share(&st.utc, aoff, 9, 18)
		e := math.Abs(wrapOffset(est - float64(aoff)))
		if work < d.opts.AsiaMinShare || weekend > d.opts.MaxWeekendShare || e > bestErr {
			continue
		}
		best, bestErr, bestWork, bestOff = name, e, work, aoff
	}
	if best == "" {
		return Finding{}, false
	}
	expl := fmt.Sprintf("%.0f%% of %d active hours fell on weekdays 09:00-18:00 in %s (%s) but %.0f%% in the claimed working hours in %s (%s); activity centres on %s (confidence %.2f).",
		bestWork*100, st.total, best, offsetText(float64(bestOff)), claimed*100, p.TimeZone, offsetText(claimedOff), offsetText(est), r)
	return specHoursAsia.finding(ev.PersonID, ev.Time, bestWork, "N-08:"+best, best, expl, ev.ID), true
}

// share returns the fraction of the UTC histogram that falls on weekdays between start
// and end (whole local hours, wrapping past midnight when end <= start) at a UTC offset
// of off hours, and the fraction on the weekend.
func share(h *[168]uint16, off int, start, end int) (work, weekend float64) {
	var w, we, total int
	for b, n := range h {
		if n == 0 {
			continue
		}
		total += int(n)
		l := ((b+off)%168 + 168) % 168
		day, hour := l/24, l%24
		if day == 0 || day == 6 {
			we += int(n)
			continue
		}
		if inHours(hour, start, end) {
			w += int(n)
		}
	}
	if total == 0 {
		return 0, 0
	}
	return float64(w) / float64(total), float64(we) / float64(total)
}

func inHours(h, start, end int) bool {
	if start < end {
		return h >= start && h < end
	}
	return h >= start || h < end
}

// circular returns the mean activity hour of a UTC hour-of-week histogram folded onto
// the 24-hour clock, and the mean resultant length R in 0..1 (1: all activity in one
// hour; 0: spread evenly).
func circular(h *[168]uint16) (hour, r float64) {
	var c, s, n float64
	for b, x := range h {
		if x == 0 {
			continue
		}
		theta := 2 * math.Pi * (float64(b%24) + 0.5) / 24
		c += float64(x) * math.Cos(theta)
		s += float64(x) * math.Sin(theta)
		n += float64(x)
	}
	if n == 0 {
		return 0, 0
	}
	hour = math.Atan2(s, c) * 24 / (2 * math.Pi)
	if hour < 0 {
		hour += 24
	}
	return hour, math.Hypot(c, s) / n
}

// wrapOffset maps an offset in hours onto -12..+12.
func wrapOffset(x float64) float64 {
	x = math.Mod(x+12, 24)
	if x < 0 {
		x += 24
	}
	return x - 12
}

// midday is the local hour assumed to be the centre of a working day (09:00–18:00).
const midday = 13.5

func offsetText(hours float64) string {
	sign := "+"
	if hours < 0 {
		sign, hours = "-", -hours
	}
	hours = math.Round(hours*2) / 2 // the estimate is good to about half an hour
	h := int(hours)
	m := int(math.Round((hours - float64(h)) * 60))
	if m == 60 {
		h, m = h+1, 0
	}
	if m == 0 {
		return fmt.Sprintf("UTC%s%d", sign, h)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, h, m)
}
