package minhash

import (
	"context"
	"fmt"
	"sync"
)

var _ Store = (*MemoryStore)(nil)

// MemoryStore is an in-memory Store sized for millions of documents: band keys map to
// document numbers, and signatures sit in one flat slice.
type MemoryStore struct {
	mu sync.RWMutex // guards the fields below
	// ids[n] is document n's ID; num maps an ID back.
	ids []string
	num map[string]uint32
	// sigs holds document n's signature at sigs[n].
	sigs []Signature
	// first holds the first document of a bucket, more the rest; both keyed by bucket.
	first map[uint64]uint32
	more  map[uint64][]uint32
	// keys holds the bucket keys of document n at keys[n*width:(n+1)*width], for
	// replacement; width is the number of bands, fixed by the first Put.
	keys  []uint64
	width int
}

// NewMemoryStore returns an empty store with room for about n documents.
func NewMemoryStore(n int) *MemoryStore {
	return &MemoryStore{
		num:   make(map[string]uint32, n),
		first: make(map[uint64]uint32, n*4),
		more:  make(map[uint64][]uint32),
	}
}

func bucket(k BandKey) uint64 { return k.Hash ^ uint64(k.Band)*0x9e3779b97f4a7c15 }

// Put stores a document, replacing an earlier version of it. Every document must have the
// same number of band keys.
func (m *MemoryStore) Put(_ context.Context, docID string, sig *Signature, bands []BandKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.width == 0 {
		m.width = len(bands)
	}
	if len(bands) != m.width || m.width == 0 {
		return fmt.Errorf("memory store: document %q has %d band keys, want %d", docID, len(bands), m.width)
	}
	n, ok := m.num[docID]
	if ok {
		m.unlink(n)
		m.sigs[n] = *sig
	} else {
		n = uint32(len(m.ids))
		m.ids = append(m.ids, docID)
		m.num[docID] = n
		m.sigs = append(m.sigs, *sig)
		m.keys = append(m.keys, make([]uint64, m.width)...)
	}
	keys := m.keys[int(n)*m.width : (int(n)+1)*m.width]
	for i, b := range bands {
		keys[i] = bucket(b)
		if _, taken := m.first[keys[i]]; taken {
			m.more[keys[i]] = append(m.more[keys[i]], n)
		} else {
			m.first[keys[i]] = n
		}
	}
	return nil
}

// unlink removes document n from its buckets.
func (m *MemoryStore) unlink(n uint32) {
	for _, k := range m.keys[int(n)*m.width : (int(n)+1)*m.width] {
		rest := m.more[k]
		if f, ok := m.first[k]; ok && f == n {
			if len(rest) == 0 {
				delete(m.first, k)
				continue
			}
			m.first[k], rest = rest[0], rest[1:]
		} else {
			for i, x := range rest {
				if x == n {
					rest = append(rest[:i:i], rest[i+1:]...)
					break
				}
			}
		}
		if len(rest) == 0 {
			delete(m.more, k)
		} else {
			m.more[k] = rest
		}
	}
}

// Candidates returns documents sharing a band key.
func (m *MemoryStore) Candidates(_ context.Context, bands []BandKey) ([]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	seen := make(map[uint32]struct{})
	var out []string
	add := func(n uint32) {
		if _, dup := seen[n]; !dup {
			seen[n] = struct{}{}
			out = append(out, m.ids[n])
		}
	}
	for _, b := range bands {
		k := bucket(b)
		if f, ok := m.first[k]; ok {
			add(f)
			for _, n := range m.more[k] {
				add(n)
			}
		}
	}
	return out, nil
}

// Signature returns a stored signature.
func (m *MemoryStore) Signature(_ context.Context, docID string) (*Signature, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n, ok := m.num[docID]
	if !ok {
		return nil, false, nil
	}
	s := m.sigs[n]
	return &s, true, nil
}

// Len returns the number of documents stored.
func (m *MemoryStore) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.ids)
}
