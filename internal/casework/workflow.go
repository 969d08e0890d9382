package casework

import (
	"context"
	"fmt"
	"strings"

	"github.com/unmask/unmask"
)

// Escalation says to whom an escalated case went.
type Escalation string

// Escalation targets.
const (
	EscalateHR    Escalation = "hr"
	EscalateLegal Escalation = "legal"
)

// Valid reports whether e is a known target.
func (e Escalation) Valid() bool { return e == EscalateHR || e == EscalateLegal }

// StatusChange asks to move a case to another status.
type StatusChange struct {
	Status unmask.CaseStatus
	// Disposition is required when closing and refused otherwise.
	Disposition unmask.Disposition
	// EscalateTo is required when escalating and refused otherwise.
	EscalateTo Escalation
	// Note, if set, is added as a case note; escalations always get one naming the target.
	Note string
}

// Result is a case after a status change, with what the change did besides.
type Result struct {
	Case *unmask.Case
	// AlertsClosed counts linked alerts closed with the case.
	AlertsClosed int
	// IndicatorsCreated, IndicatorsRevived and IndicatorsExpired count the threat-intel
	// indicators the close created, made valid again or expired.
	IndicatorsCreated int
	IndicatorsRevived int
	IndicatorsExpired int
	// SignalsCleared counts the person's signals a legitimate close cleared (they stop
	// counting toward risk); SignalsRestored those a reopen gave back.
	SignalsCleared  int
	SignalsRestored int
}

// SetStatus moves a case through the workflow. It returns EINVALID for a transition
// unmask.CaseStatus.CanTransition refuses or a missing or misplaced disposition or
// escalation target, and EFORBIDDEN when someone who is neither an administrator nor the
// assignee reopens a closed case.
func (s *Service) SetStatus(ctx context.Context, caseID string, ch StatusChange) (*Result, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cases.FindCaseByID(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("find case %s: %w", caseID, err)
	}
	if err := checkChange(u, c, ch); err != nil {
		return nil, err
	}
	upd := unmask.CaseUpdate{Status: &ch.Status}
	if ch.Status == unmask.CaseClosed {
		upd.Disposition = &ch.Disposition
	}
	next, err := s.cases.UpdateCase(ctx, caseID, upd)
	if err != nil {
		return nil, fmt.Errorf("move case %s to %s: %w", caseID, ch.Status, err)
	}
	res := &Result{Case: next}
	switch {
	case next.Status == unmask.CaseClosed:
		err = s.closeEffects(ctx, next, res)
	case c.Status == unmask.CaseClosed && c.Disposition == unmask.DispositionLegitimate:
		res.SignalsRestored, err = s.restoreSignals(ctx, c)
	}
	if note := changeNote(ch); note != "" && err == nil {
		_, err = s.addNote(ctx, caseID, u.ID, note)
	}
	return res, s.finish(ctx, action(c.Status, ch.Status), caseID, changeDetail(c, ch, res), err)
}

// Investigate moves an open or escalated case to investigating; for a closed case it is
// Reopen.
func (s *Service) Investigate(ctx context.Context, caseID, note string) (*Result, error) {
	return s.SetStatus(ctx, caseID, StatusChange{Status: unmask.CaseInvestigating, Note: note})
}

// Escalate hands an investigated case to HR or legal.
func (s *Service) Escalate(ctx context.Context, caseID string, to Escalation, note string) (*Result, error) {
	return s.SetStatus(ctx, caseID, StatusChange{Status: unmask.CaseEscalated, EscalateTo: to, Note: note})
}

// Close closes a case with a disposition.
func (s *Service) Close(ctx context.Context, caseID string, d unmask.Disposition, note string) (*Result, error) {
	return s.SetStatus(ctx, caseID, StatusChange{Status: unmask.CaseClosed, Disposition: d, Note: note})
}

// Reopen moves a closed case back to investigating.
func (s *Service) Reopen(ctx context.Context, caseID, note string) (*Result, error) {
	return s.SetStatus(ctx, caseID, StatusChange{Status: unmask.CaseInvestigating, Note: note})
}

