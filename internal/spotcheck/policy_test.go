package spotcheck_test

import (
	"bytes"
	"os"
	"testing"
	"time"
	_ "time/tzdata" // the tests name zones; do not depend on the host's zoneinfo

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/spotcheck"
)

func zone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPlace(t *testing.T) {
	weekdays := spotcheck.BusinessHours{Start: 10, End: 16}
	tests := []struct {
		name  string
		hours spotcheck.BusinessHours
		zone  string
		at    string
		u     float64
		want  string
	}{
		{"inside-hours-rounds-up", weekdays, "UTC", "2026-11-03T11:07:00Z", 0.5, "2026-11-03T11:15:00Z"},
		{"on-quarter-stays", weekdays, "UTC", "2026-11-03T11:15:00Z", 0.5, "2026-11-03T11:15:00Z"},
		{"before-open-goes-into-window", weekdays, "UTC", "2026-11-03T06:00:00Z", 0.5, "2026-11-03T13:00:00Z"},
		{"before-open-u0-opens", weekdays, "UTC", "2026-11-03T06:00:00Z", 0, "2026-11-03T10:00:00Z"},
		{"last-quarter-before-close", weekdays, "UTC", "2026-11-03T15:50:00Z", 0, "2026-11-04T10:00:00Z"},
		{"after-close-next-day", weekdays, "UTC", "2026-11-03T17:00:00Z", 0, "2026-11-04T10:00:00Z"},
		{"friday-evening-to-monday", weekdays, "UTC", "2026-11-06T18:00:00Z", 0, "2026-11-09T10:00:00Z"},
		{"weekend-allowed", spotcheck.BusinessHours{Start: 10, End: 16, Weekends: true}, "UTC", "2026-11-06T18:00:00Z", 0, "2026-11-07T10:00:00Z"},
		{"claimed-zone-chicago", weekdays, "America/Chicago", "2026-11-03T15:00:00Z", 0, "2026-11-03T16:00:00Z"},
		{"utc-evening-is-us-afternoon", weekdays, "America/Los_Angeles", "2026-11-03T20:00:00Z", 0, "2026-11-03T20:00:00Z"},
		{"half-hour-zone", weekdays, "Asia/Kolkata", "2026-11-03T03:00:00Z", 0, "2026-11-03T04:30:00Z"},
		{"us-spring-forward-sunday", weekdays, "America/New_York", "2026-03-08T12:00:00Z", 0, "2026-03-09T14:00:00Z"},
		{"us-before-spring-forward", weekdays, "America/New_York", "2026-03-06T12:00:00Z", 0, "2026-03-06T15:00:00Z"},
		{"us-fall-back-weekend", weekdays, "America/New_York", "2026-10-31T12:00:00Z", 0, "2026-11-02T15:00:00Z"},
		{"eu-spring-forward", weekdays, "Europe/Berlin", "2026-03-27T16:00:00Z", 0, "2026-03-30T08:00:00Z"},
		{"eu-fall-back", weekdays, "Europe/Berlin", "2026-10-23T16:00:00Z", 0, "2026-10-26T09:00:00Z"},
		{"dst-gap-window-skipped", spotcheck.BusinessHours{Start: 2, End: 3, Weekends: true}, "America/New_York", "2026-03-08T05:00:00Z", 0, "2026-03-09T06:00:00Z"},
		{"until-midnight", spotcheck.BusinessHours{Start: 20, End: 24}, "UTC", "2026-11-03T23:50:00Z", 0, "2026-11-04T20:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := zone(t, tt.zone)
			got := tt.hours.Place(utc(tt.at), loc, tt.u)
			if !got.Equal(utc(tt.want)) {
				t.Errorf("Place(%s in %s, %v) = %s (%s local), want %s", tt.at, tt.zone, tt.u,
					got.UTC().Format(time.RFC3339), got.In(loc).Format("Mon 15:04 MST"), tt.want)
			}
		})
	}
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *spotcheck.Policy)
		ok     bool
	}{
		{"default", func(*spotcheck.Policy) {}, true},
		{"no-period", func(p *spotcheck.Policy) { p.PeriodDays = 0 }, false},
		{"rate-above-one", func(p *spotcheck.Policy) { p.RandomRate = 1.5 }, false},
		{"negative-rate", func(p *spotcheck.Policy) { p.RandomRate = -0.1 }, false},
		{"overlapping-new-hire-windows", func(p *spotcheck.Policy) { p.NewHire = spotcheck.NewHirePolicy{WithinDays: 30, AgainDays: 10} }, false},
		{"no-second-new-hire-check", func(p *spotcheck.Policy) { p.NewHire.AgainDays = 0 }, true},
		{"negative-gap", func(p *spotcheck.Policy) { p.MinGapDays = -1 }, false},
		{"hours-reversed", func(p *spotcheck.Policy) { p.Hours = spotcheck.BusinessHours{Start: 16, End: 10} }, false},
		{"hours-past-midnight", func(p *spotcheck.Policy) { p.Hours.End = 25 }, false},
		{"negative-band-extra", func(p *spotcheck.Policy) { p.BandExtra[unmask.BandHigh] = -1 }, false},
		{"unknown-zone", func(p *spotcheck.Policy) { p.DefaultTimeZone = "Mars/Olympus_Mons" }, false},
		{"known-zone", func(p *spotcheck.Policy) { p.DefaultTimeZone = "Europe/Berlin" }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := spotcheck.DefaultPolicy()
			tt.change(&p)
			err := p.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok %v", err, tt.ok)
			}
			if err != nil && unmask.ErrorCode(err) != unmask.EINVALID {
				t.Errorf("error code %q, want invalid", unmask.ErrorCode(err))
			}
		})
	}
}

