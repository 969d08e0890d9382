package resume

import (
	"context"

	"github.com/unmask/unmask/internal/minhash"
)

// Store persists the résumé index, so that a near-copy is found whatever process or run
// indexed the original: each document's MinHash signature with its LSH band keys, and the
// person and event it came from. internal/sqlstore implements it over SQL tables; a
// document is deleted with its person. Implementations must be safe for concurrent use.
type Store interface {
	// PutResumeSignature stores a document's signature and band keys, replacing earlier ones.
	PutResumeSignature(ctx context.Context, docID string, sig *minhash.Signature, bands []minhash.BandKey) error
	// FindResumeCandidates returns the documents sharing at least one band key, deduplicated.
	FindResumeCandidates(ctx context.Context, bands []minhash.BandKey) ([]string, error)
	// FindResumeSignature returns a stored signature; ok is false if docID is unknown.
	FindResumeSignature(ctx context.Context, docID string) (sig *minhash.Signature, ok bool, err error)
	// SetResumeOwner records the person (who must exist) and event a document came from.
	SetResumeOwner(ctx context.Context, docID, personID, eventID string) error
	// FindResumeOwner returns a document's person and event and the person's current name;
	// ok is false if the document or its owner is unknown.
	FindResumeOwner(ctx context.Context, docID string) (owner ResumeOwner, ok bool, err error)
}

// ResumeOwner is who an indexed document came from.
type ResumeOwner struct {
	PersonID string
	EventID  string
	// Name is the person's current display name.
	Name string
}

// indexStore is a Store seen as the minhash.Store of an Index.
type indexStore struct{ s Store }

func (x indexStore) Put(ctx context.Context, docID string, sig *minhash.Signature, bands []minhash.BandKey) error {
	return x.s.PutResumeSignature(ctx, docID, sig, bands)
}

func (x indexStore) Candidates(ctx context.Context, bands []minhash.BandKey) ([]string, error) {
	return x.s.FindResumeCandidates(ctx, bands)
}

func (x indexStore) Signature(ctx context.Context, docID string) (*minhash.Signature, bool, error) {
	return x.s.FindResumeSignature(ctx, docID)
}
