package spotcheck

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/unmask/unmask"
)

// Input is what Plan decides from.
type Input struct {
	Now    time.Time
	People []*unmask.Person
	// Bands holds each person's risk band by person id; people without one count as low.
	Bands map[string]unmask.RiskBand
	// Checks are the existing checks of these people, in any status.
	Checks []*unmask.SpotCheck
	// Seed seeds the random sampling.
	Seed uint64
}

// Plan is what a scheduling pass does.
type Plan struct {
	// Create are new scheduled checks, without ids.
	Create []*unmask.SpotCheck
	// Miss are scheduled checks overdue by more than the grace period.
	Miss []*unmask.SpotCheck
	// Cancel are scheduled checks of people who are no longer eligible.
	Cancel []*unmask.SpotCheck
}

// Eligible reports whether a person is checked at all: an employee or contractor who is
// hired or active. Applicants, people on leave and people who left are not.
func Eligible(p *unmask.Person) bool {
	worker := p.Kind == unmask.PersonEmployee || p.Kind == unmask.PersonContractor
	return worker && (p.Status == unmask.StatusHired || p.Status == unmask.StatusActive)
}

// Plan decides which checks to create, mark missed and cancel at in.Now. It is pure and
// deterministic: the same input gives the same plan, whatever the order of people and
// checks. The policy must be valid (see Validate).
func (p Policy) Plan(in Input) Plan {
	byPerson := make(map[string][]*unmask.SpotCheck)
	for _, c := range in.Checks {
		byPerson[c.PersonID] = append(byPerson[c.PersonID], c)
	}
	people := slices.Clone(in.People)
	slices.SortFunc(people, func(a, b *unmask.Person) int { return cmp.Compare(a.ID, b.ID) })
	zones := make(map[string]*time.Location)
	var plan Plan
	for _, per := range people {
		checks := slices.Clone(byPerson[per.ID])
		slices.SortFunc(checks, func(a, b *unmask.SpotCheck) int {
			return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.ID, b.ID))
		})
		if !Eligible(per) {
			plan.Cancel = append(plan.Cancel, scheduled(checks)...)
			continue
		}
		checks = p.markMissed(in.Now, checks, &plan)
		loc := p.location(per.TimeZone, zones)
		if c := p.next(in, per, checks, loc); c != nil {
			plan.Create = append(plan.Create, c)
		}
	}
	return plan
}

// markMissed adds the overdue checks to plan.Miss and returns checks with them missed.
func (p Policy) markMissed(now time.Time, checks []*unmask.SpotCheck, plan *Plan) []*unmask.SpotCheck {
	grace := time.Duration(p.GraceHours) * time.Hour
	for i, c := range checks {
		if c.Status == unmask.SpotCheckScheduled && !now.Before(c.DueAt.Add(grace)) {
			plan.Miss = append(plan.Miss, c)
			missed := *c
			missed.Status = unmask.SpotCheckMissed
			checks[i] = &missed
		}
	}
	return checks
}

// next returns the check to create for an eligible person, or nil.
func (p Policy) next(in Input, per *unmask.Person, checks []*unmask.SpotCheck, loc *time.Location) *unmask.SpotCheck {
	if c := p.newHireCheck(in.Now, per, checks, loc); c != nil {
		return c
	}
	if len(scheduled(checks)) > 0 {
		return nil
	}
	return p.periodCheck(in, per, checks, loc)
}

