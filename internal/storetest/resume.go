package storetest

import (
	"context"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/minhash"
	"github.com/unmask/unmask/internal/resume"
)

// testResumeIndex checks the persisted résumé near-duplicate index (resume.Store), which
// stores that keep one implement: an Index over it finds near-copies, owners carry the
// person's current name, and a document goes with its person.
func testResumeIndex(t *testing.T, s Store) {
	rs, ok := s.(resume.Store)
	if !ok {
		t.Skip("the store keeps no résumé index")
	}
	ctx := ctx(t)
	a := MustCreatePerson(t, ctx, s, "Applicant A", unmask.PersonApplicant)
	b := MustCreatePerson(t, ctx, s, "Applicant B", unmask.PersonApplicant)
	shingles := func(prefix string, n int) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = minhash.HashString(prefix + string(rune('a'+i%26)) + string(rune('a'+i/26)))
		}
		return out
	}
	sigA := minhash.Sign(shingles("x", 200))
	sigC := minhash.Sign(shingles("y", 200))
	p := minhash.DefaultParams

	must(t, rs.SetResumeOwner(ctx, "doc-a", a.ID, "ev-a"))
	must(t, rs.PutResumeSignature(ctx, "doc-a", &sigA, p.Keys(&sigA)))
	must(t, rs.PutResumeSignature(ctx, "doc-b", &sigA, p.Keys(&sigA))) // owner set after the signature
	must(t, rs.SetResumeOwner(ctx, "doc-b", b.ID, "ev-b"))

	t.Run("Signature", func(t *testing.T) {
		got, ok, err := rs.FindResumeSignature(ctx, "doc-a")
		must(t, err)
		if !ok || *got != sigA {
			t.Errorf("FindResumeSignature(doc-a) = ok %v, equal %v", ok, ok && *got == sigA)
		}
		if _, ok, err := rs.FindResumeSignature(ctx, "nope"); err != nil || ok {
			t.Errorf("unknown document: ok %v, %v", ok, err)
		}
	})
	t.Run("Candidates", func(t *testing.T) {
		got, err := rs.FindResumeCandidates(ctx, p.Keys(&sigA))
		must(t, err)
		diff(t, "candidates", []string{"doc-a", "doc-b"}, got)
		got, err = rs.FindResumeCandidates(ctx, p.Keys(&sigC))
		must(t, err)
		diff(t, "candidates of an unrelated signature", []string(nil), got)
		got, err = rs.FindResumeCandidates(ctx, nil)
		must(t, err)
		diff(t, "candidates of no bands", []string(nil), got)
	})
	t.Run("IndexOverStore", func(t *testing.T) {
		x, err := minhash.NewIndex(p, indexOver{rs})
		must(t, err)
		m, err := x.Query(ctx, &sigA, 0.9)
		must(t, err)
		if len(m) != 2 || m[0].Similarity != 1 {
			t.Errorf("Query = %+v, want doc-a and doc-b at similarity 1", m)
		}
	})
	t.Run("Replace", func(t *testing.T) {
		must(t, rs.PutResumeSignature(ctx, "doc-b", &sigC, p.Keys(&sigC)))
		got, err := rs.FindResumeCandidates(ctx, p.Keys(&sigA))
		must(t, err)
		diff(t, "candidates after doc-b was replaced", []string{"doc-a"}, got)
		got, err = rs.FindResumeCandidates(ctx, p.Keys(&sigC))
		must(t, err)
		diff(t, "candidates of the new signature", []string{"doc-b"}, got)
	})
	t.Run("Owner", func(t *testing.T) {
		_, err := s.UpdatePerson(ctx, a.ID, unmask.PersonUpdate{DisplayName: new("Applicant A. Renamed")})
		must(t, err)
		got, ok, err := rs.FindResumeOwner(ctx, "doc-a")
		must(t, err)
		diff(t, "owner", resume.ResumeOwner{PersonID: a.ID, EventID: "ev-a", Name: "Applicant A. Renamed"}, got)
		if !ok {
			t.Error("owner not found")
		}
		if _, ok, err := rs.FindResumeOwner(ctx, "nope"); err != nil || ok {
			t.Errorf("unknown document: ok %v, %v", ok, err)
		}
		wantCode(t, rs.SetResumeOwner(ctx, "doc-x", "nobody", ""), unmask.EINVALID)
	})
	t.Run("GoesWithPerson", func(t *testing.T) {
		must(t, s.DeletePerson(ctx, a.ID))
		if _, ok, err := rs.FindResumeSignature(ctx, "doc-a"); err != nil || ok {
			t.Errorf("doc-a outlived its person: ok %v, %v", ok, err)
		}
		got, err := rs.FindResumeCandidates(ctx, p.Keys(&sigA))
		must(t, err)
		diff(t, "candidates after the person was deleted", []string(nil), got)
	})
}

// indexOver is a resume.Store as a minhash.Store.
type indexOver struct{ s resume.Store }

func (x indexOver) Put(ctx context.Context, id string, sig *minhash.Signature, b []minhash.BandKey) error {
	return x.s.PutResumeSignature(ctx, id, sig, b)
}

func (x indexOver) Candidates(ctx context.Context, b []minhash.BandKey) ([]string, error) {
	return x.s.FindResumeCandidates(ctx, b)
}

func (x indexOver) Signature(ctx context.Context, id string) (*minhash.Signature, bool, error) {
	return x.s.FindResumeSignature(ctx, id)
}
