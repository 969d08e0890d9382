package analytics

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

// MustZone loads an IANA zone or fails the test.
func MustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load zone %s (needs the system tz database): %v", name, err)
	}
	return loc
}

// MustWorkPattern returns one sign-in per hour from start to end local hours (end may pass
// 24) on the given weekdays of the weeks after monday, in zone.
func MustWorkPattern(tb testing.TB, person, zone string, start, end int, weeks int, days ...time.Weekday) []*unmask.Event {
	tb.Helper()
	loc := MustZone(tb, zone)
	var out []*unmask.Event
	first := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, loc)
	for d := 0; d < 7*weeks; d++ {
		day := first.AddDate(0, 0, d)
		if !slices.Contains(days, day.Weekday()) {
			continue
		}
		for h := start; h < end; h++ {
			t := time.Date(day.Year(), day.Month(), day.Day(), h, 15, 0, 0, loc)
			out = append(out, signin(person, t, "192.0.2.10"))
		}
	}
	return out
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// unique drops repeated signals (the detector re-raises a standing finding daily).
func unique(s []sig) []sig { return slices.Compact(s) }

func TestWorkHours(t *testing.T) {
	chicago := Profile{PersonID: "p1", TimeZone: "America/Chicago"}
	tests := []struct {
		name string
		sc   scenario
		want []sig
	}{
		{"pyongyang-hours-claims-chicago", scenario{profiles: []Profile{chicago},
			events: MustWorkPattern(t, "p1", "Asia/Pyongyang", 9, 18, 4, weekdays...)},
			[]sig{{"p1", "N-08", "N-08:Asia/Pyongyang"}}},
		{"shanghai-hours-claims-new-york", scenario{profiles: []Profile{{PersonID: "p1", TimeZone: "America/New_York"}},
			events: MustWorkPattern(t, "p1", "Asia/Shanghai", 9, 19, 4, weekdays...)},
			[]sig{{"p1", "N-08", "N-08:Asia/Shanghai"}}},
		{"india-hours-claims-chicago", scenario{profiles: []Profile{chicago},
			events: MustWorkPattern(t, "p1", "Asia/Kolkata", 9, 18, 4, weekdays...)},
			[]sig{{"p1", "O-10", "O-10"}}},
		{"pyongyang-hours-claims-seoul", scenario{profiles: []Profile{{PersonID: "p1", TimeZone: "Asia/Seoul"}},
			events: MustWorkPattern(t, "p1", "Asia/Pyongyang", 9, 18, 4, weekdays...)}, nil},
		{"night-owl", scenario{profiles: []Profile{chicago},
			events: MustWorkPattern(t, "p1", "America/Chicago", 11, 25, 4, weekdays...)}, nil},
		{"declared-second-shift-los-angeles", scenario{
			profiles: []Profile{{PersonID: "p1", TimeZone: "America/Los_Angeles", WorkStart: 16, WorkEnd: 24}},
			events:   MustWorkPattern(t, "p1", "America/Los_Angeles", 16, 24, 4, weekdays...)}, nil},
		{"undeclared-second-shift-los-angeles", scenario{profiles: []Profile{{PersonID: "p1", TimeZone: "America/Los_Angeles"}},
			events: MustWorkPattern(t, "p1", "America/Los_Angeles", 16, 24, 4, weekdays...)}, nil},
		{"office-hours-across-dst", scenario{profiles: []Profile{{PersonID: "p1", TimeZone: "America/New_York"}},
			events: MustWorkPattern(t, "p1", "America/New_York", 9, 17, 4, weekdays...)}, nil},
		{"unknown-zone", scenario{profiles: []Profile{{PersonID: "p1", TimeZone: "Mars/Olympus_Mons"}},
			events: MustWorkPattern(t, "p1", "Asia/Pyongyang", 9, 18, 4, weekdays...)}, nil},
		{"around-the-clock-two-days", scenario{profiles: []Profile{chicago},
			events: MustWorkPattern(t, "p1", "UTC", 0, 22, 1, time.Monday, time.Tuesday)},
			[]sig{{"p1", "N-08", "N-08:24x7"}}},
		{"on-call-one-long-day", scenario{profiles: []Profile{chicago},
			events: MustWorkPattern(t, "p1", "America/Chicago", 6, 24, 1, time.Wednesday)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unique(summarize(MustRun(t, tt.sc, NewWorkHours(HoursOptions{}))))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWorkHoursDST checks that 09:00 local before and after the US switch to daylight
// time lands in the same local bin but in different UTC bins.
func TestWorkHoursDST(t *testing.T) {
	ny := MustZone(t, "America/New_York")
	d := NewWorkHours(HoursOptions{})
	p := &Profile{PersonID: "p1", TimeZone: "America/New_York"}
	for _, day := range []int{6, 9} { // Friday 6 March (EST), Monday 9 March (EDT)
		ev := event(unmask.KindSignIn, "p1", time.Date(2026, 3, day, 9, 0, 0, 0, ny))
		d.Observe(&Input{Event: ev, Profile: p})
	}
	st := d.st["p1"]
	if got := st.local[int(time.Friday)*24+9] + st.local[int(time.Monday)*24+9]; got != 2 {
		t.Errorf("local 09:00 bins hold %d, want 2", got)
	}
	if st.utc[int(time.Friday)*24+14] != 1 || st.utc[int(time.Monday)*24+13] != 1 {
		t.Errorf("UTC bins: Friday 14h = %d, Monday 13h = %d; want 1 and 1", st.utc[int(time.Friday)*24+14], st.utc[int(time.Monday)*24+13])
	}
}

func TestCommitZone(t *testing.T) {
	chicago := Profile{PersonID: "p1", TimeZone: "America/Chicago"}
	push := func(day int, tz string) *unmask.Event {
		return event(unmask.KindGit, "p1", at(day, 15), field(FieldCommitTZ, tz), func(e *unmask.Event) { e.Action, e.Target = ActionGitPush, "acme/api" })
	}
	tests := []struct {
		name string
		ev   *unmask.Event
		want []sig
	}{
		{"pyongyang-offset", push(0, "+0900"), []sig{{"p1", "O-10", "O-10:commit-tz:+0900"}}},
		{"colon-form", push(0, "+08:00"), []sig{{"p1", "O-10", "O-10:commit-tz:+08:00"}}},
		{"claimed-standard-time", push(0, "-0600"), nil},
		{"claimed-daylight-time", push(10, "-0500"), nil},
		{"travelling-one-zone-off", push(0, "-0800"), nil},
		{"garbage", push(0, "+9x"), nil},
		{"out-of-range", push(0, "+2500"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarize(MustRun(t, scenario{profiles: []Profile{chicago}, events: []*unmask.Event{tt.ev}}, NewWorkHours(HoursOptions{})))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("signals mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCircularOffset(t *testing.T) {
	tests := []struct {
		name     string
		hours    []int // UTC hours of activity
		wantHour float64
		minR     float64
	}{
		{"pyongyang-day", []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, 4.5, 0.75},
		{"wraps-midnight", []int{22, 23, 0, 1}, 0, 0.9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h [168]uint16
			for _, x := range tt.hours {
				h[24+x] += 3
			}
			hour, r := circular(&h)
			if diff := wrapOffset(hour - tt.wantHour); diff > 0.01 || diff < -0.01 || r < tt.minR {
				t.Errorf("circular() = %.2f h, R %.2f; want %.2f h, R >= %.2f", hour, r, tt.wantHour, tt.minR)
			}
			if est := wrapOffset(midday - hour); tt.name == "pyongyang-day" && (est < 8.9 || est > 9.1) {
				t.Errorf("estimated offset %.2f, want +9", est)
			}
		})
	}
}
