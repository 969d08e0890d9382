package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/unmask/unmask/internal/minhash"
	"github.com/unmask/unmask/internal/resume"
)

// The résumé near-duplicate index: resume_documents holds each document's signature and
// owner, resume_bands its LSH band keys (hashes stored as int64, which round-trips).

var _ resume.Store = (*Store)(nil)

// PutResumeSignature stores a document's signature and band keys, replacing earlier ones.
func (s *Store) PutResumeSignature(ctx context.Context, docID string, sig *minhash.Signature, bands []minhash.BandKey) error {
	err := s.inTx(ctx, func(tx *sqlTx) error {
		if _, err := s.txExec(ctx, tx, "INSERT INTO resume_documents (doc_id, signature, created_at) VALUES (?, ?, ?) "+
			"ON CONFLICT (doc_id) DO UPDATE SET signature = excluded.signature", docID, sig.Bytes(), ts(s.now())); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, "DELETE FROM resume_bands WHERE doc_id = ?", docID); err != nil {
			return err
		}
		if len(bands) == 0 {
			return nil
		}
		args := make([]any, 0, 3*len(bands))
		for _, b := range bands {
			args = append(args, b.Band, int64(b.Hash), docID)
		}
		q := "INSERT INTO resume_bands (band, hash, doc_id) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?),", len(bands)), ",")
		_, err := s.txExec(ctx, tx, q, args...)
		return err
	})
	return s.classify("PutResumeSignature", err)
}

// FindResumeCandidates returns the documents sharing at least one band key, in document
// order.
func (s *Store) FindResumeCandidates(ctx context.Context, bands []minhash.BandKey) ([]string, error) {
	if len(bands) == 0 {
		return nil, nil
	}
	conds := make([]string, len(bands))
	args := make([]any, 0, 2*len(bands))
	for i, b := range bands {
		conds[i] = "(band = ? AND hash = ?)"
		args = append(args, b.Band, int64(b.Hash))
	}
	rows, err := s.query(ctx, "SELECT DISTINCT doc_id FROM resume_bands WHERE "+strings.Join(conds, " OR ")+" ORDER BY doc_id", args...)
	if err != nil {
		return nil, s.classify("FindResumeCandidates", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.classify("FindResumeCandidates", err)
		}
		out = append(out, id)
	}
	return out, s.classify("FindResumeCandidates", rows.Err())
}

// FindResumeSignature returns a stored signature; ok is false if docID is unknown or has
// no signature yet.
func (s *Store) FindResumeSignature(ctx context.Context, docID string) (*minhash.Signature, bool, error) {
	var b []byte
	err := s.read.QueryRowContext(ctx, s.rebind("SELECT signature FROM resume_documents WHERE doc_id = ?"), docID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, s.classify("FindResumeSignature", err)
	}
	sig, ok := minhash.SignatureFromBytes(b)
	if !ok {
		return nil, false, nil
	}
	return &sig, true, nil
}

// SetResumeOwner records the person and event a document came from. An unknown person is
// EINVALID.
func (s *Store) SetResumeOwner(ctx context.Context, docID, personID, eventID string) error {
	_, err := s.exec(ctx, "INSERT INTO resume_documents (doc_id, person_id, event_id, created_at) VALUES (?, ?, ?, ?) "+
		"ON CONFLICT (doc_id) DO UPDATE SET person_id = excluded.person_id, event_id = excluded.event_id",
		docID, personID, eventID, ts(s.now()))
	return s.classify("SetResumeOwner", err)
}

// FindResumeOwner returns a document's person and event with the person's current name.
func (s *Store) FindResumeOwner(ctx context.Context, docID string) (resume.ResumeOwner, bool, error) {
	var o resume.ResumeOwner
	err := s.read.QueryRowContext(ctx, s.rebind("SELECT d.person_id, d.event_id, p.display_name FROM resume_documents d "+
		"JOIN people p ON p.id = d.person_id WHERE d.doc_id = ?"), docID).Scan(&o.PersonID, &o.EventID, &o.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return resume.ResumeOwner{}, false, nil
	}
	if err != nil {
		return resume.ResumeOwner{}, false, s.classify("FindResumeOwner", err)
	}
	return o, true, nil
}