// checkChange returns why u may not make change ch to c, or nil. A refused transition and a
// missing disposition are worded as the store and unmask.Case.Validate word them, so that
// a refusal reads the same whichever layer makes it.
func checkChange(u *unmask.User, c *unmask.Case, ch StatusChange) error {
	closing, escalating := ch.Status == unmask.CaseClosed, ch.Status == unmask.CaseEscalated
	switch {
	case !ch.Status.Valid():
		return unmask.Errorf(unmask.EINVALID, "Case status %q is not valid.", ch.Status)
	case ch.Status == c.Status:
		return unmask.Errorf(unmask.EINVALID, "Case %s is already %s.", c.ID, c.Status)
	case !c.Status.CanTransition(ch.Status):
		return unmask.Errorf(unmask.EINVALID, "A case cannot move from %s to %s. It can move to %s.",
			c.Status, ch.Status, strings.Join(nextStatuses(c.Status), " or "))
	case closing && !ch.Disposition.Valid():
		return unmask.Errorf(unmask.EINVALID, "A closed case needs a disposition: confirmed_fraud, legitimate or inconclusive.")
	case !closing && ch.Disposition != "":
		return unmask.Errorf(unmask.EINVALID, "Only closing a case sets a disposition.")
	case escalating && !ch.EscalateTo.Valid():
		return unmask.Errorf(unmask.EINVALID, "Escalating a case needs a target: hr or legal.")
	case !escalating && ch.EscalateTo != "":
		return unmask.Errorf(unmask.EINVALID, "Only escalating a case names an escalation target.")
	case c.Status == unmask.CaseClosed && !u.Role.CanAdminister() && u.ID != c.Assignee:
		return unmask.Errorf(unmask.EFORBIDDEN, "Only an administrator or the assignee may reopen case %s.", c.ID)
	}
	return nil
}

// nextStatuses lists the statuses a case in s may move to, in workflow order.
func nextStatuses(s unmask.CaseStatus) []string {
	var out []string
	for _, n := range []unmask.CaseStatus{unmask.CaseOpen, unmask.CaseInvestigating, unmask.CaseEscalated, unmask.CaseClosed} {
		if s.CanTransition(n) {
			out = append(out, string(n))
		}
	}
	return out
}

// action names the audit action of a move from one status to another.
func action(from, to unmask.CaseStatus) string {
	switch {
	case from == unmask.CaseClosed:
		return "case.reopen"
	case to == unmask.CaseClosed:
		return "case.close"
	case to == unmask.CaseEscalated:
		return "case.escalate"
	}
	return "case.investigate"
}

// changeNote returns the case note a change adds, or "".
func changeNote(ch StatusChange) string {
	if ch.Status != unmask.CaseEscalated {
		return ch.Note
	}
	note := "Escalated to HR."
	if ch.EscalateTo == EscalateLegal {
		note = "Escalated to legal."
	}
	if ch.Note != "" {
		note += "\n\n" + ch.Note
	}
	return note
}

// changeDetail says what a status change did, without the note's text.
func changeDetail(c *unmask.Case, ch StatusChange, res *Result) string {
	from, to := string(c.Status), string(ch.Status)
	if c.Disposition != "" {
		from += " (" + string(c.Disposition) + ")"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "status %s → %s", from, to)
	switch {
	case ch.Status == unmask.CaseClosed:
		fmt.Fprintf(&b, " (%s); %d alerts closed; indicators: %d created, %d revived, %d expired",
			ch.Disposition, res.AlertsClosed, res.IndicatorsCreated, res.IndicatorsRevived, res.IndicatorsExpired)
		if ch.Disposition == unmask.DispositionLegitimate {
			fmt.Fprintf(&b, "; %d signals cleared", res.SignalsCleared)
		}
	case res.SignalsRestored > 0:
		fmt.Fprintf(&b, "; %d signals restored", res.SignalsRestored)
	case ch.Status == unmask.CaseEscalated:
		fmt.Fprintf(&b, " (to %s)", ch.EscalateTo)
	}
	b.WriteString(noteDetail(ch.Note))
	return b.String()
}

// closeEffects closes the case's alerts, creates or expires its indicators and, for a
// legitimate close, clears the person's signals.
func (s *Service) closeEffects(ctx context.Context, c *unmask.Case, res *Result) error {
	n, err := s.closeAlerts(ctx, c.ID)
	res.AlertsClosed = n
	if err != nil {
		return err
	}
	if c.Disposition == unmask.DispositionConfirmedFraud {
		res.IndicatorsCreated, res.IndicatorsRevived, err = s.publishIndicators(ctx, c)
		return err
	}
	if res.IndicatorsExpired, err = s.expireIndicators(ctx, c.ID); err != nil {
		return err
	}
	if c.Disposition == unmask.DispositionLegitimate {
		res.SignalsCleared, err = s.clearSignals(ctx, c)
	}
	return err
}

// closeAlerts closes the alerts linked to a case that are not closed.
func (s *Service) closeAlerts(ctx context.Context, caseID string) (int, error) {
	alerts, err := listAll(func(p unmask.Page) ([]*unmask.Alert, int, error) {
		return s.alerts.FindAlerts(ctx, unmask.AlertFilter{CaseID: &caseID, Open: true, Page: p})
	})
	if err != nil {
		return 0, fmt.Errorf("find alerts of case %s: %w", caseID, err)
	}
	closed := unmask.AlertClosed
	for i, a := range alerts {
		if _, err := s.alerts.UpdateAlert(ctx, a.ID, unmask.AlertUpdate{Status: &closed}); err != nil {
			return i, fmt.Errorf("close alert %s of case %s: %w", a.ID, caseID, err)
		}
	}
	return len(alerts), nil
}
