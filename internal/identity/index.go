package identity

import (
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// Index maps identifier keys to the people holding them, compactly enough to screen a new
// applicant against millions in memory. Keys are stored as 64-bit hashes of kind and key;
// the chance that two different identifiers collide is about 2⁻⁶⁴ per pair. It is safe
// for concurrent use.
type Index struct {
	mu sync.RWMutex // guards the fields below
	// people[n] describes person number n; num maps an ID back.
	people []indexed
	num    map[string]uint32
	// first holds the first holder of a key, more the others.
	first map[uint64]uint32
	more  map[uint64][]uint32
}

type indexed struct {
	id, name string
	kind     unmask.PersonKind
}

// NewIndex returns an empty index with room for about n people.
func NewIndex(n int) *Index {
	return &Index{num: make(map[string]uint32, n), first: make(map[uint64]uint32, 3*n), more: make(map[uint64][]uint32)}
}

// indexSeed seeds the in-memory key hash; the index is never persisted, so a per-process
// seed is fine.
var indexSeed = maphash.MakeSeed()

func indexKey(kind unmask.IdentifierKind, key string) uint64 {
	var h maphash.Hash
	h.SetSeed(indexSeed)
	h.WriteString(string(kind))
	h.WriteByte(0)
	h.WriteString(key)
	return h.Sum64()
}

// Add records that p holds ids (the ids' PersonID is ignored).
func (x *Index) Add(p *unmask.Person, ids []Ident) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n, ok := x.num[p.ID]
	if !ok {
		n = uint32(len(x.people))
		x.people = append(x.people, indexed{id: p.ID, name: p.DisplayName, kind: p.Kind})
		x.num[p.ID] = n
	}
	for _, id := range ids {
		k := indexKey(id.Kind, id.Key)
		f, taken := x.first[k]
		switch {
		case !taken:
			x.first[k] = n
		case f != n && !containsNum(x.more[k], n):
			x.more[k] = append(x.more[k], n)
		}
	}
}

func containsNum(s []uint32, n uint32) bool {
	return slices.Contains(s, n)
}

// Holders returns the IDs of people holding an identifier.
func (x *Index) Holders(kind unmask.IdentifierKind, key string) []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var out []string
	for _, n := range x.holders(indexKey(kind, key)) {
		out = append(out, x.people[n].id)
	}
	return out
}

func (x *Index) holders(k uint64) []uint32 {
	f, ok := x.first[k]
	if !ok {
		return nil
	}
	return append([]uint32{f}, x.more[k]...)
}

// Len returns the number of people indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.people)
}

// Screen checks a new person's identifiers against everyone indexed and returns the
// shared-identifier signals (see Graph.SharedSignals) for the new person and the people it
// shares with; then it indexes the person. opts configures the graph used for the check.
func (x *Index) Screen(p *unmask.Person, ids []Ident, opts Options) []unmask.Signal {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	g := NewGraph(opts)
	g.AddPerson(p)
	x.mu.RLock()
	for _, id := range ids {
		id.PersonID = p.ID
		g.AddIdent(id)
		for _, n := range x.holders(indexKey(id.Kind, id.Key)) {
			h := x.people[n]
			if h.id == p.ID {
				continue
			}
			g.AddPerson(&unmask.Person{ID: h.id, DisplayName: h.name, Kind: h.kind})
			g.AddIdent(Ident{PersonID: h.id, Kind: id.Kind, Key: id.Key, Display: id.Display})
		}
	}
	x.mu.RUnlock()
	sigs := g.SharedSignals()
	x.Add(p, ids)
	return sigs
}
