package httpapi

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/spotcheck"
)

// CaseWorkflow runs the case workflow; internal/casework.Service implements it. Every API
// and UI change to a case except its title goes through it: opening from an alert links
// the alert and attaches its signals, a status change follows the workflow and its
// dispositions, closing closes the linked alerts and, as confirmed fraud, turns the
// person's identifiers into indicators. It checks the acting user's role and writes one
// audit entry per change itself, so it works on the raw store, not through internal/authz.
// It must be safe for concurrent use.
type CaseWorkflow interface {
	OpenFromAlert(ctx context.Context, alertID string, req casework.OpenRequest) (*unmask.Case, error)
	OpenForPerson(ctx context.Context, personID string, req casework.OpenRequest) (*unmask.Case, error)
	SetStatus(ctx context.Context, caseID string, ch casework.StatusChange) (*casework.Result, error)
	Assign(ctx context.Context, caseID, assignee string) (*unmask.Case, error)
	AddNote(ctx context.Context, caseID, body string) (*unmask.CaseNote, error)
	AttachEvidence(ctx context.Context, caseID string, ids ...string) (*unmask.Case, error)
}

// SpotCheckWorkflow schedules spot checks and records their outcomes;
// internal/spotcheck.Service implements it. A refused or missed check or a failed
// attestation raises signals for the person. Like CaseWorkflow it checks roles and audits
// each change itself. It must be safe for concurrent use.
type SpotCheckWorkflow interface {
	Schedule(ctx context.Context, personID string, due time.Time) (*unmask.SpotCheck, error)
	Record(ctx context.Context, checkID string, r spotcheck.Result) (*unmask.SpotCheck, []string, error)
	Miss(ctx context.Context, checkID, notes string) (*unmask.SpotCheck, []string, error)
	Cancel(ctx context.Context, checkID string) (*unmask.SpotCheck, error)
}

var (
	_ CaseWorkflow      = (*casework.Service)(nil)
	_ SpotCheckWorkflow = (*spotcheck.Service)(nil)
)

// fallbackSeed seeds the spot-check service New builds when Options.SpotChecks is nil.
// Nothing runs that service's planning loop, so the seed samples nothing; it is fixed and
// non-zero only so that the service does not warn about a predictable seed.
const fallbackSeed = 0x756e6d61736b // "unmask"

// initWorkflows builds, over the raw store, the workflows Options does not give: casework
// with its defaults, and spotcheck with spotcheck.DefaultPolicy and fallbackSeed. They get
// the raw store because they audit each change themselves; through internal/authz every
// change would be audited twice. A workflow that cannot be built is logged and its routes
// answer EUNAVAILABLE.
func (s *Server) initWorkflows() {
	st := s.opts.Store
	if s.opts.Cases == nil {
		cw, err := casework.NewService(casework.Options{Cases: st, Alerts: st, Signals: st, Events: st,
			Identifiers: st, Indicators: st, Audit: st, People: st, Risk: st, SpotChecks: st, Users: st,
			Now: s.now, Logger: s.log})
		if err != nil {
			s.log.Error("case workflow unavailable", "err", err)
		} else {
			s.opts.Cases = cw
		}
	}
	if s.opts.SpotChecks == nil {
		sw, err := spotcheck.NewService(spotcheck.Options{People: st, Risk: st, Checks: st, Signals: st, Audit: st,
			Policy: spotcheck.DefaultPolicy(), Seed: fallbackSeed, Now: s.now, Logger: s.log})
		if err != nil {
			s.log.Error("spot-check workflow unavailable", "err", err)
		} else {
			s.opts.SpotChecks = sw
		}
	}
}

// mayRespond returns EFORBIDDEN, worded as internal/authz words it, unless the acting
// user's role may change alerts, cases and spot checks. The workflows check the role too;
// checking here first keeps the refusals the API gave when it went through authz, before
// anything is read.
func mayRespond(ctx context.Context, what string) error {
	u := unmask.UserFromContext(ctx)
	if u == nil {
		return unmask.Errorf(unmask.EUNAUTHORIZED, "Sign in first.")
	}
	if u.Disabled || !u.Role.CanRespond() {
		return unmask.Errorf(unmask.EFORBIDDEN, "A %s may not %s.", cmp.Or(string(u.Role), "user without a role"), what)
	}
	return nil
}

