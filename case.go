package unmask

import (
	"context"
	"slices"
	"time"
)

// CaseStatus is where an investigation stands.
type CaseStatus string

// Case statuses, in workflow order.
const (
	CaseOpen          CaseStatus = "open"
	CaseInvestigating CaseStatus = "investigating"
	CaseEscalated     CaseStatus = "escalated" // to HR or legal
	CaseClosed        CaseStatus = "closed"
)

// caseTransitions lists the statuses each status may move to.
var caseTransitions = map[CaseStatus][]CaseStatus{
	CaseOpen:          {CaseInvestigating, CaseClosed},
	CaseInvestigating: {CaseEscalated, CaseClosed},
	CaseEscalated:     {CaseInvestigating, CaseClosed},
	CaseClosed:        {CaseInvestigating},
}

// Valid reports whether s is a known status.
func (s CaseStatus) Valid() bool {
	_, ok := caseTransitions[s]
	return ok
}

// CanTransition reports whether a case may move from s to next.
func (s CaseStatus) CanTransition(next CaseStatus) bool {
	return slices.Contains(caseTransitions[s], next)
}

// Disposition is the outcome of a closed case.
type Disposition string

// Dispositions.
const (
	DispositionConfirmedFraud Disposition = "confirmed_fraud"
	DispositionLegitimate     Disposition = "legitimate"
	DispositionInconclusive   Disposition = "inconclusive"
)

// Valid reports whether d is a known disposition.
func (d Disposition) Valid() bool {
	return d == DispositionConfirmedFraud || d == DispositionLegitimate || d == DispositionInconclusive
}

// Case is an investigation of a person.
type Case struct {
	ID          string      `json:"id"`
	PersonID    string      `json:"person_id"`
	AlertID     string      `json:"alert_id,omitempty"`
	Title       string      `json:"title"`
	Status      CaseStatus  `json:"status"`
	Disposition Disposition `json:"disposition,omitempty"`
	Assignee    string      `json:"assignee,omitempty"` // user id
	CreatedBy   string      `json:"created_by"`         // user id
	// Evidence lists the signal and event ids attached to the case.
	Evidence  []string  `json:"evidence,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
}

// Validate reports whether c is complete enough to store.
func (c *Case) Validate() error {
	switch {
	case c.PersonID == "":
		return Errorf(EINVALID, "Case person required.")
	case c.Title == "":
		return Errorf(EINVALID, "Case title required.")
	case !c.Status.Valid():
		return Errorf(EINVALID, "Case status %q is not valid.", c.Status)
	case c.Status == CaseClosed && !c.Disposition.Valid():
		return Errorf(EINVALID, "A closed case needs a disposition: confirmed_fraud, legitimate or inconclusive.")
	case c.Status != CaseClosed && c.Disposition != "":
		return Errorf(EINVALID, "Only a closed case has a disposition.")
	}
	return nil
}

// CaseNote is a note on a case.
type CaseNote struct {
	ID        string    `json:"id"`
	CaseID    string    `json:"case_id"`
	Author    string    `json:"author"` // user id
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// CaseFilter selects cases. Nil fields do not filter.
type CaseFilter struct {
	PersonID *string
	Status   *CaseStatus
	Assignee *string
	AlertID  *string
	Page
}

// CaseUpdate changes the non-nil fields of a case. Stores check that a status change is an
// allowed transition and that a closed case has a disposition.
type CaseUpdate struct {
	Title       *string
	Status      *CaseStatus
	Disposition *Disposition
	Assignee    *string
	Evidence    []string // nil leaves them; non-nil replaces them
}

// CaseService stores cases and their notes.
type CaseService interface {
	FindCaseByID(ctx context.Context, id string) (*Case, error)
	// FindCases returns matching cases, most recently updated first, and the total count.
	FindCases(ctx context.Context, filter CaseFilter) ([]*Case, int, error)
	CreateCase(ctx context.Context, c *Case) error
	// UpdateCase returns EINVALID for a transition the workflow does not allow.
	UpdateCase(ctx context.Context, id string, upd CaseUpdate) (*Case, error)
	DeleteCase(ctx context.Context, id string) error
	// CreateCaseNote adds a note; FindCaseNotes lists a case's notes, oldest first.
	CreateCaseNote(ctx context.Context, n *CaseNote) error
	FindCaseNotes(ctx context.Context, caseID string) ([]*CaseNote, error)
}
