package spotcheck_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/spotcheck"
)

// now is a Tuesday, 09:00 in Chicago, and the first day of a 30-day period (periods count
// from the Unix epoch: 20760 days is 692 × 30).
var now = utc("2026-11-03T15:00:00Z")

// testPolicy is DefaultPolicy without random sampling, so that a case opts into it.
func testPolicy() spotcheck.Policy {
	p := spotcheck.DefaultPolicy()
	p.RandomRate = 0
	return p
}

func worker(id, tz string, hired time.Time) *unmask.Person {
	return &unmask.Person{ID: id, Kind: unmask.PersonEmployee, Status: unmask.StatusActive,
		DisplayName: id, TimeZone: tz, HireDate: hired}
}

func check(id, person, reason string, st unmask.SpotCheckStatus, due time.Time) *unmask.SpotCheck {
	c := &unmask.SpotCheck{ID: id, PersonID: person, Reason: reason, Status: st, DueAt: due}
	if st == unmask.SpotCheckDone || st == unmask.SpotCheckRefused {
		c.CompletedAt = due
	}
	return c
}

// created summarises a planned check.
type created struct {
	Person, Reason, Due string
}

func summary(p spotcheck.Plan) (create []created, miss, cancel []string) {
	for _, c := range p.Create {
		create = append(create, created{c.PersonID, c.Reason, c.DueAt.UTC().Format(time.RFC3339)})
	}
	for _, c := range p.Miss {
		miss = append(miss, c.ID)
	}
	for _, c := range p.Cancel {
		cancel = append(cancel, c.ID)
	}
	return create, miss, cancel
}