// newHireCheck returns the mandatory check of a new hire whose window is open and not yet
// covered, or nil.
func (p Policy) newHireCheck(now time.Time, per *unmask.Person, checks []*unmask.SpotCheck, loc *time.Location) *unmask.SpotCheck {
	if per.HireDate.IsZero() || p.NewHire.WithinDays <= 0 {
		return nil
	}
	starts := []time.Time{per.HireDate}
	if p.NewHire.AgainDays > 0 {
		starts = append(starts, per.HireDate.Add(time.Duration(p.NewHire.AgainDays)*day))
	}
	within, ahead := time.Duration(p.NewHire.WithinDays)*day, time.Duration(p.AheadDays)*day
	notice := time.Duration(p.NoticeHours) * time.Hour
	for _, start := range starts {
		end := start.Add(within)
		if !now.Before(end) || now.Before(start.Add(-ahead)) || covered(checks, start, end) {
			continue
		}
		due := p.Hours.Place(later(start, now.Add(notice)), loc, 0)
		return &unmask.SpotCheck{PersonID: per.ID, Reason: ReasonNewHire, Status: unmask.SpotCheckScheduled, DueAt: due.UTC()}
	}
	return nil
}

// covered reports whether a check that took place or is pending falls in [start, end), or
// a new-hire check is still scheduled (it may be due just past a window that was nearly
// over when it was planned).
func covered(checks []*unmask.SpotCheck, start, end time.Time) bool {
	for _, c := range checks {
		if c.Status == unmask.SpotCheckScheduled && c.Reason == ReasonNewHire {
			return true
		}
		if t := when(c); counts(c) && !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}

// periodCheck returns the random or risk check the person's current period still needs,
// or nil.
func (p Policy) periodCheck(in Input, per *unmask.Person, checks []*unmask.SpotCheck, loc *time.Location) *unmask.SpotCheck {
	if p.PeriodDays < 1 {
		return nil // not a valid policy; plan no periodic checks rather than divide by zero
	}
	period := time.Duration(p.PeriodDays) * day
	k := in.Now.UnixNano() / int64(period)
	pStart := time.Unix(0, k*int64(period)).UTC()
	pEnd := pStart.Add(period)
	rng := rand.New(rand.NewPCG(in.Seed, personStream(per.ID, k)))
	random := rng.Float64() < p.RandomRate
	required := p.BandExtra[in.Bands[per.ID]]
	if random {
		required++
	}
	done := 0
	var last time.Time
	for _, c := range checks {
		if c.Status == unmask.SpotCheckCancelled {
			continue
		}
		last = later(last, when(c))
		if t := when(c); counts(c) && !t.Before(pStart) && t.Before(pEnd) {
			done++
		}
	}
	if done >= required {
		return nil
	}
	slot := period / time.Duration(required)
	var u float64
	for range done + 1 {
		u = rng.Float64()
	}
	want := pStart.Add(slot*time.Duration(done) + time.Duration(u*float64(slot)))
	want = later(want, in.Now.Add(time.Duration(p.NoticeHours)*time.Hour))
	if !last.IsZero() {
		want = later(want, last.Add(time.Duration(p.MinGapDays)*day))
	}
	due := p.Hours.Place(want, loc, rng.Float64())
	if !due.Before(pEnd) {
		return nil // the next period plans afresh
	}
	reason := ReasonRisk
	if random && done == 0 {
		reason = ReasonRandom
	}
	return &unmask.SpotCheck{PersonID: per.ID, Reason: reason, Status: unmask.SpotCheckScheduled, DueAt: due.UTC()}
}

// personStream derives the random stream of a person in period k.
func personStream(personID string, k int64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(personID))
	return h.Sum64() ^ uint64(k)*0x9e3779b97f4a7c15
}

// counts reports whether a check counts as one that happened or will: a missed or
// cancelled check does not.
func counts(c *unmask.SpotCheck) bool {
	return c.Status == unmask.SpotCheckScheduled || c.Status == unmask.SpotCheckDone || c.Status == unmask.SpotCheckRefused
}

// when is when a check happened, or is or was due.
func when(c *unmask.SpotCheck) time.Time {
	if !c.CompletedAt.IsZero() {
		return c.CompletedAt
	}
	return c.DueAt
}

// scheduled returns the checks still scheduled.
func scheduled(checks []*unmask.SpotCheck) []*unmask.SpotCheck {
	var out []*unmask.SpotCheck
	for _, c := range checks {
		if c.Status == unmask.SpotCheckScheduled {
			out = append(out, c)
		}
	}
	return out
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
