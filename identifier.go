package unmask

import (
	"context"
	"slices"
	"time"
)

// IdentifierKind is the type of an identifier.
type IdentifierKind string

// Identifier kinds.
const (
	IdentEmail   IdentifierKind = "email"
	IdentPhone   IdentifierKind = "phone"
	IdentAddress IdentifierKind = "address"
	// IdentAddressBuilding is an address without its unit: equal for neighbours in one
	// building, so "same building, different unit" is found.
	IdentAddressBuilding IdentifierKind = "address_building"
	IdentBankAccount     IdentifierKind = "bank_account"
	IdentGovernmentID    IdentifierKind = "government_id"
	IdentGitHubLogin     IdentifierKind = "github_login"
	IdentIdPLogin        IdentifierKind = "idp_login"
	IdentDeviceSerial    IdentifierKind = "device_serial"
	IdentPhotoHash       IdentifierKind = "photo_hash"
	IdentResumePrint     IdentifierKind = "resume_fingerprint"
	IdentShipToAddress   IdentifierKind = "ship_to_address"
	IdentMFADevice       IdentifierKind = "mfa_device"
	IdentHostname        IdentifierKind = "hostname"
	IdentLinkedInHandle  IdentifierKind = "linkedin_handle"
)

// IdentifierKinds lists every kind.
var IdentifierKinds = []IdentifierKind{
	IdentEmail, IdentPhone, IdentAddress, IdentAddressBuilding, IdentBankAccount, IdentGovernmentID, IdentGitHubLogin,
	IdentIdPLogin, IdentDeviceSerial, IdentPhotoHash, IdentResumePrint, IdentShipToAddress,
	IdentMFADevice, IdentHostname, IdentLinkedInHandle,
}

// Valid reports whether k is a known kind.
func (k IdentifierKind) Valid() bool {
	return slices.Contains(IdentifierKinds, k)
}

// Sensitive reports whether values of this kind are personal data that are stored only as a
// keyed hash plus a masked display form.
func (k IdentifierKind) Sensitive() bool {
	switch k {
	case IdentEmail, IdentPhone, IdentAddress, IdentAddressBuilding, IdentBankAccount, IdentGovernmentID, IdentShipToAddress:
		return true
	}
	return false
}

// Identifier is a typed, normalised value that belongs to a person. Two people holding
// identifiers with the same Kind and Hash share that value.
type Identifier struct {
	ID       string         `json:"id"`
	PersonID string         `json:"person_id"`
	Kind     IdentifierKind `json:"kind"`
	// Value is the normalised value; empty for sensitive kinds, whose value is never stored.
	Value string `json:"value,omitempty"`
	// Hash is the keyed hash of Kind and the normalised value (see internal/idhash).
	Hash string `json:"hash"`
	// Display is the masked form for sensitive kinds (j***@gmail.com) and the value otherwise.
	Display   string    `json:"display"`
	Source    string    `json:"source,omitempty"` // where it was learnt: greenhouse, hris, okta, ...
	CreatedAt time.Time `json:"created_at"`
}

// Validate reports whether i is complete enough to store.
func (i *Identifier) Validate() error {
	switch {
	case i.PersonID == "":
		return Errorf(EINVALID, "Identifier person required.")
	case !i.Kind.Valid():
		return Errorf(EINVALID, "Identifier kind %q is not valid.", i.Kind)
	case i.Hash == "":
		return Errorf(EINVALID, "Identifier hash required.")
	case i.Kind.Sensitive() && i.Value != "":
		return Errorf(EINVALID, "Sensitive %s identifiers must not carry a clear value.", i.Kind)
	}
	return nil
}

// IdentifierFilter selects identifiers. Nil fields do not filter.
type IdentifierFilter struct {
	PersonID *string
	Kind     *IdentifierKind
	Hash     *string
	Value    *string
	Source   *string
	Page
}

// IdentifierUpdate changes the non-nil fields of an identifier. Moving an identifier to
// another person keeps an applicant's history when they are hired under a new record.
type IdentifierUpdate struct {
	PersonID *string
	Source   *string
}

// IdentifierService stores identifiers.
type IdentifierService interface {
	FindIdentifierByID(ctx context.Context, id string) (*Identifier, error)
	// FindIdentifiers returns matching identifiers ordered by kind then display form.
	FindIdentifiers(ctx context.Context, filter IdentifierFilter) ([]*Identifier, int, error)
	// CreateIdentifier returns ECONFLICT if the person already holds the same kind and hash.
	CreateIdentifier(ctx context.Context, i *Identifier) error
	UpdateIdentifier(ctx context.Context, id string, upd IdentifierUpdate) (*Identifier, error)
	DeleteIdentifier(ctx context.Context, id string) error
}
