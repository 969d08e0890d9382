package analytics

import (
	"fmt"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// PayrollOptions configures Payroll. Zero fields take the documented defaults.
type PayrollOptions struct {
	// AfterHire flags a change this soon after the hire date; default 60 days.
	AfterHire time.Duration
	// MaxChanges flags more changes than this within ChangeWindow; default 2.
	MaxChanges int
	// ChangeWindow is the window for MaxChanges; default 90 days.
	ChangeWindow time.Duration
	// MaxPeople caps the people remembered per account; default 16.
	MaxPeople int
}

// Payroll raises O-03 for direct-deposit changes (hr_change payroll.change with
// Fields["bank.key"]): soon after hire, to an account not in the employee's name
// (Fields["bank.holder_match"] "false"), held in another country than the verified home
// address (Fields["bank.country"] against Profile.Country), more than MaxChanges times in ChangeWindow, or
// to an account that people of another household also use. A change a year after hire
// to the person's own account raises nothing.
type Payroll struct {
	opts      PayrollOptions
	changes   map[string][]time.Time
	byAccount map[string]*sharedValue
}

// NewPayroll returns a Payroll detector.
func NewPayroll(opts PayrollOptions) *Payroll {
	opts.AfterHire = cmpOr(opts.AfterHire, 60*24*time.Hour)
	opts.MaxChanges = cmpOr(opts.MaxChanges, 2)
	opts.ChangeWindow = cmpOr(opts.ChangeWindow, 90*24*time.Hour)
	opts.MaxPeople = cmpOr(opts.MaxPeople, 16)
	return &Payroll{opts: opts, changes: map[string][]time.Time{}, byAccount: map[string]*sharedValue{}}
}

var (
	specPayroll       = spec{"analytics:payroll", "O-03", unmask.SeverityMedium, 0.4}
	specPayrollShared = spec{"analytics:payroll", "O-03", unmask.SeverityHigh, 0.8}
)

// Observe implements Detector.
func (d *Payroll) Observe(in *Input) []Finding {
	ev := in.Event
	if ev.Kind != unmask.KindHRChange || ev.Action != ActionPayrollChange {
		return nil
	}
	var out []Finding
	acct := ev.Fields[FieldBankKey]
	if t, ok := in.Profile.tenure(ev.Time); ok && t >= 0 && t <= d.opts.AfterHire {
		expl := fmt.Sprintf("The payroll account was changed %d days after hire.", int(t.Hours()/24))
		out = append(out, specPayroll.finding(ev.PersonID, ev.Time, 1, "O-03:early:"+acct, acct, expl, ev.ID))
	}
	if ev.Fields[FieldBankHolderMatch] == "false" {
		out = append(out, specPayrollShared.finding(ev.PersonID, ev.Time, 1, "O-03:holder:"+acct, acct,
			"The new payroll account is not in the employee's legal name.", ev.ID))
	}
	if bc, home := ev.Fields[FieldBankCountry], in.Profile.Country; bc != "" && home != "" && !strings.EqualFold(bc, home) {
		expl := fmt.Sprintf("The new payroll account is held in %s, but the verified home address is in %s.", strings.ToUpper(bc), strings.ToUpper(home))
		out = append(out, specPayroll.finding(ev.PersonID, ev.Time, 1.25, "O-03:country:"+acct, acct, expl, ev.ID))
	}
	if n := d.count(ev.PersonID, ev.Time); n > d.opts.MaxChanges {
		expl := fmt.Sprintf("The payroll account was changed %d times within %d days.", n, int(d.opts.ChangeWindow.Hours()/24))
		out = append(out, specPayroll.finding(ev.PersonID, ev.Time, 1, "O-03:frequent", acct, expl, ev.ID))
	}
	if acct == "" {
		return out
	}
	s := d.byAccount[acct]
	if s == nil {
		s = &sharedValue{}
		d.byAccount[acct] = s
	}
	if s.add(sharedPerson{ev.PersonID, in.Profile.household(), ev.ID}, d.opts.MaxPeople) && s.households() >= 2 {
		expl := fmt.Sprintf("The payroll account is shared by %d employees from %d different households.", len(s.people), s.households())
		for _, h := range s.people {
			out = append(out, specPayrollShared.finding(h.person, ev.Time, 1, "O-03:shared:"+acct, acct, expl, s.events()...))
		}
	}
	return out
}

// count records a change at t and returns how many fall within the window.
func (d *Payroll) count(person string, t time.Time) int {
	list := append(d.changes[person], t)
	kept := list[:0]
	for _, x := range list {
		if t.Sub(x) <= d.opts.ChangeWindow && x.Sub(t) <= d.opts.ChangeWindow {
			kept = append(kept, x)
		}
	}
	if len(kept) > d.opts.MaxChanges+1 {
		kept = kept[len(kept)-d.opts.MaxChanges-1:]
	}
	d.changes[person] = kept
	return len(kept)
}

// Forget implements Forgetter.
func (d *Payroll) Forget(person string) {
	delete(d.changes, person)
}