func TestPolicyYAML(t *testing.T) {
	data, err := os.ReadFile("testdata/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got spotcheck.Policy
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := spotcheck.Policy{
		PeriodDays: 30, RandomRate: 0.05,
		BandExtra:  map[unmask.RiskBand]int{unmask.BandMedium: 1, unmask.BandHigh: 2, unmask.BandCritical: 4},
		NewHire:    spotcheck.NewHirePolicy{WithinDays: 5, AgainDays: 60},
		MinGapDays: 10, Hours: spotcheck.BusinessHours{Start: 9, End: 17},
		DefaultTimeZone: "America/New_York", NoticeHours: 2, GraceHours: 24, AheadDays: 7,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("policy (-want +got):\n%s", diff)
	}
	if err := got.Validate(); err != nil {
		t.Errorf("the sample policy is not valid: %v", err)
	}
}

// FuzzPlace checks that Place always gives a time at or after the wanted one, on a
// weekday, within business hours in the zone, at most a week later.
func FuzzPlace(f *testing.F) {
	zones := []string{"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/Santiago"}
	f.Add(int64(1772985600), uint8(1), 0.5, uint8(10), uint8(16), false) // 2026-03-08, New York spring forward
	f.Add(int64(1792800000), uint8(3), 0.0, uint8(0), uint8(24), true)
	f.Add(int64(1772949600), uint8(1), 0.0, uint8(2), uint8(2), true) // 02:00–03:00 on the day New York skips it
	f.Fuzz(func(t *testing.T, sec int64, zi uint8, u float64, start, end uint8, weekends bool) {
		h := spotcheck.BusinessHours{Start: int(start % 24), End: int(end%24) + 1, Weekends: weekends}
		if h.Start >= h.End || u < 0 || u >= 1 || sec < -1e11 || sec > 1e11 {
			return
		}
		loc := zone(t, zones[int(zi)%len(zones)])
		at := time.Unix(sec, 0)
		got := h.Place(at, loc, u)
		l := got.In(loc)
		switch {
		case got.Before(at):
			t.Fatalf("Place(%s) = %s, before the wanted time", at, got)
		case got.Sub(at) > 8*24*time.Hour:
			t.Fatalf("Place(%s) = %s, more than a week later", at, got)
		case !weekends && (l.Weekday() == time.Saturday || l.Weekday() == time.Sunday):
			t.Fatalf("Place(%s) = %s, a weekend", at, l)
		case got.Minute()%15 != 0 || got.Second() != 0:
			t.Fatalf("Place(%s) = %s, not on a quarter hour", at, l)
		case l.Hour() < h.Start || l.Hour() >= h.End:
			t.Fatalf("Place(%s, %d–%d) = %s, outside business hours", at, h.Start, h.End, l)
		}
	})
}
