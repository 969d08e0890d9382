// Package roster keeps Unmask's people, their identifiers and their devices up to date from
// the records that describe them: HRIS employee exports and HR events, applicant-tracking
// candidates, and device inventory. It runs before resolution, so an HR record is attributed
// to the person it describes, and it teaches the resolver every identifier it adds.
//
// Identifier values are normalised first (e-mail canonical forms, E.164 phones, postal
// address keys with and without the unit, lower-cased handles, serials) and sensitive kinds
// are kept only as keyed hashes with a masked display form.
package roster

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/contact"
	"github.com/unmask/unmask/internal/identifiers"
	"github.com/unmask/unmask/internal/resolve"
)

// Store is what the roster needs from the store.
type Store interface {
	FindPeople(ctx context.Context, f unmask.PersonFilter) ([]*unmask.Person, int, error)
	CreatePerson(ctx context.Context, p *unmask.Person) error
	UpdatePerson(ctx context.Context, id string, upd unmask.PersonUpdate) (*unmask.Person, error)
	FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error)
	CreateIdentifier(ctx context.Context, i *unmask.Identifier) error
	FindDevices(ctx context.Context, f unmask.DeviceFilter) ([]*unmask.Device, int, error)
	CreateDevice(ctx context.Context, d *unmask.Device) error
	UpdateDevice(ctx context.Context, id string, upd unmask.DeviceUpdate) (*unmask.Device, error)
	ResolveActor(ctx context.Context, source, actor, personID string) (int, error)
}

// Hasher computes keyed hashes of normalised identifier values (internal/idhash).
type Hasher interface {
	Hash(kind unmask.IdentifierKind, normalized string) string
}

// Options configures a Roster.
type Options struct {
	Store    Store
	Hasher   Hasher
	Resolver *resolve.Resolver
	// Emails normalises e-mail addresses; nil uses the built-in free-mail and disposable lists.
	Emails *contact.EmailNormalizer
}

// Roster projects HR, ATS and inventory records onto people, identifiers and devices.
type Roster struct {
	store    Store
	ids      *identifiers.Builder
	resolver *resolve.Resolver

	mu      sync.Mutex        // guards byExtID; serialises person upserts
	byExtID map[string]string // source|external id → person id
}

// New returns a Roster.
func New(opts Options) *Roster {
	return &Roster{store: opts.Store, ids: identifiers.NewBuilder(opts.Hasher, opts.Emails), resolver: opts.Resolver, byExtID: map[string]string{}}
}

// Observe updates the roster from e when e describes a person or a device, and sets
// e.PersonID to that person. Other events pass untouched.
func (r *Roster) Observe(ctx context.Context, e *unmask.Event) error {
	var err error
	switch {
	case e.Source == "hris" && e.Action == "employees":
		err = r.employee(ctx, e)
	case e.Source == "hris":
		err = r.hrEvent(ctx, e)
	case e.Source == "greenhouse" && e.Kind == unmask.KindApplication:
		err = r.candidate(ctx, e)
	case e.Source == "lever" && e.Kind == unmask.KindApplication:
		err = r.leverCandidate(ctx, e)
	case e.Kind == unmask.KindDeviceInventory:
		err = r.device(ctx, e)
	}
	if err != nil {
		return fmt.Errorf("roster %s %s: %w", e.Source, e.Action, err)
	}
	return nil
}

// upsertPerson finds the person with (source, extID) or creates p, then applies upd.
func (r *Roster) upsertPerson(ctx context.Context, source, extID string, p *unmask.Person, upd unmask.PersonUpdate) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := source + "|" + extID
	id, ok := r.byExtID[key]
	if !ok {
		found, _, err := r.store.FindPeople(ctx, unmask.PersonFilter{ExternalSource: &source, ExternalID: &extID, Page: unmask.Page{Limit: 1}})
		if err != nil {
			return "", err
		}
		if len(found) == 1 {
			id = found[0].ID
		}
	}
	if id == "" {
		p.ExternalSource, p.ExternalID = source, extID
		if err := r.store.CreatePerson(ctx, p); err != nil {
			return "", err
		}
		r.byExtID[key] = p.ID
		return p.ID, nil
	}
	r.byExtID[key] = id
	if _, err := r.store.UpdatePerson(ctx, id, upd); err != nil {
		return "", err
	}
	return id, nil
}

// personByExtID returns the person with an external id, or "".
func (r *Roster) personByExtID(ctx context.Context, source, extID string) (string, error) {
	if extID == "" {
		return "", nil
	}
	r.mu.Lock()
	id, ok := r.byExtID[source+"|"+extID]
	r.mu.Unlock()
	if ok {
		return id, nil
	}
	found, _, err := r.store.FindPeople(ctx, unmask.PersonFilter{ExternalSource: &source, ExternalID: &extID, Page: unmask.Page{Limit: 1}})
	if err != nil || len(found) == 0 {
		return "", err
	}
	r.mu.Lock()
	r.byExtID[source+"|"+extID] = found[0].ID
	r.mu.Unlock()
	return found[0].ID, nil
}

// add stores an identifier unless the person holds it already, and teaches the resolver.
func (r *Roster) add(ctx context.Context, id *unmask.Identifier) error {
	existing, _, err := r.store.FindIdentifiers(ctx, unmask.IdentifierFilter{PersonID: &id.PersonID, Kind: &id.Kind, Hash: &id.Hash, Page: unmask.Page{Limit: 1}})
	if err != nil {
		return err
	}
	if len(existing) == 0 {
		if err := r.store.CreateIdentifier(ctx, id); err != nil && unmask.ErrorCode(err) != unmask.ECONFLICT {
			return err
		}
	}
	if r.resolver != nil {
		r.resolver.Learn(id)
	}
	return nil
}

// addAll adds identifiers, skipping nil ones and stopping at the first error.
func (r *Roster) addAll(ctx context.Context, ids ...*unmask.Identifier) error {
	for _, id := range ids {
		if id == nil {
			continue
		}
		if err := r.add(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func parseDate(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func fullName(first, last string) string {
	return strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
}

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