func TestPlanCases(t *testing.T) {
	day := 24 * time.Hour
	tenured := now.AddDate(-3, 0, 0)
	tests := []struct {
		name       string
		policy     func(p *spotcheck.Policy)
		people     []*unmask.Person
		bands      map[string]unmask.RiskBand
		checks     []*unmask.SpotCheck
		wantCreate []created
		wantMiss   []string
		wantCancel []string
	}{
		{name: "hired-yesterday-gets-a-check-today",
			people:     []*unmask.Person{worker("p", "America/Chicago", now.Add(-day))},
			wantCreate: []created{{"p", "new_hire", "2026-11-03T19:00:00Z"}}}, // 13:00 CST, 4 h notice
		{name: "hired-yesterday-late-evening-goes-to-next-morning",
			people:     []*unmask.Person{worker("p", "Asia/Tokyo", now.Add(-day))}, // 00:00 JST, notice to 04:00
			wantCreate: []created{{"p", "new_hire", "2026-11-04T01:00:00Z"}}},      // 10:00 JST
		{name: "hired-yesterday-already-checked",
			people: []*unmask.Person{worker("p", "America/Chicago", now.Add(-day))},
			checks: []*unmask.SpotCheck{check("c1", "p", "manual", unmask.SpotCheckDone, now.Add(-2*time.Hour))}},
		{name: "hired-yesterday-missed-check-is-rescheduled",
			people:     []*unmask.Person{worker("p", "UTC", now.Add(-4*day))},
			checks:     []*unmask.SpotCheck{check("c1", "p", "new_hire", unmask.SpotCheckScheduled, now.Add(-3*day))},
			wantMiss:   []string{"c1"},
			wantCreate: []created{{"p", "new_hire", "2026-11-04T10:00:00Z"}}},
		{name: "starts-next-week-is-scheduled-for-day-one",
			people:     []*unmask.Person{{ID: "p", Kind: unmask.PersonContractor, Status: unmask.StatusHired, DisplayName: "p", TimeZone: "Europe/London", HireDate: utc("2026-11-16T00:00:00Z")}},
			wantCreate: []created{{"p", "new_hire", "2026-11-16T10:00:00Z"}}},
		{name: "starts-in-a-month-is-not-yet-scheduled",
			people: []*unmask.Person{{ID: "p", Kind: unmask.PersonEmployee, Status: unmask.StatusHired, DisplayName: "p", HireDate: now.AddDate(0, 0, 30)}}},
		{name: "second-new-hire-window",
			people:     []*unmask.Person{worker("p", "UTC", utc("2026-08-10T00:00:00Z"))}, // day 90 is 2026-11-08, a Sunday
			checks:     []*unmask.SpotCheck{check("c1", "p", "new_hire", unmask.SpotCheckDone, utc("2026-08-11T10:00:00Z"))},
			wantCreate: []created{{"p", "new_hire", "2026-11-09T10:00:00Z"}}},
		{name: "tenured-low-risk-just-checked-this-period",
			policy: func(p *spotcheck.Policy) { p.RandomRate = 1 },
			people: []*unmask.Person{worker("p", "UTC", tenured)},
			checks: []*unmask.SpotCheck{check("c1", "p", "random", unmask.SpotCheckDone, now.Add(-time.Hour))}},
		{name: "tenured-low-risk-not-sampled",
			people: []*unmask.Person{worker("p", "UTC", tenured)}},
		{name: "terminated-worker-checks-cancelled",
			people: []*unmask.Person{{ID: "p", Kind: unmask.PersonEmployee, Status: unmask.StatusTerminated, DisplayName: "p", HireDate: tenured}},
			checks: []*unmask.SpotCheck{
				check("c1", "p", "risk", unmask.SpotCheckScheduled, now.Add(day)),
				check("c0", "p", "risk", unmask.SpotCheckDone, now.Add(-20*day))},
			wantCancel: []string{"c1"}},
		{name: "applicant-never-checked",
			bands:  map[string]unmask.RiskBand{"p": unmask.BandCritical},
			people: []*unmask.Person{{ID: "p", Kind: unmask.PersonApplicant, Status: unmask.StatusApplied, DisplayName: "p"}}},
		{name: "outstanding-check-blocks-more",
			bands:  map[string]unmask.RiskBand{"p": unmask.BandCritical},
			people: []*unmask.Person{worker("p", "UTC", tenured)},
			checks: []*unmask.SpotCheck{check("c1", "p", "risk", unmask.SpotCheckScheduled, now.Add(20*day))}},
		{name: "overdue-but-within-grace-is-not-missed",
			people: []*unmask.Person{worker("p", "UTC", tenured)},
			checks: []*unmask.SpotCheck{check("c1", "p", "risk", unmask.SpotCheckScheduled, now.Add(-47*time.Hour))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			if tt.policy != nil {
				tt.policy(&p)
			}
			plan := p.Plan(spotcheck.Input{Now: now, People: tt.people, Bands: tt.bands, Checks: tt.checks, Seed: 1})
			create, miss, cancel := summary(plan)
			if diff := cmp.Diff(tt.wantCreate, create); diff != "" {
				t.Errorf("created (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMiss, miss); diff != "" {
				t.Errorf("missed (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantCancel, cancel); diff != "" {
				t.Errorf("cancelled (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanPeriodChecks checks the random and risk checks by their properties: due within
// the period, in business hours, after the gap.
func TestPlanPeriodChecks(t *testing.T) {
	periodEnd := utc("2026-12-03T00:00:00Z")
	tests := []struct {
		name       string
		rate       float64
		band       unmask.RiskBand
		zone       string
		checks     []*unmask.SpotCheck
		wantReason string
		notBefore  time.Time
		notAfter   time.Time // exclusive
	}{
		{"sampled-checked-last-period", 1, unmask.BandLow, "UTC",
			[]*unmask.SpotCheck{check("c1", "p", "random", unmask.SpotCheckDone, now.Add(-20*time.Hour))},
			"random", now.Add(-20*time.Hour).AddDate(0, 0, 7), periodEnd},
		{"high-risk-first-of-three-slots", 0, unmask.BandHigh, "America/Chicago", nil,
			"risk", now.Add(4 * time.Hour), now.AddDate(0, 0, 15).Add(24 * time.Hour)},
		{"high-risk-sampled-first-is-random", 1, unmask.BandHigh, "America/Chicago", nil,
			"random", now.Add(4 * time.Hour), now.AddDate(0, 0, 10).Add(24 * time.Hour)},
		{"critical-second-check-after-gap", 0, unmask.BandCritical, "Asia/Tokyo",
			[]*unmask.SpotCheck{check("c1", "p", "risk", unmask.SpotCheckDone, now.Add(2*time.Hour))},
			"risk", now.Add(2*time.Hour).AddDate(0, 0, 7), periodEnd},
		{"missed-check-retried-after-gap", 0, unmask.BandMedium, "UTC",
			[]*unmask.SpotCheck{check("c1", "p", "risk", unmask.SpotCheckMissed, now.Add(-3*24*time.Hour))},
			"risk", now.Add(4 * 24 * time.Hour), periodEnd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPolicy()
			p.RandomRate = tt.rate
			per := worker("p", tt.zone, now.AddDate(-2, 0, 0))
			plan := p.Plan(spotcheck.Input{Now: now, People: []*unmask.Person{per},
				Bands: map[string]unmask.RiskBand{"p": tt.band}, Checks: tt.checks, Seed: 7})
			if len(plan.Create) != 1 {
				t.Fatalf("planned %d checks, want 1", len(plan.Create))
			}
			c := plan.Create[0]
			local := c.DueAt.In(zone(t, tt.zone))
			switch {
			case c.Reason != tt.wantReason:
				t.Errorf("reason %q, want %q", c.Reason, tt.wantReason)
			case c.DueAt.Before(tt.notBefore) || !c.DueAt.Before(tt.notAfter):
				t.Errorf("due %s, want in [%s, %s)", c.DueAt, tt.notBefore, tt.notAfter)
			case local.Hour() < 10 || local.Hour() >= 16 || local.Weekday() == time.Saturday || local.Weekday() == time.Sunday:
				t.Errorf("due %s is outside business hours", local.Format("Mon 15:04 MST"))
			}
		})
	}
}

func TestPlanDeterministic(t *testing.T) {
	p := spotcheck.DefaultPolicy()
	var people []*unmask.Person
	bands := map[string]unmask.RiskBand{}
	for i := range 500 {
		id := fmt.Sprintf("p%03d", i)
		people = append(people, worker(id, "America/New_York", now.AddDate(0, 0, -i*3)))
		bands[id] = []unmask.RiskBand{unmask.BandLow, unmask.BandLow, unmask.BandMedium, unmask.BandHigh}[i%4]
	}
	in := spotcheck.Input{Now: now, People: people, Bands: bands, Seed: 42}
	first, _, _ := summary(p.Plan(in))
	shuffled := append([]*unmask.Person(nil), people...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	in.People = shuffled
	again, _, _ := summary(p.Plan(in))
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("plan depends on the order of people (-first +shuffled):\n%s", diff)
	}
	in.Seed = 43
	other, _, _ := summary(p.Plan(in))
	if cmp.Equal(first, other) {
		t.Error("another seed planned exactly the same checks")
	}
}

func TestPlanRandomRate(t *testing.T) {
	p := testPolicy()
	p.NewHire.WithinDays = 0
	p.RandomRate = 0.1
	var people []*unmask.Person
	for i := range 4000 {
		people = append(people, worker(fmt.Sprintf("w%d", i), "UTC", time.Time{}))
	}
	plan := p.Plan(spotcheck.Input{Now: now, People: people, Seed: 9})
	// 4000 × 0.1 = 400 expected; ± 5 standard deviations (σ ≈ 19) is 305..495.
	if n := len(plan.Create); n < 305 || n > 495 {
		t.Errorf("sampled %d of 4000 at rate 0.1, want about 400", n)
	}
	for _, c := range plan.Create {
		if c.Reason != spotcheck.ReasonRandom {
			t.Fatalf("reason %q, want random", c.Reason)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	p := spotcheck.DefaultPolicy()
	var people []*unmask.Person
	var checks []*unmask.SpotCheck
	bands := map[string]unmask.RiskBand{}
	zones := []string{"America/New_York", "America/Chicago", "Europe/Berlin", "Asia/Kolkata", ""}
	for i := range 10000 {
		id := fmt.Sprintf("p%05d", i)
		people = append(people, worker(id, zones[i%len(zones)], now.AddDate(0, 0, -i%700)))
		bands[id] = []unmask.RiskBand{unmask.BandLow, unmask.BandLow, unmask.BandLow, unmask.BandMedium, unmask.BandHigh}[i%5]
		checks = append(checks, check("c"+id, id, "random", unmask.SpotCheckDone, now.AddDate(0, 0, -i%60)))
	}
	in := spotcheck.Input{Now: now, People: people, Bands: bands, Checks: checks, Seed: 1}
	b.ReportAllocs()
	for b.Loop() {
		p.Plan(in)
	}
}

// TestPlanAcrossDST plans a new hire's first check on a Friday evening before a
// daylight-saving change: it lands at 10:00 local on Monday, whatever the UTC offset.
func TestPlanAcrossDST(t *testing.T) {
	tests := []struct {
		name, zone, now, want string
	}{
		{"us-spring-forward", "America/New_York", "2026-03-06T20:00:00Z", "2026-03-09T14:00:00Z"},
		{"us-fall-back", "America/New_York", "2026-10-30T20:00:00Z", "2026-11-02T15:00:00Z"},
		{"uk-spring-forward", "Europe/London", "2026-03-27T17:00:00Z", "2026-03-30T09:00:00Z"},
		{"uk-fall-back", "Europe/London", "2026-10-23T17:00:00Z", "2026-10-26T10:00:00Z"},
		{"no-dst-tokyo", "Asia/Tokyo", "2026-03-06T08:00:00Z", "2026-03-09T01:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := utc(tt.now)
			p := worker("p", tt.zone, at.Add(-24*time.Hour))
			plan := testPolicy().Plan(spotcheck.Input{Now: at, People: []*unmask.Person{p}, Seed: 1})
			create, _, _ := summary(plan)
			if diff := cmp.Diff([]created{{"p", "new_hire", tt.want}}, create); diff != "" {
				t.Errorf("created (-want +got):\n%s", diff)
			}
			if got := plan.Create[0].DueAt.In(zone(t, tt.zone)); got.Hour() != 10 || got.Minute() != 0 {
				t.Errorf("due at %s local, want 10:00", got.Format("Mon 15:04 MST"))
			}
		})
	}
}

func TestSignals(t *testing.T) {
	due := utc("2026-11-03T15:00:00Z")
	c := &unmask.SpotCheck{ID: "c1", PersonID: "p", Status: unmask.SpotCheckMissed, DueAt: due}
	got := spotcheck.Signals(c, now.Add(48*time.Hour))
	want := []unmask.Signal{{PersonID: "p", Indicator: "H-11", Detector: "spotcheck", Severity: unmask.SeverityMedium,
		Weight: 0.4, Explanation: "Did not attend the on-camera spot check due 2026-11-03 15:00 UTC, and no result was recorded.",
		Key: "spotcheck:c1:missed", Time: now.Add(48 * time.Hour), LastSeen: now.Add(48 * time.Hour), Count: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("signals (-want +got):\n%s", diff)
	}
	for _, sg := range got {
		if err := sg.Validate(); err != nil {
			t.Errorf("signal does not validate: %v", err)
		}
	}
	for _, st := range []unmask.SpotCheckStatus{unmask.SpotCheckScheduled, unmask.SpotCheckCancelled} {
		if sigs := spotcheck.Signals(&unmask.SpotCheck{ID: "c", Status: st}, now); len(sigs) != 0 {
			t.Errorf("%s check raised %d signals, want none", st, len(sigs))
		}
	}
	clean := &unmask.SpotCheck{ID: "c", Status: unmask.SpotCheckDone, Attestation: unmask.Attestation{IDMatched: true, SameLaptop: true, LocationConsistent: true}}
	if sigs := spotcheck.Signals(clean, now); len(sigs) != 0 || !spotcheck.Clean(clean) {
		t.Errorf("clean check raised %d signals (clean %v), want none", len(sigs), spotcheck.Clean(clean))
	}
}

func TestPlanZeroPolicy(t *testing.T) {
	in := spotcheck.Input{Now: now, People: []*unmask.Person{worker("p", "UTC", now.Add(-time.Hour))},
		Bands:  map[string]unmask.RiskBand{"p": unmask.BandCritical},
		Checks: []*unmask.SpotCheck{check("c1", "p", "risk", unmask.SpotCheckScheduled, now.AddDate(0, 0, -30))}}
	plan := spotcheck.Policy{}.Plan(in)
	create, miss, _ := summary(plan)
	// The zero policy checks nobody, but an overdue check is still overdue (no grace).
	if len(create) != 0 || len(miss) != 1 {
		t.Errorf("zero policy planned %+v and missed %v, want nothing created and c1 missed", create, miss)
	}
}
