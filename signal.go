package unmask

import (
	"context"
	"time"
)

// Severity grades a signal, an alert or a rule.
type Severity string

// Severities, lowest first.
const (
	SeverityInfo     Severity = "informational"
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Rank orders severities: 0 for informational up to 4 for critical, -1 if unknown.
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 0
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return -1
}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return s.Rank() >= 0 }

// Signal is evidence that a person shows an indicator of the threat catalogue.
type Signal struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Indicator is the THREAT.md ID, e.g. "N-01" or "H-02".
	Indicator string `json:"indicator"`
	// Detector names what raised it: "sigma:<rule id>" or "analytics:<name>".
	Detector string   `json:"detector"`
	Severity Severity `json:"severity"`
	// Weight is the strength of the evidence, 0 to 1, before risk weighting.
	Weight   float64  `json:"weight"`
	EventIDs []string `json:"event_ids,omitempty"`
	// Explanation is one sentence a reviewer understands.
	Explanation string `json:"explanation"`
	// Key deduplicates: a detector re-raising the same Key for a person updates the signal.
	Key string `json:"key,omitempty"`
	// Time is when the evidence was first observed; LastSeen when last.
	Time      time.Time `json:"time"`
	LastSeen  time.Time `json:"last_seen"`
	Count     int       `json:"count"`
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is when the signal was last stored, created or changed.
	UpdatedAt time.Time `json:"updated_at"`
	// ClearedAt is when a case closed as legitimate reviewed the signal (ClearedBy is the
	// case); a cleared signal counts toward no risk score until it is seen again with new
	// evidence (see Cleared).
	ClearedAt time.Time `json:"cleared_at,omitzero"`
	ClearedBy string    `json:"cleared_by,omitempty"`
}

// Validate reports whether s is complete enough to store.
func (s *Signal) Validate() error {
	switch {
	case s.PersonID == "":
		return Errorf(EINVALID, "Signal person required.")
	case s.Indicator == "":
		return Errorf(EINVALID, "Signal indicator required.")
	case s.Detector == "":
		return Errorf(EINVALID, "Signal detector required.")
	case !s.Severity.Valid():
		return Errorf(EINVALID, "Signal severity %q is not valid.", s.Severity)
	case s.Weight < 0 || s.Weight > 1:
		return Errorf(EINVALID, "Signal weight %v is outside 0..1.", s.Weight)
	case s.Time.IsZero():
		return Errorf(EINVALID, "Signal time required.")
	}
	return nil
}

// SignalFilter selects signals. Nil fields do not filter.
type SignalFilter struct {
	PersonID  *string
	Indicator *string
	Detector  *string
	Key       *string
	Since     *time.Time
	// UpdatedSince selects signals stored or changed at or after it.
	UpdatedSince *time.Time
	Page
}

// SignalUpdate changes the non-nil fields of a signal.
type SignalUpdate struct {
	Severity    *Severity
	Weight      *float64
	EventIDs    []string // nil leaves them; non-nil replaces them
	Explanation *string
	LastSeen    *time.Time
	Count       *int
	// ClearedAt and ClearedBy set or (zero time, "") lift a case's clearing.
	ClearedAt *time.Time
	ClearedBy *string
}

// Cleared reports whether a legitimate case's review still covers the signal: it was
// cleared and not seen since.
func (s *Signal) Cleared() bool {
	return !s.ClearedAt.IsZero() && !s.LastSeen.After(s.ClearedAt)
}

// SignalService stores signals.
type SignalService interface {
	FindSignalByID(ctx context.Context, id string) (*Signal, error)
	// FindSignals returns matching signals, newest first, and the total count.
	FindSignals(ctx context.Context, filter SignalFilter) ([]*Signal, int, error)
	// CreateSignal returns ECONFLICT if the person already has a signal with the same
	// Detector and non-empty Key.
	CreateSignal(ctx context.Context, s *Signal) error
	UpdateSignal(ctx context.Context, id string, upd SignalUpdate) (*Signal, error)
	DeleteSignal(ctx context.Context, id string) error
}
