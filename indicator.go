package unmask

import (
	"context"
	"time"
)

// IndicatorType is the type of a threat-intelligence indicator.
type IndicatorType string

// Indicator types.
const (
	IOCEmail       IndicatorType = "email"
	IOCPhone       IndicatorType = "phone"
	IOCGitHubLogin IndicatorType = "github_login"
	IOCDomain      IndicatorType = "domain"
	IOCIP          IndicatorType = "ip"
	IOCCIDR        IndicatorType = "cidr"
	IOCURL         IndicatorType = "url"
	IOCWallet      IndicatorType = "wallet"
	IOCAddress     IndicatorType = "address"
	IOCBankAccount IndicatorType = "bank_account"
	IOCFileHash    IndicatorType = "file_hash"
)

// Valid reports whether t is a known type.
func (t IndicatorType) Valid() bool {
	switch t {
	case IOCEmail, IOCPhone, IOCGitHubLogin, IOCDomain, IOCIP, IOCCIDR, IOCURL, IOCWallet,
		IOCAddress, IOCBankAccount, IOCFileHash:
		return true
	}
	return false
}

// Indicator is a threat-intelligence value to match applicants and activity against.
type Indicator struct {
	ID    string        `json:"id"`
	Type  IndicatorType `json:"type"`
	Value string        `json:"value"` // normalised
	// Source names the feed or "case:<id>" for indicators from a confirmed-fraud case.
	Source      string    `json:"source"`
	Description string    `json:"description,omitempty"`
	Confidence  int       `json:"confidence"` // 0–100
	CaseID      string    `json:"case_id,omitempty"`
	ValidUntil  time.Time `json:"valid_until,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate reports whether i is complete enough to store.
func (i *Indicator) Validate() error {
	switch {
	case !i.Type.Valid():
		return Errorf(EINVALID, "Indicator type %q is not valid.", i.Type)
	case i.Value == "":
		return Errorf(EINVALID, "Indicator value required.")
	case i.Source == "":
		return Errorf(EINVALID, "Indicator source required.")
	case i.Confidence < 0 || i.Confidence > 100:
		return Errorf(EINVALID, "Indicator confidence %d is outside 0..100.", i.Confidence)
	}
	return nil
}

// IndicatorFilter selects indicators. Nil fields do not filter.
type IndicatorFilter struct {
	Type   *IndicatorType
	Value  *string
	Source *string
	CaseID *string
	Page
}

// IndicatorUpdate changes the non-nil fields of an indicator.
type IndicatorUpdate struct {
	Description *string
	Confidence  *int
	ValidUntil  *time.Time
}

// IndicatorService stores threat-intelligence indicators.
type IndicatorService interface {
	FindIndicatorByID(ctx context.Context, id string) (*Indicator, error)
	// FindIndicators returns matching indicators ordered by type then value.
	FindIndicators(ctx context.Context, filter IndicatorFilter) ([]*Indicator, int, error)
	// CreateIndicator returns ECONFLICT if (Type, Value, Source) exists.
	CreateIndicator(ctx context.Context, i *Indicator) error
	UpdateIndicator(ctx context.Context, id string, upd IndicatorUpdate) (*Indicator, error)
	DeleteIndicator(ctx context.Context, id string) error
}
