package minhash

import (
	"context"
	"fmt"
	"slices"
)

// BandKey is one LSH bucket: the band number and the hash of that band's rows. Documents
// with an equal BandKey are candidate near-duplicates. Both fields fit SQL integer columns
// (store Hash as int64(Hash) in a signed BIGINT; the conversion round-trips).
type BandKey struct {
	Band int    `json:"band"`
	Hash uint64 `json:"hash"`
}

// Params are the LSH banding parameters: Bands × Rows must not exceed NumHashes. The
// probability that a pair with Jaccard similarity s becomes a candidate is
// 1 − (1 − sʳ)ᵇ; the default 16 × 8 gives 0.95 at s = 0.8 and 0.06 at s = 0.5.
type Params struct {
	Bands, Rows int
}

// DefaultParams suits a similarity threshold near 0.8.
var DefaultParams = Params{Bands: 16, Rows: 8}

// Validate reports whether p is usable.
func (p Params) Validate() error {
	if p.Bands <= 0 || p.Rows <= 0 || p.Bands*p.Rows > NumHashes {
		return fmt.Errorf("lsh params %d×%d: need positive bands and rows with bands×rows ≤ %d", p.Bands, p.Rows, NumHashes)
	}
	return nil
}

// Keys returns the band keys of sig.
func (p Params) Keys(sig *Signature) []BandKey {
	out := make([]BandKey, p.Bands)
	for b := range p.Bands {
		h := uint64(14695981039346656037) ^ uint64(b)
		for _, v := range sig[b*p.Rows : (b+1)*p.Rows] {
			h ^= uint64(v)
			h *= 1099511628211
			h ^= h >> 29
		}
		out[b] = BandKey{Band: b, Hash: h}
	}
	return out
}

// Store persists signatures and band keys. Implementations must be safe for concurrent
// use; MemoryStore is the in-process one, and a SQL store keeps a (doc_id, signature blob)
// table and a (band, hash, doc_id) table indexed on (band, hash).
type Store interface {
	// Put stores a document's signature and band keys, replacing earlier ones.
	Put(ctx context.Context, docID string, sig *Signature, bands []BandKey) error
	// Candidates returns the IDs of documents sharing at least one band key, deduplicated.
	Candidates(ctx context.Context, bands []BandKey) ([]string, error)
	// Signature returns a stored signature; ok is false if docID is unknown.
	Signature(ctx context.Context, docID string) (sig *Signature, ok bool, err error)
}

// Match is a near-duplicate found by an Index.
type Match struct {
	DocID      string
	Similarity float64
}

// Index finds near-duplicate documents over a Store.
type Index struct {
	params Params
	store  Store
}

// NewIndex returns an index with the given banding over store.
func NewIndex(p Params, store Store) (*Index, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Index{params: p, store: store}, nil
}

// Add indexes a document.
func (x *Index) Add(ctx context.Context, docID string, sig *Signature) error {
	if err := x.store.Put(ctx, docID, sig, x.params.Keys(sig)); err != nil {
		return fmt.Errorf("index document %q: %w", docID, err)
	}
	return nil
}

// Query returns indexed documents whose estimated similarity to sig is at least threshold,
// most similar first. The candidate step may miss pairs (see Params); similarities are
// verified on the stored signatures.
func (x *Index) Query(ctx context.Context, sig *Signature, threshold float64) ([]Match, error) {
	ids, err := x.store.Candidates(ctx, x.params.Keys(sig))
	if err != nil {
		return nil, fmt.Errorf("find lsh candidates: %w", err)
	}
	var out []Match
	for _, id := range ids {
		other, ok, err := x.store.Signature(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("load signature %q: %w", id, err)
		}
		if !ok {
			continue
		}
		if s := Similarity(sig, other); s >= threshold {
			out = append(out, Match{DocID: id, Similarity: s})
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Similarity != b.Similarity {
			if a.Similarity > b.Similarity {
				return -1
			}
			return 1
		}
		if a.DocID < b.DocID {
			return -1
		}
		if a.DocID > b.DocID {
			return 1
		}
		return 0
	})
	return out, nil
}
