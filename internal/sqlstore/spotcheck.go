package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const spotCheckCols = "id, person_id, reason, status, due_at, completed_at, checker, id_matched, same_laptop, location_consistent, notes, created_at, updated_at"

func scanSpotCheck(r scanner) (*unmask.SpotCheck, error) {
	var c unmask.SpotCheck
	var due, completed, created, updated int64
	err := r.Scan(&c.ID, &c.PersonID, &c.Reason, &c.Status, &due, &completed, &c.Checker,
		&c.Attestation.IDMatched, &c.Attestation.SameLaptop, &c.Attestation.LocationConsistent,
		&c.Notes, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.DueAt, c.CompletedAt, c.CreatedAt, c.UpdatedAt = fromTS(due), fromTS(completed), fromTS(created), fromTS(updated)
	return &c, nil
}

// FindSpotCheckByID returns one spot check.
func (s *Store) FindSpotCheckByID(ctx context.Context, id string) (*unmask.SpotCheck, error) {
	return one(ctx, s, "FindSpotCheckByID", "Spot check", "SELECT "+spotCheckCols+" FROM spot_checks WHERE id = ?", scanSpotCheck, id)
}

// FindSpotChecks returns matching spot checks, soonest due first.
func (s *Store) FindSpotChecks(ctx context.Context, f unmask.SpotCheckFilter) ([]*unmask.SpotCheck, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "status", f.Status)
	if f.DueBefore != nil {
		w.add("due_at < ?", ts(*f.DueBefore))
	}
	return list(ctx, s, "FindSpotChecks", spotCheckCols, "spot_checks", w, "due_at, id", f.Page, scanSpotCheck)
}

// CreateSpotCheck stores a new spot check.
func (s *Store) CreateSpotCheck(ctx context.Context, c *unmask.SpotCheck) error {
	if c.Status == "" {
		c.Status = unmask.SpotCheckScheduled
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = newID()
	}
	now := s.now()
	c.CreatedAt, c.UpdatedAt = now, now
	_, err := s.exec(ctx, "INSERT INTO spot_checks ("+spotCheckCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		c.ID, c.PersonID, c.Reason, c.Status, ts(c.DueAt), ts(c.CompletedAt), c.Checker,
		c.Attestation.IDMatched, c.Attestation.SameLaptop, c.Attestation.LocationConsistent,
		c.Notes, ts(c.CreatedAt), ts(c.UpdatedAt))
	return s.classify("CreateSpotCheck", err)
}

// UpdateSpotCheck changes a spot check.
func (s *Store) UpdateSpotCheck(ctx context.Context, id string, upd unmask.SpotCheckUpdate) (*unmask.SpotCheck, error) {
	if upd.Status != nil && !upd.Status.Valid() {
		return nil, unmask.Errorf(unmask.EINVALID, "Spot check status %q is not valid.", *upd.Status)
	}
	var u set
	setv(&u, "status", upd.Status)
	sett(&u, "due_at", upd.DueAt)
	sett(&u, "completed_at", upd.CompletedAt)
	setv(&u, "checker", upd.Checker)
	if a := upd.Attestation; a != nil {
		u.add("id_matched", a.IDMatched)
		u.add("same_laptop", a.SameLaptop)
		u.add("location_consistent", a.LocationConsistent)
	}
	setv(&u, "notes", upd.Notes)
	if !u.empty() {
		u.add("updated_at", ts(s.now()))
	}
	if err := s.update(ctx, "UpdateSpotCheck", "Spot check", "spot_checks", id, &u); err != nil {
		return nil, err
	}
	return s.FindSpotCheckByID(ctx, id)
}

// DeleteSpotCheck removes a spot check.
func (s *Store) DeleteSpotCheck(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteSpotCheck", "Spot check", "spot_checks", id)
}
