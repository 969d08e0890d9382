package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const identifierCols = "id, person_id, kind, value, hash, display, source, created_at"

func scanIdentifier(r scanner) (*unmask.Identifier, error) {
	var i unmask.Identifier
	var created int64
	if err := r.Scan(&i.ID, &i.PersonID, &i.Kind, &i.Value, &i.Hash, &i.Display, &i.Source, &created); err != nil {
		return nil, err
	}
	i.CreatedAt = fromTS(created)
	return &i, nil
}

// FindIdentifierByID returns one identifier.
func (s *Store) FindIdentifierByID(ctx context.Context, id string) (*unmask.Identifier, error) {
	return one(ctx, s, "FindIdentifierByID", "Identifier", "SELECT "+identifierCols+" FROM identifiers WHERE id = ?", scanIdentifier, id)
}

// FindIdentifiers returns matching identifiers ordered by kind and display form.
func (s *Store) FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "kind", f.Kind)
	eq(&w, "hash", f.Hash)
	eq(&w, "value", f.Value)
	eq(&w, "source", f.Source)
	return list(ctx, s, "FindIdentifiers", identifierCols, "identifiers", w, "kind, display, id", f.Page, scanIdentifier)
}

// CreateIdentifier stores a new identifier.
func (s *Store) CreateIdentifier(ctx context.Context, i *unmask.Identifier) error {
	if err := i.Validate(); err != nil {
		return err
	}
	if i.ID == "" {
		i.ID = newID()
	}
	i.CreatedAt = s.now()
	_, err := s.exec(ctx, "INSERT INTO identifiers ("+identifierCols+") VALUES (?,?,?,?,?,?,?,?)",
		i.ID, i.PersonID, i.Kind, i.Value, i.Hash, i.Display, i.Source, ts(i.CreatedAt))
	return s.classify("CreateIdentifier", err)
}

// UpdateIdentifier changes an identifier.
func (s *Store) UpdateIdentifier(ctx context.Context, id string, upd unmask.IdentifierUpdate) (*unmask.Identifier, error) {
	var u set
	setv(&u, "person_id", upd.PersonID)
	setv(&u, "source", upd.Source)
	if err := s.update(ctx, "UpdateIdentifier", "Identifier", "identifiers", id, &u); err != nil {
		return nil, err
	}
	return s.FindIdentifierByID(ctx, id)
}

// DeleteIdentifier removes an identifier.
func (s *Store) DeleteIdentifier(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteIdentifier", "Identifier", "identifiers", id)
}
