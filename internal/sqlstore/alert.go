package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const alertCols = "id, person_id, concern, title, severity, status, signal_ids, count, first_seen, last_seen, case_id, created_at, updated_at"

func scanAlert(r scanner) (*unmask.Alert, error) {
	var a unmask.Alert
	var signals string
	var first, last, created, updated int64
	err := r.Scan(&a.ID, &a.PersonID, &a.Concern, &a.Title, &a.Severity, &a.Status, &signals,
		&a.Count, &first, &last, &a.CaseID, &created, &updated)
	if err != nil {
		return nil, err
	}
	a.FirstSeen, a.LastSeen, a.CreatedAt, a.UpdatedAt = fromTS(first), fromTS(last), fromTS(created), fromTS(updated)
	return &a, fromJSON(signals, &a.SignalIDs)
}

// FindAlertByID returns one alert.
func (s *Store) FindAlertByID(ctx context.Context, id string) (*unmask.Alert, error) {
	return one(ctx, s, "FindAlertByID", "Alert", "SELECT "+alertCols+" FROM alerts WHERE id = ?", scanAlert, id)
}

// FindAlerts returns matching alerts, most recently seen first.
func (s *Store) FindAlerts(ctx context.Context, f unmask.AlertFilter) ([]*unmask.Alert, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "status", f.Status)
	eq(&w, "concern", f.Concern)
	eq(&w, "case_id", f.CaseID)
	if f.Open {
		w.add("status <> 'closed'")
	}
	return list(ctx, s, "FindAlerts", alertCols, "alerts", w, "last_seen DESC, id", f.Page, scanAlert)
}

// CreateAlert stores a new alert.
func (s *Store) CreateAlert(ctx context.Context, a *unmask.Alert) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if a.ID == "" {
		a.ID = newID()
	}
	now := s.now()
	a.CreatedAt, a.UpdatedAt = now, now
	if a.FirstSeen.IsZero() {
		a.FirstSeen = now
	}
	if a.LastSeen.IsZero() {
		a.LastSeen = a.FirstSeen
	}
	_, err := s.exec(ctx, "INSERT INTO alerts ("+alertCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		a.ID, a.PersonID, a.Concern, a.Title, a.Severity, a.Status, jsonText(orEmpty(a.SignalIDs)), a.Count,
		ts(a.FirstSeen), ts(a.LastSeen), a.CaseID, ts(a.CreatedAt), ts(a.UpdatedAt))
	return s.classify("CreateAlert", err)
}

// UpdateAlert changes an alert.
func (s *Store) UpdateAlert(ctx context.Context, id string, upd unmask.AlertUpdate) (*unmask.Alert, error) {
	if upd.Status != nil && !upd.Status.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Alert status %q is not valid.", *upd.Status)
	}
	if upd.Severity != nil && !upd.Severity.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Alert severity %q is not valid.", *upd.Severity)
	}
	var u set
	setv(&u, "title", upd.Title)
	setv(&u, "severity", upd.Severity)
	setv(&u, "status", upd.Status)
	if upd.SignalIDs != nil {
		u.add("signal_ids", jsonText(upd.SignalIDs))
	}
	setv(&u, "count", upd.Count)
	sett(&u, "last_seen", upd.LastSeen)
	setv(&u, "case_id", upd.CaseID)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateAlert", "Alert", "alerts", id, &u); err != nil {
		return nil, err
	}
	return s.FindAlertByID(ctx, id)
}

// DeleteAlert removes an alert.
func (s *Store) DeleteAlert(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteAlert", "Alert", "alerts", id)
}
