package unmask

import (
	"context"
	"time"
)

// PersonKind says whether a person is an applicant, an employee or a contractor.
type PersonKind string

// Person kinds.
const (
	PersonApplicant  PersonKind = "applicant"
	PersonEmployee   PersonKind = "employee"
	PersonContractor PersonKind = "contractor"
)

// Valid reports whether k is a known kind.
func (k PersonKind) Valid() bool {
	switch k {
	case PersonApplicant, PersonEmployee, PersonContractor:
		return true
	}
	return false
}

// PersonStatus is where a person stands: an applicant in the pipeline, a rejected or hired
// applicant, an active or terminated worker.
type PersonStatus string

// Person statuses.
const (
	StatusApplied    PersonStatus = "applied"
	StatusRejected   PersonStatus = "rejected"
	StatusHired      PersonStatus = "hired"
	StatusActive     PersonStatus = "active"
	StatusOnLeave    PersonStatus = "on_leave"
	StatusTerminated PersonStatus = "terminated"
)

// Valid reports whether s is a known status.
func (s PersonStatus) Valid() bool {
	switch s {
	case StatusApplied, StatusRejected, StatusHired, StatusActive, StatusOnLeave, StatusTerminated:
		return true
	}
	return false
}

// Location is a place a person claims or an event was seen from.
type Location struct {
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Region  string `json:"region,omitempty"`
	City    string `json:"city,omitempty"`
}

// Person is an applicant, employee or contractor.
type Person struct {
	ID          string       `json:"id"`
	Kind        PersonKind   `json:"kind"`
	Status      PersonStatus `json:"status"`
	DisplayName string       `json:"display_name"`
	Department  string       `json:"department,omitempty"`
	Title       string       `json:"title,omitempty"`
	ManagerID   string       `json:"manager_id,omitempty"`
	// ExternalID is the person's id in the system of record (HRIS employee id, ATS
	// candidate id); unique per ExternalSource.
	ExternalSource string `json:"external_source,omitempty"`
	ExternalID     string `json:"external_id,omitempty"`
	// Location and TimeZone are what the person claims (HR home address, application).
	Location Location  `json:"location"`
	TimeZone string    `json:"time_zone,omitempty"` // IANA name, e.g. "America/Chicago"
	HireDate time.Time `json:"hire_date,omitzero"`
	// EndDate is when employment ended, if it has.
	EndDate   time.Time `json:"end_date,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate reports whether p is complete enough to store.
func (p *Person) Validate() error {
	switch {
	case p.DisplayName == "":
		return Errorf(EINVALID, "Person display name required.")
	case !p.Kind.Valid():
		return Errorf(EINVALID, "Person kind %q is not one of applicant, employee, contractor.", p.Kind)
	case !p.Status.Valid():
		return Errorf(EINVALID, "Person status %q is not valid.", p.Status)
	}
	return nil
}

// TenureDays returns whole days since the hire date at now, or -1 if there is none.
func (p *Person) TenureDays(now time.Time) int {
	if p.HireDate.IsZero() {
		return -1
	}
	return int(now.Sub(p.HireDate).Hours() / 24)
}

// PersonFilter selects people. Nil fields do not filter.
type PersonFilter struct {
	ID             *string
	Kind           *PersonKind
	Status         *PersonStatus
	Department     *string
	ExternalSource *string
	ExternalID     *string
	// Query matches a substring of the display name, case-insensitively.
	Query *string
	Page
}

// PersonUpdate changes the non-nil fields of a person.
type PersonUpdate struct {
	Kind        *PersonKind
	Status      *PersonStatus
	DisplayName *string
	Department  *string
	Title       *string
	ManagerID   *string
	Location    *Location
	TimeZone    *string
	HireDate    *time.Time
	EndDate     *time.Time
}

// PersonService stores people. Implementations are safe for concurrent use.
type PersonService interface {
	// FindPersonByID returns ENOTFOUND if there is no such person.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPeople returns matching people ordered by display name, and the total count.
	FindPeople(ctx context.Context, filter PersonFilter) ([]*Person, int, error)
	// CreatePerson assigns ID and timestamps. A duplicate (ExternalSource, ExternalID)
	// returns ECONFLICT.
	CreatePerson(ctx context.Context, p *Person) error
	UpdatePerson(ctx context.Context, id string, upd PersonUpdate) (*Person, error)
	// DeletePerson removes a person and everything that belongs to them.
	DeletePerson(ctx context.Context, id string) error
}
