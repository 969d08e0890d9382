package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/casework"
)

// alertRow is one row of the alert table.
type alertRow struct {
	Alert *unmask.Alert
	Name  string
	User  *unmask.User
}

func (s *Server) pageAlerts(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	status, err := queryEnum(r, "status", unmask.AlertStatus.Valid)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindAlerts(r.Context(), unmask.AlertFilter{Status: status, Open: status == nil, Page: p})
	if err != nil {
		return err
	}
	rows, err := s.alertRows(r, list)
	if err != nil {
		return err
	}
	st := ""
	if status != nil {
		st = string(*status)
	}
	d := map[string]any{"Rows": rows, "Status": st, "Pager": newPager(r, p, len(rows), total),
		"Statuses": []unmask.AlertStatus{unmask.AlertOpen, unmask.AlertAcknowledged, unmask.AlertClosed}}
	return s.render(w, r, http.StatusOK, "alerts", "alerts", pageData{D: d})
}

func (s *Server) alertRows(r *http.Request, list []*unmask.Alert) ([]alertRow, error) {
	var ids []string
	for _, a := range list {
		ids = append(ids, a.PersonID)
	}
	names, err := s.names(r.Context(), ids...)
	if err != nil {
		return nil, err
	}
	rows := make([]alertRow, len(list))
	for i, a := range list {
		rows[i] = alertRow{Alert: a, Name: names[a.PersonID], User: unmask.UserFromContext(r.Context())}
	}
	return rows, nil
}

// postAlertStatus acknowledges or closes an alert and answers with its new row.
func (s *Server) postAlertStatus(status unmask.AlertStatus) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.svc.UpdateAlert(r.Context(), r.PathValue("id"), unmask.AlertUpdate{Status: &status})
		if err != nil {
			return err
		}
		if !isFragment(r) {
			return redirect(w, r, "/alerts")
		}
		rows, err := s.alertRows(r, []*unmask.Alert{a})
		if err != nil {
			return err
		}
		return s.fragment(w, r, http.StatusOK, "alerts", "row", pageData{D: rows[0]})
	}
}

// caseRow is one row of the case table.
type caseRow struct {
	Case     *unmask.Case
	Name     string
	Assignee string
}

func (s *Server) pageCases(w http.ResponseWriter, r *http.Request) error {
	p, err := pageOf(r)
	if err != nil {
		return err
	}
	status, err := queryEnum(r, "status", unmask.CaseStatus.Valid)
	if err != nil {
		return err
	}
	list, total, err := s.svc.FindCases(r.Context(), unmask.CaseFilter{Status: status, Page: p})
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.PersonID)
	}
	names, err := s.names(r.Context(), ids...)
	if err != nil {
		return err
	}
	users := s.usernames(r.Context())
	rows := make([]caseRow, len(list))
	for i, c := range list {
		rows[i] = caseRow{Case: c, Name: names[c.PersonID], Assignee: users[c.Assignee]}
	}
	st := ""
	if status != nil {
		st = string(*status)
	}
	d := map[string]any{"Rows": rows, "Status": st, "Pager": newPager(r, p, len(rows), total),
		"Statuses": []unmask.CaseStatus{unmask.CaseOpen, unmask.CaseInvestigating, unmask.CaseEscalated, unmask.CaseClosed}}
	return s.render(w, r, http.StatusOK, "cases", "cases", pageData{D: d})
}

// usernames maps user ids to usernames when the role may list users; otherwise it is
// empty and the UI shows ids.
func (s *Server) usernames(ctx context.Context) map[string]string {
	out := map[string]string{}
	users, _, err := s.svc.FindUsers(ctx, unmask.UserFilter{Page: unmask.Page{Limit: unmask.MaxLimit}})
	if err != nil {
		return out
	}
	for _, u := range users {
		out[u.ID] = u.Username
	}
	return out
}

func (s *Server) postCase(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	c, err := s.openCase(r.Context(), caseRequest{AlertID: r.PostFormValue("alert_id"), PersonID: r.PostFormValue("person_id"), Title: r.PostFormValue("title")})
	if err != nil {
		return err
	}
	return redirect(w, r, "/cases/"+url.PathEscape(c.ID))
}

// parseForm reads a small form body.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return err
		}
		return unmask.Errorf(unmask.EINVALID, "Unreadable form.")
	}
	return nil
}

// evidenceItem is one piece of case evidence: a signal when it is one, else an id.
type evidenceItem struct {
	ID     string
	Signal *unmask.Signal
}