// caseFlow returns the case workflow if the acting user may do what.
func (s *Server) caseFlow(ctx context.Context, what string) (CaseWorkflow, error) {
	if err := mayRespond(ctx, what); err != nil {
		return nil, err
	}
	if s.opts.Cases == nil {
		return nil, unmask.Errorf(unmask.EUNAVAILABLE, "Case work is not available.")
	}
	return s.opts.Cases, nil
}

// spotFlow returns the spot-check workflow if the acting user may do what.
func (s *Server) spotFlow(ctx context.Context, what string) (SpotCheckWorkflow, error) {
	if err := mayRespond(ctx, what); err != nil {
		return nil, err
	}
	if s.opts.SpotChecks == nil {
		return nil, unmask.Errorf(unmask.EUNAVAILABLE, "Spot checks are not available.")
	}
	return s.opts.SpotChecks, nil
}

// maxNote is the longest note, in bytes, a case takes.
const maxNote = 20000

// noteText trims a note and returns EINVALID if it is too long; "" is no note.
func noteText(body string) (string, error) {
	body = strings.TrimSpace(body)
	if len(body) > maxNote {
		return "", unmask.Errorf(unmask.EINVALID, "A note needs between 1 and %d characters.", maxNote)
	}
	return body, nil
}

// caseEdit is a change to a case from PATCH /api/v1/cases/{id} or a case form; nil and ""
// fields change nothing.
type caseEdit struct {
	Title       *string
	Status      *unmask.CaseStatus
	Disposition *unmask.Disposition
	// EscalateTo is hr or legal; when escalating, "" means hr, since the web UI and older
	// API clients name no target.
	EscalateTo casework.Escalation
	Assignee   *string
	// Note goes with the status change, or is added alone when there is none.
	Note string
}

// editCase applies an edit through the case workflow, in order: the status change (with
// the note), the assignee, then the title, which casework does not handle and internal/authz
// changes and audits. Each part is audited once, and a refused part stops the rest. The
// status goes first so that nobody can make themself the assignee and so reopen a case
// the workflow would not let them reopen. A status the case already has changes nothing,
// as it did before the workflow.
func (s *Server) editCase(ctx context.Context, id string, e caseEdit) (*unmask.Case, error) {
	cw, err := s.caseFlow(ctx, "change cases")
	if err != nil {
		return nil, err
	}
	if e.Note, err = noteText(e.Note); err != nil {
		return nil, err
	}
	c, err := s.svc.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ch, move, err := statusChange(c, e)
	switch {
	case err != nil:
		return nil, err
	case move:
		res, err := cw.SetStatus(ctx, id, ch)
		if err != nil {
			return nil, err
		}
		c = res.Case
	case e.Note != "":
		if _, err := cw.AddNote(ctx, id, e.Note); err != nil {
			return nil, err
		}
	}
	if e.Assignee != nil {
		if c, err = cw.Assign(ctx, id, *e.Assignee); err != nil {
			return nil, err
		}
	}
	if e.Title != nil && *e.Title != c.Title {
		if c, err = s.svc.UpdateCase(ctx, id, unmask.CaseUpdate{Title: e.Title}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// statusChange returns the workflow change an edit asks of case c, and false when it asks
// none: no status, or the one c has. A disposition without a status change is refused
// unless it is c's own: a closed case is reopened and closed again to change it, so that
// its indicators follow.
func statusChange(c *unmask.Case, e caseEdit) (casework.StatusChange, bool, error) {
	var d unmask.Disposition
	if e.Disposition != nil {
		d = *e.Disposition
	}
	if e.Status == nil || *e.Status == c.Status {
		switch {
		case e.Disposition == nil || d == c.Disposition:
			return casework.StatusChange{}, false, nil
		case c.Status == unmask.CaseClosed:
			return casework.StatusChange{}, false, unmask.Errorf(unmask.EINVALID,
				"Case %s is closed as %s; reopen it to change the disposition.", c.ID, c.Disposition)
		}
		return casework.StatusChange{}, false, unmask.Errorf(unmask.EINVALID, "Only closing a case sets a disposition.")
	}
	ch := casework.StatusChange{Status: *e.Status, Disposition: d, EscalateTo: e.EscalateTo, Note: e.Note}
	if ch.Status == unmask.CaseEscalated && ch.EscalateTo == "" {
		ch.EscalateTo = casework.EscalateHR
	}
	return ch, true, nil
}
