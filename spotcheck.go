package unmask

import (
	"context"
	"time"
)

// SpotCheckStatus is where an on-camera spot check stands.
type SpotCheckStatus string

// Spot-check statuses.
const (
	SpotCheckScheduled SpotCheckStatus = "scheduled"
	SpotCheckDone      SpotCheckStatus = "done"
	SpotCheckMissed    SpotCheckStatus = "missed"
	SpotCheckRefused   SpotCheckStatus = "refused"
	SpotCheckCancelled SpotCheckStatus = "cancelled"
)

// Valid reports whether s is a known status.
func (s SpotCheckStatus) Valid() bool {
	switch s {
	case SpotCheckScheduled, SpotCheckDone, SpotCheckMissed, SpotCheckRefused, SpotCheckCancelled:
		return true
	}
	return false
}

// Attestation is what the checker confirmed during a spot check.
type Attestation struct {
	IDMatched          bool `json:"id_matched"`          // the person on camera matched their ID
	SameLaptop         bool `json:"same_laptop"`         // they used the managed laptop shipped to them
	LocationConsistent bool `json:"location_consistent"` // their surroundings fit the claimed location
}

// SpotCheck is an on-camera verification of a worker.
type SpotCheck struct {
	ID       string `json:"id"`
	PersonID string `json:"person_id"`
	// Reason says why it was scheduled: random, risk, new_hire or manual.
	Reason      string          `json:"reason"`
	Status      SpotCheckStatus `json:"status"`
	DueAt       time.Time       `json:"due_at"`
	CompletedAt time.Time       `json:"completed_at,omitzero"`
	Checker     string          `json:"checker,omitempty"` // user id
	Attestation Attestation     `json:"attestation"`
	Notes       string          `json:"notes,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// Validate reports whether s is complete enough to store.
func (s *SpotCheck) Validate() error {
	switch {
	case s.PersonID == "":
		return Errorf(EINVALID, "Spot check person required.")
	case !s.Status.Valid():
		return Errorf(EINVALID, "Spot check status %q is not valid.", s.Status)
	case s.DueAt.IsZero():
		return Errorf(EINVALID, "Spot check due time required.")
	}
	return nil
}

// SpotCheckFilter selects spot checks. Nil fields do not filter.
type SpotCheckFilter struct {
	PersonID  *string
	Status    *SpotCheckStatus
	DueBefore *time.Time
	Page
}

// SpotCheckUpdate changes the non-nil fields of a spot check.
type SpotCheckUpdate struct {
	Status      *SpotCheckStatus
	DueAt       *time.Time
	CompletedAt *time.Time
	Checker     *string
	Attestation *Attestation
	Notes       *string
}

// SpotCheckService stores spot checks.
type SpotCheckService interface {
	FindSpotCheckByID(ctx context.Context, id string) (*SpotCheck, error)
	// FindSpotChecks returns matching checks, soonest due first, and the total count.
	FindSpotChecks(ctx context.Context, filter SpotCheckFilter) ([]*SpotCheck, int, error)
	CreateSpotCheck(ctx context.Context, s *SpotCheck) error
	UpdateSpotCheck(ctx context.Context, id string, upd SpotCheckUpdate) (*SpotCheck, error)
	DeleteSpotCheck(ctx context.Context, id string) error
}