// caseData gathers what the case page shows.
func (s *Server) caseData(ctx context.Context, id string) (map[string]any, error) {
	c, err := s.svc.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	notes, err := s.svc.FindCaseNotes(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	names, err := s.names(ctx, c.PersonID)
	if err != nil {
		return nil, err
	}
	users := s.usernames(ctx)
	shown := make([]*unmask.CaseNote, len(notes))
	for i, n := range notes {
		cp := *n
		if name := users[n.Author]; name != "" {
			cp.Author = name
		}
		shown[i] = &cp
	}
	var evidence []evidenceItem
	for _, eid := range c.Evidence {
		item := evidenceItem{ID: eid}
		if sig, err := s.svc.FindSignalByID(ctx, eid); err == nil {
			item.Signal = sig
		}
		evidence = append(evidence, item)
	}
	var next []unmask.CaseStatus
	for _, st := range []unmask.CaseStatus{unmask.CaseOpen, unmask.CaseInvestigating, unmask.CaseEscalated, unmask.CaseClosed} {
		if st != c.Status {
			next = append(next, st)
		}
	}
	var userList []*unmask.User
	if list, _, err := s.svc.FindUsers(ctx, unmask.UserFilter{Page: unmask.Page{Limit: unmask.MaxLimit}}); err == nil {
		userList = list
	}
	return map[string]any{"Case": c, "Name": names[c.PersonID], "Notes": shown, "Evidence": evidence, "Next": next,
		"Assignee": users[c.Assignee], "Users": userList,
		"Dispositions": []unmask.Disposition{unmask.DispositionConfirmedFraud, unmask.DispositionLegitimate, unmask.DispositionInconclusive}}, nil
}

func (s *Server) pageCase(w http.ResponseWriter, r *http.Request) error {
	d, err := s.caseData(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "case", "cases", pageData{D: d})
}

// caseChange applies a change from a case form through the case workflow and answers with
// the status panel (htmx) or the page; a refused change (a workflow error) is shown in the
// panel with 400.
func (s *Server) caseChange(w http.ResponseWriter, r *http.Request, e caseEdit) error {
	id := r.PathValue("id")
	_, uerr := s.editCase(r.Context(), id, e)
	if uerr != nil && unmask.ErrorCode(uerr) != unmask.EINVALID {
		return uerr
	}
	d, err := s.caseData(r.Context(), id)
	if err != nil {
		return err
	}
	pd, status := pageData{D: d}, http.StatusOK
	if uerr != nil {
		pd.Error, status = unmask.ErrorMessage(uerr), http.StatusBadRequest
	}
	if isFragment(r) {
		return s.fragment(w, r, status, "case", "casestatus", pd)
	}
	if uerr == nil {
		return redirect(w, r, "/cases/"+url.PathEscape(id))
	}
	return s.render(w, r, status, "case", "cases", pd)
}

func (s *Server) postCaseStatus(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	st := unmask.CaseStatus(r.PostFormValue("status"))
	e := caseEdit{Status: &st, EscalateTo: casework.Escalation(r.PostFormValue("escalate_to")), Note: r.PostFormValue("note")}
	if d := unmask.Disposition(r.PostFormValue("disposition")); d != "" {
		e.Disposition = &d
	}
	return s.caseChange(w, r, e)
}

func (s *Server) postCaseAssignee(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	a := r.PostFormValue("assignee")
	return s.caseChange(w, r, caseEdit{Assignee: &a})
}

func (s *Server) postCaseNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	n, err := s.addNote(r.Context(), r.PathValue("id"), r.PostFormValue("body"))
	if err != nil {
		return err
	}
	if !isFragment(r) {
		return redirect(w, r, "/cases/"+url.PathEscape(n.CaseID))
	}
	shown := *n
	shown.Author = unmask.UserFromContext(r.Context()).Username
	return s.fragment(w, r, http.StatusOK, "case", "notefrag", pageData{D: &shown})
}

func (s *Server) pageSpotChecks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	list, _, err := s.svc.FindSpotChecks(ctx, unmask.SpotCheckFilter{Page: unmask.Page{Limit: 200}})
	if err != nil {
		return err
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.PersonID)
	}
	names, err := s.names(ctx, ids...)
	if err != nil {
		return err
	}
	type row struct {
		Check *unmask.SpotCheck
		Name  string
	}
	rows := make([]row, len(list))
	for i, c := range list {
		rows[i] = row{c, names[c.PersonID]}
	}
	people, _, err := s.svc.FindPeople(ctx, unmask.PersonFilter{Page: unmask.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "spotchecks", "spotchecks", pageData{D: map[string]any{"Rows": rows, "People": people}})
}

// formTime parses a datetime-local form value as UTC.
func formTime(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.Parse(layout, strings.TrimSpace(v)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, unmask.Errorf(unmask.EINVALID, "Give the due time as YYYY-MM-DDTHH:MM.")
}

func (s *Server) postSpotCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	due, err := formTime(r.PostFormValue("due_at"))
	if err != nil {
		return err
	}
	if _, err := s.scheduleSpotCheck(r.Context(), spotCheckRequest{PersonID: r.PostFormValue("person_id"), DueAt: due, Reason: r.PostFormValue("reason")}); err != nil {
		return err
	}
	return redirect(w, r, "/spotchecks")
}

func (s *Server) postSpotCheckResult(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	on := func(k string) bool { return r.PostFormValue(k) != "" }
	res := spotCheckResult{Status: unmask.SpotCheckStatus(r.PostFormValue("status")), Notes: r.PostFormValue("notes"),
		Attestation: unmask.Attestation{IDMatched: on("id_matched"), SameLaptop: on("same_laptop"), LocationConsistent: on("location_consistent")}}
	if _, err := s.recordSpotCheck(r.Context(), r.PathValue("id"), res); err != nil {
		return err
	}
	return redirect(w, r, "/spotchecks")
}
