// Package identifiers turns the raw contact details, accounts and handles that HR, ATS and
// inventory records carry into normalised identifiers: e-mail canonical forms, E.164
// phones, postal address keys with and without the unit, lower-cased GitHub and LinkedIn
// handles, serials and logins. Sensitive kinds keep only a keyed hash and a masked display
// form. The roster, resolution and screening all build identifiers here, so the same value
// always meets the same hash.
package identifiers

import (
	"strings"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/handle"
	"github.com/unmask/unmask/internal/postal"
	"github.com/unmask/unmask/internal/resolve"
)

// Hasher computes keyed hashes of normalised identifier values (internal/idhash).
type Hasher interface {
	Hash(kind unmask.IdentifierKind, normalized string) string
}

// Builder builds identifiers for one source.
type Builder struct {
	hasher Hasher
	emails *contact.EmailNormalizer
}

// NewBuilder returns a Builder; emails nil uses the built-in free-mail and disposable lists.
func NewBuilder(h Hasher, emails *contact.EmailNormalizer) *Builder {
	if emails == nil {
		emails = contact.NewEmailNormalizer(contact.FreeMailDomains(), contact.DisposableDomains())
	}
	return &Builder{hasher: h, emails: emails}
}

// Plain returns a non-sensitive identifier of an already normalised value, or nil for "".
func (b *Builder) Plain(personID string, kind unmask.IdentifierKind, value, source string) *unmask.Identifier {
	if value == "" {
		return nil
	}
	return &unmask.Identifier{PersonID: personID, Kind: kind, Value: value, Display: value, Hash: b.hasher.Hash(kind, value), Source: source}
}

// Secret returns a sensitive identifier of a normalised value with its masked form, or nil.
func (b *Builder) Secret(personID string, kind unmask.IdentifierKind, normalized, display, source string) *unmask.Identifier {
	if normalized == "" {
		return nil
	}
	return &unmask.Identifier{PersonID: personID, Kind: kind, Display: display, Hash: b.hasher.Hash(kind, normalized), Source: source}
}

// Login returns the IdP-login identifier of an account name.
func (b *Builder) Login(personID, raw, source string) *unmask.Identifier {
	return b.Plain(personID, unmask.IdentIdPLogin, resolve.NormalizeAccount(raw), source)
}

// Serial returns the device-serial identifier of a serial number.
func (b *Builder) Serial(personID string, kind unmask.IdentifierKind, raw, source string) *unmask.Identifier {
	return b.Plain(personID, kind, resolve.NormalizeSerial(raw), source)
}

// GitHub returns the GitHub-login identifier of a login.
func (b *Builder) GitHub(personID, raw, source string) *unmask.Identifier {
	return b.Plain(personID, unmask.IdentGitHubLogin, strings.ToLower(strings.TrimSpace(strings.TrimPrefix(raw, "@"))), source)
}

// Email returns the identifier of a personal e-mail address, or nil if it is not one.
func (b *Builder) Email(personID, raw, source string) *unmask.Identifier {
	em, err := b.emails.Parse(raw)
	if err != nil {
		return nil
	}
	return b.Secret(personID, unmask.IdentEmail, em.Canonical, contact.MaskEmail(em.Canonical), source)
}

// ParseEmail normalises an e-mail address.
func (b *Builder) ParseEmail(raw string) (contact.Email, error) { return b.emails.Parse(raw) }

// Phone returns the identifier of a phone number, read in region when it has no "+".
func (b *Builder) Phone(personID, raw, region, source string) *unmask.Identifier {
	ph, err := contact.ParsePhone(raw, region)
	if err != nil {
		return nil
	}
	return b.Secret(personID, unmask.IdentPhone, ph.E164, contact.MaskPhone(ph.E164), source)
}

// Address returns the unit-level identifier of an address of kind (address or ship-to),
// plus the building-level one.
func (b *Builder) Address(personID string, kind unmask.IdentifierKind, raw, source string) []*unmask.Identifier {
	n, err := postal.Parse(raw)
	if err != nil || n.Street == "" {
		return nil
	}
	return []*unmask.Identifier{
		b.Secret(personID, kind, n.FullKey(), n.Mask(), source),
		b.Secret(personID, unmask.IdentAddressBuilding, n.BuildingKey(), n.Mask(), source),
	}
}

// Link returns the GitHub or LinkedIn identifier of a profile URL, or nil.
func (b *Builder) Link(personID, raw, source string) *unmask.Identifier {
	h, err := handle.Parse(raw)
	if err != nil {
		return nil
	}
	switch h.Site {
	case handle.GitHub:
		return b.Plain(personID, unmask.IdentGitHubLogin, h.Name, source)
	case handle.LinkedIn:
		return b.Plain(personID, unmask.IdentLinkedInHandle, h.Name, source)
	}
	return nil
}

// Compact drops nil identifiers.
func Compact(ids ...*unmask.Identifier) []*unmask.Identifier {
	out := ids[:0]
	for _, id := range ids {
		if id != nil {
			out = append(out, id)
		}
	}
	return out
}
