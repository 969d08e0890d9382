package authz

import (
	"context"

	"github.com/unmask/unmask"
)

// shapePerson returns a copy of p as role may see it.
func shapePerson(role unmask.Role, p *unmask.Person) *unmask.Person {
	if p == nil {
		return nil
	}
	c := *p
	if !role.CanSeeNames() {
		c.DisplayName = Pseudonym(p.ID)
		c.ManagerID = ""
	}
	if !role.CanSeeHR() {
		c.ExternalID, c.ExternalSource = "", ""
		c.Location.City, c.Location.Region = "", ""
	}
	return &c
}

// FindPersonByID returns a person and audits the view.
func (s *Service) FindPersonByID(ctx context.Context, id string) (*unmask.Person, error) {
	u, err := require(ctx, "view people", anyone)
	if err != nil {
		return nil, err
	}
	p, err := s.s.FindPersonByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "person.view", "person", id, "role="+string(u.Role)); err != nil {
		return nil, err
	}
	return shapePerson(u.Role, p), nil
}

// FindPeople lists people shaped to the role. A viewer may not search by name, since the
// names it is shown are pseudonyms.
func (s *Service) FindPeople(ctx context.Context, f unmask.PersonFilter) ([]*unmask.Person, int, error) {
	u, err := require(ctx, "list people", anyone)
	if err != nil {
		return nil, 0, err
	}
	if !u.Role.CanSeeNames() && f.Query != nil {
		return nil, 0, unmask.Errorf(unmask.EFORBIDDEN, "A viewer may not search people by name.")
	}
	if !u.Role.CanSeeHR() && (f.ExternalID != nil || f.ExternalSource != nil) {
		return nil, 0, unmask.Errorf(unmask.EFORBIDDEN, "A %s may not search by HR record id.", u.Role)
	}
	list, total, err := s.s.FindPeople(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for i, p := range list {
		list[i] = shapePerson(u.Role, p)
	}
	return list, total, nil
}

// CreatePerson stores a person; HR access required.
func (s *Service) CreatePerson(ctx context.Context, p *unmask.Person) error {
	if _, err := require(ctx, "create people", hrAccess); err != nil {
		return err
	}
	if err := s.s.CreatePerson(ctx, p); err != nil {
		return err
	}
	return s.audit(ctx, "person.create", "person", p.ID, "kind="+string(p.Kind))
}

// UpdatePerson changes a person; HR access required.
func (s *Service) UpdatePerson(ctx context.Context, id string, upd unmask.PersonUpdate) (*unmask.Person, error) {
	u, err := require(ctx, "change people", hrAccess)
	if err != nil {
		return nil, err
	}
	p, err := s.s.UpdatePerson(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	detail := changes(map[string]bool{"kind": upd.Kind != nil, "status": upd.Status != nil,
		"display_name": upd.DisplayName != nil, "department": upd.Department != nil, "title": upd.Title != nil,
		"manager": upd.ManagerID != nil, "location": upd.Location != nil, "time_zone": upd.TimeZone != nil,
		"hire_date": upd.HireDate != nil, "end_date": upd.EndDate != nil})
	if err := s.audit(ctx, "person.update", "person", id, detail); err != nil {
		return nil, err
	}
	return shapePerson(u.Role, p), nil
}

// DeletePerson removes a person and their records; administrators only.
func (s *Service) DeletePerson(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete people", administers); err != nil {
		return err
	}
	if err := s.s.DeletePerson(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "person.delete", "person", id, "")
}

// shapeIdentifier returns a copy of i as role may see it: without HR access, sensitive
// values are hidden entirely and others are reduced to their first character.
func shapeIdentifier(role unmask.Role, i *unmask.Identifier) *unmask.Identifier {
	c := *i
	if !role.CanSeeHR() {
		c.Value = ""
		if i.Kind.Sensitive() {
			c.Display = "hidden"
		} else {
			c.Display = hide(i.Display)
		}
	}
	return &c
}

// FindIdentifierByID returns an identifier and audits the view.
func (s *Service) FindIdentifierByID(ctx context.Context, id string) (*unmask.Identifier, error) {
	u, err := require(ctx, "view identifiers", anyone)
	if err != nil {
		return nil, err
	}
	i, err := s.s.FindIdentifierByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "identifier.view", "person", i.PersonID, string(i.Kind)); err != nil {
		return nil, err
	}
	return shapeIdentifier(u.Role, i), nil
}

// FindIdentifiers lists identifiers shaped to the role, auditing a view of one person's
// identifiers. Without HR access one may not look identifiers up by value.
func (s *Service) FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error) {
	u, err := require(ctx, "view identifiers", anyone)
	if err != nil {
		return nil, 0, err
	}
	if !u.Role.CanSeeHR() && f.Value != nil {
		return nil, 0, unmask.Errorf(unmask.EFORBIDDEN, "A %s may not look identifiers up by value.", u.Role)
	}
	list, total, err := s.s.FindIdentifiers(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if f.PersonID != nil {
		if err := s.audit(ctx, "identifier.view", "person", *f.PersonID, "role="+string(u.Role)); err != nil {
			return nil, 0, err
		}
	}
	for j, i := range list {
		list[j] = shapeIdentifier(u.Role, i)
	}
	return list, total, nil
}

// CreateIdentifier stores an identifier; HR access required.
func (s *Service) CreateIdentifier(ctx context.Context, i *unmask.Identifier) error {
	if _, err := require(ctx, "add identifiers", hrAccess); err != nil {
		return err
	}
	if err := s.s.CreateIdentifier(ctx, i); err != nil {
		return err
	}
	return s.audit(ctx, "identifier.create", "person", i.PersonID, string(i.Kind))
}

// UpdateIdentifier moves or relabels an identifier; HR access required.
func (s *Service) UpdateIdentifier(ctx context.Context, id string, upd unmask.IdentifierUpdate) (*unmask.Identifier, error) {
	u, err := require(ctx, "change identifiers", hrAccess)
	if err != nil {
		return nil, err
	}
	i, err := s.s.UpdateIdentifier(ctx, id, upd)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "identifier.update", "identifier", id, changes(map[string]bool{"person": upd.PersonID != nil, "source": upd.Source != nil})); err != nil {
		return nil, err
	}
	return shapeIdentifier(u.Role, i), nil
}

// DeleteIdentifier removes an identifier; HR access required.
func (s *Service) DeleteIdentifier(ctx context.Context, id string) error {
	if _, err := require(ctx, "delete identifiers", hrAccess); err != nil {
		return err
	}
	if err := s.s.DeleteIdentifier(ctx, id); err != nil {
		return err
	}
	return s.audit(ctx, "identifier.delete", "identifier", id, "")
}
