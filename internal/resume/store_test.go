package resume

import (
	"context"
	"sync"
	"testing"

	"github.com/unmask/unmask/internal/minhash"
)

// memStore is an in-memory Store, as a SQL store behaves: owners are kept beside the
// signatures and names are those of the people table.
type memStore struct {
	*minhash.MemoryStore
	mu     sync.Mutex
	owners map[string]ResumeOwner
	names  map[string]string // person id → current name
}

func newMemStore() *memStore {
	return &memStore{MemoryStore: minhash.NewMemoryStore(4), owners: map[string]ResumeOwner{}, names: map[string]string{}}
}

func (m *memStore) PutResumeSignature(ctx context.Context, docID string, sig *minhash.Signature, bands []minhash.BandKey) error {
	return m.Put(ctx, docID, sig, bands)
}

func (m *memStore) FindResumeCandidates(ctx context.Context, bands []minhash.BandKey) ([]string, error) {
	return m.Candidates(ctx, bands)
}

func (m *memStore) FindResumeSignature(ctx context.Context, docID string) (*minhash.Signature, bool, error) {
	return m.Signature(ctx, docID)
}

func (m *memStore) SetResumeOwner(_ context.Context, docID, personID, eventID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.owners[docID] = ResumeOwner{PersonID: personID, EventID: eventID}
	return nil
}

func (m *memStore) FindResumeOwner(_ context.Context, docID string) (ResumeOwner, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.owners[docID]
	o.Name = m.names[o.PersonID]
	return o, ok, nil
}

var _ Store = (*memStore)(nil)

// TestDetectorOverStore: a detector over a Store finds near-copies of résumés that
// another detector (an earlier process) indexed, with their owner and event.
func TestDetectorOverStore(t *testing.T) {
	st := newMemStore()
	st.names["p1"], st.names["p2"], st.names["p3"] = "Jane Roe", "Ivan Petrov", "Jane A. Roe"
	orig := Entry{DocID: "d1", PersonID: "p1", Name: "Jane Roe", EventID: "ev1", Shingles: Shingles(text("career", 300))}
	first, err := NewDetector(Options{Store: st, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if sigs, err := first.Screen(t.Context(), orig); err != nil || len(sigs) != 0 {
		t.Fatalf("first résumé: %v, %v", sigs, err)
	}
	second, err := NewDetector(Options{Store: st, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := second.Screen(t.Context(), Entry{DocID: "d2", PersonID: "p2", Name: "Ivan Petrov", EventID: "ev2", Shingles: orig.Shingles})
	if err != nil || len(sigs) != 2 {
		t.Fatalf("copy under another name: %d signals, %v; want 2", len(sigs), err)
	}
	for _, s := range sigs {
		if len(s.EventIDs) != 2 {
			t.Errorf("signal for %s cites events %v, want both applications", s.PersonID, s.EventIDs)
		}
	}
	if o, ok, _ := st.FindResumeOwner(t.Context(), "d2"); !ok || o.PersonID != "p2" || o.EventID != "ev2" {
		t.Errorf("owner of d2 = %+v, %v; want p2 from ev2", o, ok)
	}
	// The same person re-applying under a variant of the name is not a near-copy.
	third, _ := NewDetector(Options{Store: st, Now: fixedClock})
	sigs, err = third.Screen(t.Context(), Entry{DocID: "d3", PersonID: "p3", Name: "Jane A. Roe", Shingles: orig.Shingles})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sigs {
		if s.PersonID == "p1" || s.PersonID == "p3" && s.Key == "resume:d1" {
			t.Errorf("re-application flagged: %+v", s)
		}
	}
	if _, err := NewDetector(Options{Store: st, Index: mustIndex(t)}); err == nil {
		t.Error("NewDetector accepted both Index and Store")
	}
}

func mustIndex(tb testing.TB) *minhash.Index {
	tb.Helper()
	x, err := minhash.NewIndex(minhash.DefaultParams, minhash.NewMemoryStore(1))
	if err != nil {
		tb.Fatal(err)
	}
	return x
}
