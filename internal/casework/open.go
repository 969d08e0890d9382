package casework

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/unmask/unmask"
)

// OpenRequest says how to open a case.
type OpenRequest struct {
	// Title defaults to the alert's title, or "Investigation" for a person.
	Title string
	// Assignee is the user id to assign, or "" to leave the case unassigned.
	Assignee string
	// Evidence lists further signal and event ids to attach; each must exist and belong to
	// the person.
	Evidence []string
	// Note, if set, is added as the first case note.
	Note string
}

// OpenFromAlert opens a case for the alert's person, links the alert to it (setting its
// CaseID and acknowledging it if open) and attaches the alert's signals as evidence. It
// returns ECONFLICT if the alert already belongs to a case that is not closed.
func (s *Service) OpenFromAlert(ctx context.Context, alertID string, req OpenRequest) (*unmask.Case, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, err
	}
	s.openMu.Lock()
	defer s.openMu.Unlock()
	a, err := s.alerts.FindAlertByID(ctx, alertID)
	if err != nil {
		return nil, fmt.Errorf("find alert %s: %w", alertID, err)
	}
	if err := s.checkAlertFree(ctx, a); err != nil {
		return nil, err
	}
	evidence, err := s.resolveEvidence(ctx, a.PersonID, slices.Clone(a.SignalIDs), req.Evidence)
	if err != nil {
		return nil, err
	}
	c := &unmask.Case{
		PersonID: a.PersonID, AlertID: a.ID, Title: cmp.Or(req.Title, a.Title, "Alert "+a.Concern),
		Status: unmask.CaseOpen, Assignee: req.Assignee, CreatedBy: u.ID, Evidence: evidence,
	}
	if err := s.create(ctx, c); err != nil {
		return nil, err
	}
	linked, err := s.link(ctx, a, c.ID)
	if err == nil {
		err = s.firstNote(ctx, c, req.Note)
	}
	detail := fmt.Sprintf("opened from alert %s (concern %s, %s); %d evidence items; assignee %q%s",
		a.ID, a.Concern, linked, len(c.Evidence), c.Assignee, noteDetail(req.Note))
	return c, s.finish(ctx, "case.create", c.ID, detail, err)
}

// link sets the alert's case and acknowledges it if open, and says what it did.
func (s *Service) link(ctx context.Context, a *unmask.Alert, caseID string) (string, error) {
	upd := unmask.AlertUpdate{CaseID: &caseID}
	linked := "linked"
	if a.Status == unmask.AlertOpen {
		ack := unmask.AlertAcknowledged
		upd.Status, linked = &ack, "linked and acknowledged"
	}
	if _, err := s.alerts.UpdateAlert(ctx, a.ID, upd); err != nil {
		return "not linked", fmt.Errorf("link alert %s to case %s: %w", a.ID, caseID, err)
	}
	return linked, nil
}

// checkAlertFree returns ECONFLICT if the alert belongs to a case that is not closed.
func (s *Service) checkAlertFree(ctx context.Context, a *unmask.Alert) error {
	if a.CaseID == "" {
		return nil
	}
	c, err := s.cases.FindCaseByID(ctx, a.CaseID)
	switch {
	case unmask.ErrorCode(err) == unmask.ENOTFOUND:
		return nil // the case was deleted; the link is stale
	case err != nil:
		return fmt.Errorf("find case %s of alert %s: %w", a.CaseID, a.ID, err)
	case c.Status != unmask.CaseClosed:
		return unmask.Errorf(unmask.ECONFLICT, "Alert %s already belongs to case %s (%s).", a.ID, c.ID, c.Status)
	}
	return nil
}

// OpenForPerson opens a case for a person without an alert.
func (s *Service) OpenForPerson(ctx context.Context, personID string, req OpenRequest) (*unmask.Case, error) {
	u, err := responder(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.people.FindPersonByID(ctx, personID); err != nil {
		return nil, fmt.Errorf("find person %s: %w", personID, err)
	}
	evidence, err := s.resolveEvidence(ctx, personID, nil, req.Evidence)
	if err != nil {
		return nil, err
	}
	c := &unmask.Case{
		PersonID: personID, Title: cmp.Or(req.Title, "Investigation"), Status: unmask.CaseOpen,
		Assignee: req.Assignee, CreatedBy: u.ID, Evidence: evidence,
	}
	if err := s.create(ctx, c); err != nil {
		return nil, err
	}
	err = s.firstNote(ctx, c, req.Note)
	detail := fmt.Sprintf("opened for person %s; %d evidence items; assignee %q%s",
		personID, len(c.Evidence), c.Assignee, noteDetail(req.Note))
	return c, s.finish(ctx, "case.create", c.ID, detail, err)
}

// create checks the assignee and stores c.
func (s *Service) create(ctx context.Context, c *unmask.Case) error {
	if err := s.checkAssignee(ctx, c.Assignee); err != nil {
		return err
	}
	if err := s.cases.CreateCase(ctx, c); err != nil {
		return fmt.Errorf("create case: %w", err)
	}
	return nil
}

// firstNote adds the note a case was opened with, if any.
func (s *Service) firstNote(ctx context.Context, c *unmask.Case, note string) error {
	if note == "" {
		return nil
	}
	_, err := s.addNote(ctx, c.ID, c.CreatedBy, note)
	return err
}

// noteDetail says in an audit detail that a note was added, without its text.
func noteDetail(note string) string {
	if note == "" {
		return ""
	}
	return fmt.Sprintf("; note added (%d characters)", len([]rune(note)))
}
