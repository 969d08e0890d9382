package unmask

import (
	"context"
	"time"
)

// AlertStatus is where an alert stands.
type AlertStatus string

// Alert statuses.
const (
	AlertOpen         AlertStatus = "open"
	AlertAcknowledged AlertStatus = "acknowledged"
	AlertClosed       AlertStatus = "closed"
)

// Valid reports whether s is a known status.
func (s AlertStatus) Valid() bool {
	return s == AlertOpen || s == AlertAcknowledged || s == AlertClosed
}

// Alert is one concern about one person, grouping the signals behind it. A person has at
// most one alert per concern that is not closed.
type Alert struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Concern groups signals: an indicator ID or family, e.g. "N-03" or "endpoint".
	Concern   string      `json:"concern"`
	Title     string      `json:"title"`
	Severity  Severity    `json:"severity"`
	Status    AlertStatus `json:"status"`
	SignalIDs []string    `json:"signal_ids"`
	Count     int         `json:"count"`
	FirstSeen time.Time   `json:"first_seen"`
	LastSeen  time.Time   `json:"last_seen"`
	CaseID    string      `json:"case_id,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Validate reports whether a is complete enough to store.
func (a *Alert) Validate() error {
	switch {
	case a.PersonID == "" || a.Concern == "":
		return Errorf(EINVALID, "Alert person and concern required.")
	case !a.Status.Valid():
		return Errorf(EINVALID, "Alert status %q is not valid.", a.Status)
	case !a.Severity.Valid():
		return Errorf(EINVALID, "Alert severity %q is not valid.", a.Severity)
	}
	return nil
}

// AlertFilter selects alerts. Nil fields do not filter.
type AlertFilter struct {
	PersonID *string
	Status   *AlertStatus
	Concern  *string
	CaseID   *string
	// Open selects alerts that are not closed.
	Open bool
	Page
}

// AlertUpdate changes the non-nil fields of an alert.
type AlertUpdate struct {
	Title     *string
	Severity  *Severity
	Status    *AlertStatus
	SignalIDs []string // nil leaves them; non-nil replaces them
	Count     *int
	LastSeen  *time.Time
	CaseID    *string
}

// AlertService stores alerts.
type AlertService interface {
	FindAlertByID(ctx context.Context, id string) (*Alert, error)
	// FindAlerts returns matching alerts, most recently seen first, and the total count.
	FindAlerts(ctx context.Context, filter AlertFilter) ([]*Alert, int, error)
	// CreateAlert returns ECONFLICT if the person has an alert for the concern that is not
	// closed.
	CreateAlert(ctx context.Context, a *Alert) error
	UpdateAlert(ctx context.Context, id string, upd AlertUpdate) (*Alert, error)
	DeleteAlert(ctx context.Context, id string) error
}
