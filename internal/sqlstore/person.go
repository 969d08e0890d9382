package sqlstore

import (
	"context"
	"strings"

	"github.com/unmask/unmask"
)

const personCols = "id, kind, status, display_name, department, title, manager_id, external_source, external_id, country, region, city, time_zone, hire_date, end_date, created_at, updated_at"

func scanPerson(r scanner) (*unmask.Person, error) {
	var p unmask.Person
	var hire, end, created, updated int64
	err := r.Scan(&p.ID, &p.Kind, &p.Status, &p.DisplayName, &p.Department, &p.Title, &p.ManagerID,
		&p.ExternalSource, &p.ExternalID, &p.Location.Country, &p.Location.Region, &p.Location.City,
		&p.TimeZone, &hire, &end, &created, &updated)
	if err != nil {
		return nil, err
	}
	p.HireDate, p.EndDate, p.CreatedAt, p.UpdatedAt = fromTS(hire), fromTS(end), fromTS(created), fromTS(updated)
	return &p, nil
}

// FindPersonByID returns one person.
func (s *Store) FindPersonByID(ctx context.Context, id string) (*unmask.Person, error) {
	return one(ctx, s, "FindPersonByID", "Person", "SELECT "+personCols+" FROM people WHERE id = ?", scanPerson, id)
}

// FindPeople returns matching people ordered by display name.
func (s *Store) FindPeople(ctx context.Context, f unmask.PersonFilter) ([]*unmask.Person, int, error) {
	var w where
	eq(&w, "id", f.ID)
	eq(&w, "kind", f.Kind)
	eq(&w, "status", f.Status)
	eq(&w, "department", f.Department)
	eq(&w, "external_source", f.ExternalSource)
	eq(&w, "external_id", f.ExternalID)
	if f.Query != nil {
		w.add(`LOWER(display_name) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(*f.Query))+"%")
	}
	return list(ctx, s, "FindPeople", personCols, "people", w, "display_name, id", f.Page, scanPerson)
}

// escapeLike makes s match literally inside a LIKE pattern whose escape character is \.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// CreatePerson stores a new person.
func (s *Store) CreatePerson(ctx context.Context, p *unmask.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.ID == "" {
		p.ID = newID()
	}
	now := s.now()
	p.CreatedAt, p.UpdatedAt = now, now
	_, err := s.exec(ctx, "INSERT INTO people ("+personCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		p.ID, p.Kind, p.Status, p.DisplayName, p.Department, p.Title, p.ManagerID, p.ExternalSource,
		p.ExternalID, p.Location.Country, p.Location.Region, p.Location.City, p.TimeZone,
		ts(p.HireDate), ts(p.EndDate), ts(p.CreatedAt), ts(p.UpdatedAt))
	return s.classify("CreatePerson", err)
}

// UpdatePerson changes a person.
func (s *Store) UpdatePerson(ctx context.Context, id string, upd unmask.PersonUpdate) (*unmask.Person, error) {
	if upd.Kind != nil && !upd.Kind.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Person kind %q is not valid.", *upd.Kind)
	}
	if upd.Status != nil && !upd.Status.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Person status %q is not valid.", *upd.Status)
	}
	if upd.DisplayName != nil && *upd.DisplayName == "" {
		return nil, unmask.Errorf(unmask.EINVALID, "Person display name required.")
	}
	var u set
	setv(&u, "kind", upd.Kind)
	setv(&u, "status", upd.Status)
	setv(&u, "display_name", upd.DisplayName)
	setv(&u, "department", upd.Department)
	setv(&u, "title", upd.Title)
	setv(&u, "manager_id", upd.ManagerID)
	if upd.Location != nil {
		u.add("country", upd.Location.Country)
		u.add("region", upd.Location.Region)
		u.add("city", upd.Location.City)
	}
	setv(&u, "time_zone", upd.TimeZone)
	sett(&u, "hire_date", upd.HireDate)
	sett(&u, "end_date", upd.EndDate)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdatePerson", "Person", "people", id, &u); err != nil {
		return nil, err
	}
	return s.FindPersonByID(ctx, id)
}

// DeletePerson removes a person; identifiers, signals, scores, alerts, cases and spot checks
// go with them, and their events become unresolved.
func (s *Store) DeletePerson(ctx context.Context, id string) error {
	err := s.inTx(ctx, func(tx *sqlTx) error {
		if _, err := s.txExec(ctx, tx, "UPDATE events SET person_id = '' WHERE person_id = ?", id); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, "UPDATE devices SET person_id = '' WHERE person_id = ?", id); err != nil {
			return err
		}
		res, err := s.txExec(ctx, tx, "DELETE FROM people WHERE id = ?", id)
		if err != nil {
			return err
		}
		return checkAffected("DeletePerson", "Person", res)
	})
	return s.classify("DeletePerson", err)
}
