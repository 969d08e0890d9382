package authz

import (
	"context"

	"github.com/unmask/unmask"
)

// FindAlertByID returns an alert; any role may read alerts.
func (s *Service) FindAlertByID(ctx context.Context, id string) (*unmask.Alert, error) {
	u, err := require(ctx, "view alerts", anyone)
	if err != nil {
		return nil, err
	}
	a, err := s.s.FindAlertByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.newNamer(ctx, u.Role).alert(a), nil
}

// FindAlerts lists alerts; any role may read alerts.
func (s *Service) FindAlerts(ctx context.Context, f unmask.AlertFilter) ([]*unmask.Alert, int, error) {
	u, err := require(ctx, "view alerts", anyone)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := s.s.FindAlerts(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return mapAll(list, s.newNamer(ctx, u.Role).alert), total, nil
}

// CreateAlert opens an alert; responders only.
func (s *Service) CreateAlert(ctx context.Context, a *unmask.Alert) error {
	if _, err := require(ctx, "open alerts", responder); err != nil {
		return err
	}
	if err := s.s.CreateAlert(ctx, a); err != nil {
		return err
	}
	return s.audit(ctx, "alert.create", "alert", a.ID, "concern="+a.Concern)
}

// UpdateAlert changes an alert (acknowledge, close, attach to a case); responders only.
func (s *Service) UpdateAlert(ctx context.Context, id string, upd unmask.AlertUpdate) (*unmask.Alert, error) {
	if _, err := require(ctx, "change alerts", responder); err != nil {
		return nil, err
	}
	a, err := s.s.UpdateAlert(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := changes(map[string]bool{"title": upd.Title != nil, "severity": upd.Severity != nil,
		"signals": upd.SignalIDs != nil, "count": upd.Count != nil, "case": upd.CaseID != nil})
	if upd.Status != nil {
		detail = "status=" + string(*upd.Status) + " " + detail
	}
	return a, s.audit(ctx, "alert.update", "alert", id, detail)
}

// DeleteAlert removes an alert; administrators only.
func (s *Service) DeleteAlert(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete alerts", administers); err != nil {
		return err
	}
	if err := s.s.DeleteAlert(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "alert.delete", "alert", id, "")
}

// FindCaseByID returns a case; any role may read cases.
func (s *Service) FindCaseByID(ctx context.Context, id string) (*unmask.Case, error) {
	u, err := require(ctx, "view cases", anyone)
	if err != nil {
		return nil, err
	}
	c, err := s.s.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.newNamer(ctx, u.Role).kase(c), nil
}

// FindCases lists cases; any role may read cases.
func (s *Service) FindCases(ctx context.Context, f unmask.CaseFilter) ([]*unmask.Case, int, error) {
	u, err := require(ctx, "view cases", anyone)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := s.s.FindCases(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return mapAll(list, s.newNamer(ctx, u.Role).kase), total, nil
}

// CreateCase opens a case as the acting user; responders only.
func (s *Service) CreateCase(ctx context.Context, c *unmask.Case) error {
	u, err := require(ctx, "open cases", responder)
	if err != nil {
		return err
	}
	c.CreatedBy = u.ID
	if err := s.s.CreateCase(ctx, c); err != nil {
		return err
	}
	return s.audit(ctx, "case.create", "case", c.ID, "person="+c.PersonID)
}

// UpdateCase changes a case; responders only. The store enforces the workflow.
func (s *Service) UpdateCase(ctx context.Context, id string, upd unmask.CaseUpdate) (*unmask.Case, error) {
	if _, err := require(ctx, "change cases", responder); err != nil {
		return nil, err
	}
	c, err := s.s.UpdateCase(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := changes(map[string]bool{"title": upd.Title != nil, "assignee": upd.Assignee != nil,
		"evidence": upd.Evidence != nil, "disposition": upd.Disposition != nil})
	if upd.Status != nil {
		detail = "status=" + string(*upd.Status) + " " + detail
	}
	return c, s.audit(ctx, "case.update", "case", id, detail)
}

// DeleteCase removes a case; administrators only.
func (s *Service) DeleteCase(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete cases", administers); err != nil {
		return err
	}
	if err := s.s.DeleteCase(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "case.delete", "case", id, "")
}

// CreateCaseNote adds a note written by the acting user; responders only.
func (s *Service) CreateCaseNote(ctx context.Context, n *unmask.CaseNote) error {
	u, err := require(ctx, "write case notes", responder)
	if err != nil {
		return err
	}
	n.Author = u.ID
	if err := s.s.CreateCaseNote(ctx, n); err != nil {
		return err
	}
	return s.audit(ctx, "case.note", "case", n.CaseID, "")
}

// FindCaseNotes lists a case's notes; any role may read them.
func (s *Service) FindCaseNotes(ctx context.Context, caseID string) ([]*unmask.CaseNote, error) {
	u, err := require(ctx, "view case notes", anyone)
	if err != nil {
		return nil, err
	}
	notes, err := s.s.FindCaseNotes(ctx, caseID)
	if err != nil {
		return nil, err
	}
	if nm := s.newNamer(ctx, u.Role); nm != nil && len(notes) > 0 {
		c, err := s.s.FindCaseByID(ctx, caseID)
		if err != nil {
			return nil, err
		}
		for i, n := range notes {
			cp := *n
			cp.Body = nm.text(c.PersonID, n.Body)
			notes[i] = &cp
		}
	}
	return notes, nil
}

// FindSpotCheckByID returns a spot check; any role may read them.
func (s *Service) FindSpotCheckByID(ctx context.Context, id string) (*unmask.SpotCheck, error) {
	if _, err := require(ctx, "view spot checks", anyone); err != nil {
		return nil, err
	}
	return s.s.FindSpotCheckByID(ctx, id)
}

// FindSpotChecks lists spot checks; any role may read them.
func (s *Service) FindSpotChecks(ctx context.Context, f unmask.SpotCheckFilter) ([]*unmask.SpotCheck, int, error) {
	if _, err := require(ctx, "view spot checks", anyone); err != nil {
		return nil, 0, err
	}
	return s.s.FindSpotChecks(ctx, f)
}

// CreateSpotCheck schedules a spot check; responders only.
func (s *Service) CreateSpotCheck(ctx context.Context, sc *unmask.SpotCheck) error {
	if _, err := require(ctx, "schedule spot checks", responder); err != nil {
		return err
	}
	if err := s.s.CreateSpotCheck(ctx, sc); err != nil {
		return err
	}
	return s.audit(ctx, "spotcheck.create", "spot_check", sc.ID, "person="+sc.PersonID+" reason="+sc.Reason)
}

// UpdateSpotCheck records a result or reschedules; responders only. A recorded result
// names the acting user as checker unless one is given.
func (s *Service) UpdateSpotCheck(ctx context.Context, id string, upd unmask.SpotCheckUpdate) (*unmask.SpotCheck, error) {
	u, err := require(ctx, "record spot checks", responder)
	if err != nil {
		return nil, err
	}
	if upd.Status != nil && *upd.Status != unmask.SpotCheckScheduled && upd.Checker == nil {
		upd.Checker = &u.ID
	}
	sc, err := s.s.UpdateSpotCheck(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := changes(map[string]bool{"due": upd.DueAt != nil, "attestation": upd.Attestation != nil, "notes": upd.Notes != nil})
	if upd.Status != nil {
		detail = "status=" + string(*upd.Status) + " " + detail
	}
	return sc, s.audit(ctx, "spotcheck.update", "spot_check", id, detail)
}

// DeleteSpotCheck removes a spot check; administrators only.
func (s *Service) DeleteSpotCheck(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete spot checks", administers); err != nil {
		return err
	}
	if err := s.s.DeleteSpotCheck(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "spotcheck.delete", "spot_check", id, "")
}
