package sqlstore

import (
	"context"
	"time"

	"github.com/unmask/unmask"
)

const caseCols = "id, person_id, alert_id, title, status, disposition, assignee, created_by, evidence, created_at, updated_at, closed_at"

func scanCase(r scanner) (*unmask.Case, error) {
	var c unmask.Case
	var evidence string
	var created, updated, closed int64
	err := r.Scan(&c.ID, &c.PersonID, &c.AlertID, &c.Title, &c.Status, &c.Disposition, &c.Assignee,
		&c.CreatedBy, &evidence, &created, &updated, &closed)
	if err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt, c.ClosedAt = fromTS(created), fromTS(updated), fromTS(closed)
	return &c, fromJSON(evidence, &c.Evidence)
}

// FindCaseByID returns one case.
func (s *Store) FindCaseByID(ctx context.Context, id string) (*unmask.Case, error) {
	return one(ctx, s, "FindCaseByID", "Case", "SELECT "+caseCols+" FROM cases WHERE id = ?", scanCase, id)
}

// FindCases returns matching cases, most recently updated first.
func (s *Store) FindCases(ctx context.Context, f unmask.CaseFilter) ([]*unmask.Case, int, error) {
	var w where
	eq(&w, "person_id", f.PersonID)
	eq(&w, "status", f.Status)
	eq(&w, "assignee", f.Assignee)
	eq(&w, "alert_id", f.AlertID)
	return list(ctx, s, "FindCases", caseCols, "cases", w, "updated_at DESC, id", f.Page, scanCase)
}

// CreateCase stores a new case.
func (s *Store) CreateCase(ctx context.Context, c *unmask.Case) error {
	if c.Status == "" {
		c.Status = unmask.CaseOpen
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.ID == "" {
		c.ID = newID()
	}
	now := s.now()
	c.CreatedAt, c.UpdatedAt = now, now
	if c.Status == unmask.CaseClosed {
		c.ClosedAt = now
	}
	_, err := s.exec(ctx, "INSERT INTO cases ("+caseCols+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		c.ID, c.PersonID, c.AlertID, c.Title, c.Status, c.Disposition, c.Assignee, c.CreatedBy,
		jsonText(orEmpty(c.Evidence)), ts(c.CreatedAt), ts(c.UpdatedAt), ts(c.ClosedAt))
	return s.classify("CreateCase", err)
}

// UpdateCase changes a case, enforcing the status workflow.
func (s *Store) UpdateCase(ctx context.Context, id string, upd unmask.CaseUpdate) (*unmask.Case, error) {
	err := s.inTx(ctx, func(tx *sqlTx) error {
		cur, err := scanCase(tx.QueryRowContext(ctx, s.rebind("SELECT "+caseCols+" FROM cases WHERE id = ?"), id))
		if err != nil {
			return err
		}
		next, err := applyCaseUpdate(*cur, upd, s.now())
		if err != nil {
			return err
		}
		_, err = s.txExec(ctx, tx, "UPDATE cases SET title = ?, status = ?, disposition = ?, assignee = ?, "+
			"evidence = ?, updated_at = ?, closed_at = ? WHERE id = ?",
			next.Title, next.Status, next.Disposition, next.Assignee, jsonText(orEmpty(next.Evidence)),
			ts(next.UpdatedAt), ts(next.ClosedAt), id)
		return err
	})
	if err != nil {
		return nil, s.classify("UpdateCase", err)
	}
	return s.FindCaseByID(ctx, id)
}

// applyCaseUpdate returns c changed by upd, or EINVALID for a change the workflow refuses.
func applyCaseUpdate(c unmask.Case, upd unmask.CaseUpdate, now time.Time) (*unmask.Case, error) {
	if upd.Title != nil {
		c.Title = *upd.Title
	}
	if upd.Assignee != nil {
		c.Assignee = *upd.Assignee
	}
	if upd.Evidence != nil {
		c.Evidence = upd.Evidence
	}
	if upd.Status != nil && *upd.Status != c.Status {
		if !c.Status.CanTransition(*upd.Status) {
			return nil, unmask.Errorf(unmask.EINVALID, "A case cannot move from %s to %s.", c.Status, *upd.Status)
		}
		c.Status = *upd.Status
		c.ClosedAt = time.Time{}
		c.Disposition = ""
		if c.Status == unmask.CaseClosed {
			c.ClosedAt = now
		}
	}
	if upd.Disposition != nil {
		c.Disposition = *upd.Disposition
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.UpdatedAt = now
	return &c, nil
}

// DeleteCase removes a case and its notes.
func (s *Store) DeleteCase(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteCase", "Case", "cases", id)
}

// CreateCaseNote adds a note to a case.
func (s *Store) CreateCaseNote(ctx context.Context, n *unmask.CaseNote) error {
	if n.CaseID == "" || n.Body == "" {
		return unmask.Errorf(unmask.EINVALID, "Case note case and body required.")
	}
	if n.ID == "" {
		n.ID = newID()
	}
	n.CreatedAt = s.now()
	_, err := s.exec(ctx, "INSERT INTO case_notes (id, case_id, author, body, created_at) VALUES (?,?,?,?,?)",
		n.ID, n.CaseID, n.Author, n.Body, ts(n.CreatedAt))
	if err != nil && s.d.IsForeignKeyViolation != nil && s.d.IsForeignKeyViolation(err) {
		return notFound("CreateCaseNote", "Case")
	}
	return s.classify("CreateCaseNote", err)
}

// FindCaseNotes lists a case's notes, oldest first.
func (s *Store) FindCaseNotes(ctx context.Context, caseID string) ([]*unmask.CaseNote, error) {
	rows, err := s.query(ctx, "SELECT id, case_id, author, body, created_at FROM case_notes WHERE case_id = ? ORDER BY created_at, id", caseID)
	if err != nil {
		return nil, s.classify("FindCaseNotes", err)
	}
	defer rows.Close()
	var notes []*unmask.CaseNote
	for rows.Next() {
		var n unmask.CaseNote
		var created int64
		if err := rows.Scan(&n.ID, &n.CaseID, &n.Author, &n.Body, &created); err != nil {
			return nil, s.classify("FindCaseNotes", err)
		}
		n.CreatedAt = fromTS(created)
		notes = append(notes, &n)
	}
	return notes, s.classify("FindCaseNotes", rows.Err())
}
