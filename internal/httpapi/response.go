package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
	"github.com/unmask/unmask/internal/spotcheck"
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

// openCase opens a case through the case workflow: from an alert (linking and
// acknowledging it and attaching its signals) or for a person.
func (s *Server) openCase(ctx context.Context, req caseRequest) (*unmask.Case, error) {
	cw, err := s.caseFlow(ctx, "open cases")
	if err != nil {
		return nil, err
	}
	open := casework.OpenRequest{Title: strings.TrimSpace(req.Title), Assignee: req.Assignee}
	switch {
	case req.AlertID != "":
		if req.PersonID != "" {
			a, err := s.svc.FindAlertByID(ctx, req.AlertID)
			if err != nil {
				return nil, err
			}
			if req.PersonID != a.PersonID {
				return nil, unmask.Errorf(unmask.EINVALID, "The alert belongs to another person.")
			}
		}
		return cw.OpenFromAlert(ctx, req.AlertID, open)
	case req.PersonID != "":
		return cw.OpenForPerson(ctx, req.PersonID, open)
	}
	return nil, unmask.Errorf(unmask.EINVALID, "Give alert_id or person_id.")
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

// caseUpdateRequest is the body of PATCH /api/v1/cases/{id}: a caseEdit in JSON.
type caseUpdateRequest struct {
	Title       *string             `json:"title,omitempty"`
	Status      *unmask.CaseStatus  `json:"status,omitempty"`
	Disposition *unmask.Disposition `json:"disposition,omitempty"`
	// EscalateTo is hr (the default) or legal, when escalating.
	EscalateTo casework.Escalation `json:"escalate_to,omitempty"`
	Assignee   *string             `json:"assignee,omitempty"`
	// Note is added to the case with the status change, or alone.
	Note string `json:"note,omitempty"`
}

func (s *Server) handleUpdateCase(w http.ResponseWriter, r *http.Request) error {
	var req caseUpdateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Status != nil && !req.Status.Valid() {
		return unmask.Errorf(unmask.EINVALID, "Case status %q is not valid.", *req.Status)
	}
	c, err := s.editCase(r.Context(), r.PathValue("id"), caseEdit(req))
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

// addNote adds a note to an existing case through the case workflow.
func (s *Server) addNote(ctx context.Context, caseID, body string) (*unmask.CaseNote, error) {
	body, err := noteText(body)
	if err != nil || body == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "A note needs between 1 and %d characters.", maxNote)
	}
	cw, err := s.caseFlow(ctx, "write case notes")
	if err != nil {
		return nil, err
	}
	return cw.AddNote(ctx, caseID, body)
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
	cw, err := s.caseFlow(r.Context(), "change cases")
	if err != nil {
		return err
	}
	c, err := cw.AttachEvidence(r.Context(), r.PathValue("id"), req.IDs...)
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

// scheduleSpotCheck validates a new spot check and schedules it through the spot-check
// workflow. A check a person schedules is a manual one, whatever reason the request
// gives: random, risk and new-hire checks are the planner's, and it counts them.
func (s *Server) scheduleSpotCheck(ctx context.Context, req spotCheckRequest) (*unmask.SpotCheck, error) {
	if req.Reason == "" {
		req.Reason = spotcheck.ReasonManual
	}
	if !slices.Contains(spotCheckReasons, req.Reason) {
		return nil, unmask.Errorf(unmask.EINVALID, "Reason %q is not random, risk, new_hire or manual.", req.Reason)
	}
	if req.PersonID == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "Spot check person required.")
	}
	sw, err := s.spotFlow(ctx, "schedule spot checks")
	if err != nil {
		return nil, err
	}
	return sw.Schedule(ctx, req.PersonID, req.DueAt)
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

// recordSpotCheck stores the outcome of a scheduled spot check through the spot-check
// workflow, which raises the signals a refused or missed check or a failed attestation
// calls for. Cancelling takes no notes.
func (s *Server) recordSpotCheck(ctx context.Context, id string, res spotCheckResult) (*unmask.SpotCheck, error) {
	switch res.Status {
	case unmask.SpotCheckDone, unmask.SpotCheckMissed, unmask.SpotCheckRefused, unmask.SpotCheckCancelled:
	default:
		return nil, unmask.Errorf(unmask.EINVALID, "Result status %q is not done, missed, refused or cancelled.", res.Status)
	}
	sw, err := s.spotFlow(ctx, "record spot checks")
	if err != nil {
		return nil, err
	}
	var sc *unmask.SpotCheck
	switch res.Status {
	case unmask.SpotCheckMissed:
		sc, _, err = sw.Miss(ctx, id, res.Notes)
	case unmask.SpotCheckCancelled:
		sc, err = sw.Cancel(ctx, id)
	default:
		sc, _, err = sw.Record(ctx, id, spotcheck.Result{Status: res.Status, Attestation: res.Attestation, Notes: res.Notes})
	}
	return sc, err
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
