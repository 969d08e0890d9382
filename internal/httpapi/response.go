package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

func (s *Server) handleAlerts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	status, err := queryEnum(r, "status", unmask.AlertStatus.Valid)
	if err != nil {
		return err
	}
	f := unmask.AlertFilter{PersonID: query(r, "person"), Status: status, Concern: query(r, "concern"),
		Open: r.URL.Query().Get("open") == "true", Page: p}
	list, total, err := s.svc.FindAlerts(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// setAlertStatus returns a handler that moves an alert to status.
func (s *Server) setAlertStatus(status unmask.AlertStatus) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.svc.UpdateAlert(r.Context(), r.PathValue("id"), unmask.AlertUpdate{Status: &status})
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, a)
	}
}

func (s *Server) handleCases(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	status, err := queryEnum(r, "status", unmask.CaseStatus.Valid)
	if err != nil {
		return err
	}
	f := unmask.CaseFilter{PersonID: query(r, "person"), Status: status, Assignee: query(r, "assignee"), AlertID: query(r, "alert"), Page: p}
	list, total, err := s.svc.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// caseRequest is the body of POST /api/v1/cases: a case from an alert or for a person.
type caseRequest struct {
	AlertID  string `json:"alert_id,omitempty"`
	PersonID string `json:"person_id,omitempty"`
	Title    string `json:"title,omitempty"`
	Assignee string `json:"assignee,omitempty"`
}

// openCase creates a case from an alert (attaching the alert and its signals) or for a
// person.
func (s *Server) openCase(ctx context.Context, req caseRequest) (*unmask.Case, error) {
	c := &unmask.Case{PersonID: req.PersonID, Title: strings.TrimSpace(req.Title), Status: unmask.CaseOpen, Assignee: req.Assignee}
	var alert *unmask.Alert
	if req.AlertID != "" {
		a, err := s.svc.FindAlertByID(ctx, req.AlertID)
		if err != nil {
			return nil, err
		}
		if req.PersonID != "" && req.PersonID != a.PersonID {
			return nil, unmask.Errorf(unmask.EINVALID, "The alert belongs to another person.")
		}
		if a.CaseID != "" {
			return nil, unmask.Errorf(unmask.ECONFLICT, "The alert is already attached to a case.")
		}
		alert, c.PersonID, c.AlertID, c.Evidence = a, a.PersonID, a.ID, a.SignalIDs
		if c.Title == "" {
			c.Title = a.Title
		}
	}
	if c.PersonID == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "Give alert_id or person_id.")
	}
	if _, err := s.svc.FindPersonByID(ctx, c.PersonID); err != nil {
		return nil, err
	}
	if err := s.svc.CreateCase(ctx, c); err != nil {
		return nil, err
	}
	if alert != nil {
		if _, err := s.svc.UpdateAlert(ctx, alert.ID, unmask.AlertUpdate{CaseID: &c.ID}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (s *Server) handleCreateCase(w http.ResponseWriter, r *http.Request) error {
	var req caseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.openCase(r.Context(), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// caseView is a case with its notes.
type caseView struct {
	*unmask.Case
	Notes []*unmask.CaseNote `json:"notes"`
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	notes, err := s.svc.FindCaseNotes(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, caseView{Case: c, Notes: notes})
}

// caseUpdateRequest is the body of PATCH /api/v1/cases/{id}.
type caseUpdateRequest struct {
	Title       *string             `json:"title,omitempty"`
	Status      *unmask.CaseStatus  `json:"status,omitempty"`
	Disposition *unmask.Disposition `json:"disposition,omitempty"`
	Assignee    *string             `json:"assignee,omitempty"`
}

func (s *Server) handleUpdateCase(w http.ResponseWriter, r *http.Request) error {
	var req caseUpdateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Status != nil && !req.Status.Valid() {
		return unmask.Errorf(unmask.EINVALID, "Case status %q is not valid.", *req.Status)
	}
	c, err := s.svc.UpdateCase(r.Context(), r.PathValue("id"), unmask.CaseUpdate{Title: req.Title, Status: req.Status,
		Disposition: req.Disposition, Assignee: req.Assignee})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) handleCaseNote(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Body string `json:"body"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	n, err := s.addNote(r.Context(), r.PathValue("id"), req.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, n)
}

// addNote adds a note to an existing case.
func (s *Server) addNote(ctx context.Context, caseID, body string) (*unmask.CaseNote, error) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 20000 {
		return nil, unmask.Errorf(unmask.EINVALID, "A note needs between 1 and 20000 characters.")
	}
	if _, err := s.svc.FindCaseByID(ctx, caseID); err != nil {
		return nil, err
	}
	n := &unmask.CaseNote{CaseID: caseID, Body: body}
	return n, s.svc.CreateCaseNote(ctx, n)
}

func (s *Server) handleCaseEvidence(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		IDs []string `json:"ids"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 {
		return unmask.Errorf(unmask.EINVALID, "Give the signal or event ids to attach.")
	}
	c, err := s.svc.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	evidence := append([]string{}, c.Evidence...)
	for _, id := range req.IDs {
		if id != "" && !slices.Contains(evidence, id) {
			evidence = append(evidence, id)
		}
	}
	c, err = s.svc.UpdateCase(r.Context(), c.ID, unmask.CaseUpdate{Evidence: evidence})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) handleSpotChecks(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	status, err := queryEnum(r, "status", unmask.SpotCheckStatus.Valid)
	if err != nil {
		return err
	}
	due, err := queryTime(r, "due_before")
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindSpotChecks(r.Context(), unmask.SpotCheckFilter{PersonID: query(r, "person"), Status: status, DueBefore: due, Page: p})
	if err != nil {
		return err
	}
	return writeList(w, list, total, p)
}

// spotCheckRequest is the body of POST /api/v1/spotchecks.
type spotCheckRequest struct {
	PersonID string    `json:"person_id"`
	DueAt    time.Time `json:"due_at"`
	Reason   string    `json:"reason"`
}

var spotCheckReasons = []string{"random", "risk", "new_hire", "manual"}

// scheduleSpotCheck validates and stores a new spot check.
func (s *Server) scheduleSpotCheck(ctx context.Context, req spotCheckRequest) (*unmask.SpotCheck, error) {
	if req.Reason == "" {
		req.Reason = "manual"
	}
	if !slices.Contains(spotCheckReasons, req.Reason) {
		return nil, unmask.Errorf(unmask.EINVALID, "Reason %q is not random, risk, new_hire or manual.", req.Reason)
	}
	if req.PersonID == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "Spot check person required.")
	}
	if _, err := s.svc.FindPersonByID(ctx, req.PersonID); err != nil {
		return nil, err
	}
	sc := &unmask.SpotCheck{PersonID: req.PersonID, DueAt: req.DueAt, Reason: req.Reason, Status: unmask.SpotCheckScheduled}
	return sc, s.svc.CreateSpotCheck(ctx, sc)
}

func (s *Server) handleCreateSpotCheck(w http.ResponseWriter, r *http.Request) error {
	var req spotCheckRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sc, err := s.scheduleSpotCheck(r.Context(), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, sc)
}

// spotCheckResult is the body of POST /api/v1/spotchecks/{id}/result.
type spotCheckResult struct {
	Status      unmask.SpotCheckStatus `json:"status"`
	Attestation unmask.Attestation     `json:"attestation"`
	Notes       string                 `json:"notes,omitempty"`
}

// recordSpotCheck stores the outcome of a spot check.
func (s *Server) recordSpotCheck(ctx context.Context, id string, res spotCheckResult) (*unmask.SpotCheck, error) {
	switch res.Status {
	case unmask.SpotCheckDone, unmask.SpotCheckMissed, unmask.SpotCheckRefused, unmask.SpotCheckCancelled:
	default:
		return nil, unmask.Errorf(unmask.EINVALID, "Result status %q is not done, missed, refused or cancelled.", res.Status)
	}
	now := s.now().UTC()
	return s.svc.UpdateSpotCheck(ctx, id, unmask.SpotCheckUpdate{Status: &res.Status, CompletedAt: &now,
		Attestation: &res.Attestation, Notes: &res.Notes})
}

func (s *Server) handleSpotCheckResult(w http.ResponseWriter, r *http.Request) error {
	var req spotCheckResult
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sc, err := s.recordSpotCheck(r.Context(), r.PathValue("id"), req)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sc)
}
