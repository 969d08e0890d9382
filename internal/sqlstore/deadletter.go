package sqlstore

import (
	"context"

	"github.com/unmask/unmask"
)

const deadLetterCols = "id, source, file, line, byte_offset, reason, raw, truncated, created_at"

func scanDeadLetter(r scanner) (*unmask.DeadLetter, error) {
	var d unmask.DeadLetter
	var created int64
	if err := r.Scan(&d.ID, &d.Source, &d.File, &d.Line, &d.Offset, &d.Reason, &d.Raw, &d.Truncated, &created); err != nil {
		return nil, err
	}
	d.CreatedAt = fromTS(created)
	return &d, nil
}

// FindDeadLetterByID returns one dead letter.
func (s *Store) FindDeadLetterByID(ctx context.Context, id string) (*unmask.DeadLetter, error) {
	return one(ctx, s, "FindDeadLetterByID", "Dead letter", "SELECT "+deadLetterCols+" FROM dead_letters WHERE id = ?", scanDeadLetter, id)
}

// FindDeadLetters returns matching dead letters, newest first.
func (s *Store) FindDeadLetters(ctx context.Context, f unmask.DeadLetterFilter) ([]*unmask.DeadLetter, int, error) {
	var w where
	eq(&w, "source", f.Source)
	eq(&w, "file", f.File)
	return list(ctx, s, "FindDeadLetters", deadLetterCols, "dead_letters", w, "created_at DESC, id DESC", f.Page, scanDeadLetter)
}

// CreateDeadLetters stores rejected records in one transaction.
func (s *Store) CreateDeadLetters(ctx context.Context, dls []*unmask.DeadLetter) error {
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlTx) error {
		for _, d := range dls {
			if d.Source == "" || d.Reason == "" {
				return unmask.Errorf(unmask.EINVALID, "Dead letter source and reason required.")
			}
			if d.ID == "" {
				d.ID = newID()
			}
			if len(d.Raw) > unmask.MaxDeadLetterRaw {
				d.Raw, d.Truncated = d.Raw[:unmask.MaxDeadLetterRaw], true
			}
			if d.Raw == nil {
				d.Raw = []byte{}
			}
			d.CreatedAt = now
			if _, err := s.txExec(ctx, tx, "INSERT INTO dead_letters ("+deadLetterCols+") VALUES (?,?,?,?,?,?,?,?,?)",
				d.ID, d.Source, d.File, d.Line, d.Offset, d.Reason, d.Raw, d.Truncated, ts(d.CreatedAt)); err != nil {
				return err
			}
		}
		return nil
	})
	return s.classify("CreateDeadLetters", err)
}

// DeleteDeadLetter removes a dead letter.
func (s *Store) DeleteDeadLetter(ctx context.Context, id string) error {
	return s.deleteByID(ctx, "DeleteDeadLetter", "Dead letter", "dead_letters", id)
}

// CountDeadLetters returns the number of dead letters per source.
func (s *Store) CountDeadLetters(ctx context.Context) (map[string]int, error) {
	rows, err := s.query(ctx, "SELECT source, COUNT(*) FROM dead_letters GROUP BY source")
	if err != nil {
		return nil, s.classify("CountDeadLetters", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var src string
		var n int
		if err := rows.Scan(&src, &n); err != nil {
			return nil, s.classify("CountDeadLetters", err)
		}
		counts[src] = n
	}
	return counts, s.classify("CountDeadLetters", rows.Err())
}

// FindCheckpoint returns the cursor saved under name, or "".
func (s *Store) FindCheckpoint(ctx context.Context, name string) (string, error) {
	c, err := one(ctx, s, "FindCheckpoint", "Checkpoint", "SELECT cursor FROM checkpoints WHERE name = ?", func(r scanner) (*string, error) {
		var c string
		return &c, r.Scan(&c)
	}, name)
	if unmask.ErrorCode(err) == unmask.ENOTFOUND {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return *c, nil
}

// SaveCheckpoint stores a cursor under name.
func (s *Store) SaveCheckpoint(ctx context.Context, name, cursor string) error {
	_, err := s.exec(ctx, "INSERT INTO checkpoints (name, cursor, updated_at) VALUES (?,?,?) "+
		"ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
		name, cursor, ts(s.now()))
	return s.classify("SaveCheckpoint", err)
}
