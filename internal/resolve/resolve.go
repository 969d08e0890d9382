// Package resolve attributes events to people. An event names an account, a host or a
// serial the way its source does; HR records and device inventory give people identifiers
// (IdP login, work e-mail, GitHub login, device serial, host name), and the resolver looks
// the event's names up among them by keyed hash. Lookups are cached, misses too, so that
// ingest does not query the store per event; Learn keeps the cache current as identifiers
// are added. An event that resolves to no one keeps an empty PersonID and stays listed.
package resolve

import (
	"context"
	"strings"
	"sync"

	"github.com/unmask/unmask"
)

// Store finds identifiers.
type Store interface {
	FindIdentifiers(ctx context.Context, f unmask.IdentifierFilter) ([]*unmask.Identifier, int, error)
}

// Hasher computes the keyed hash of a normalised identifier value (internal/idhash).
type Hasher interface {
	Hash(kind unmask.IdentifierKind, normalized string) string
}

// Options configures a Resolver.
type Options struct {
	Store  Store
	Hasher Hasher
	// MaxCache bounds the cached lookups, and separately the cached keyed hashes of the
	// names looked up; 0 means 1,000,000. The least recently used entries go first.
	MaxCache int
}

// Resolver maps events to people.
type Resolver struct {
	store  Store
	hasher Hasher

	mu sync.Mutex // guards the caches
	// people maps an identifier's hash to its person id, "" for a known miss.
	people *genCache[hashKey, string]
	// hashes memoises the keyed hash of a name: an HMAC per event was a tenth of ingest.
	hashes *genCache[candidate, string]
}

// hashKey is an identifier as stored: its kind and keyed hash.
type hashKey struct {
	kind unmask.IdentifierKind
	hash string
}

// New returns a Resolver.
func New(opts Options) *Resolver {
	if opts.MaxCache <= 0 {
		opts.MaxCache = 1_000_000
	}
	return &Resolver{store: opts.Store, hasher: opts.Hasher,
		people: newGenCache[hashKey, string](opts.MaxCache), hashes: newGenCache[candidate, string](opts.MaxCache)}
}

// candidate is one name of an event to look up.
type candidate struct {
	kind  unmask.IdentifierKind
	value string
}

// Candidates returns the identifier lookups for e, most specific first.
func Candidates(e *unmask.Event) []candidate {
	var out []candidate
	if a := NormalizeAccount(e.Actor); a != "" {
		if e.Source == "github" {
			out = append(out, candidate{unmask.IdentGitHubLogin, a})
		}
		out = append(out, candidate{unmask.IdentIdPLogin, a})
		if strings.Contains(a, "@") {
			out = append(out, candidate{unmask.IdentEmail, a})
		}
	}
	if s := NormalizeSerial(e.Serial); s != "" {
		out = append(out, candidate{unmask.IdentDeviceSerial, s})
	}
	if h := NormalizeHost(e.Host); h != "" {
		out = append(out, candidate{unmask.IdentHostname, h})
	}
	return out
}

// NormalizeAccount lower-cases an account name and strips a Windows domain ("CORP\alex").
func NormalizeAccount(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.LastIndexByte(s, '\\'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// NormalizeSerial upper-cases a serial number and drops spaces and dashes.
func NormalizeSerial(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// NormalizeHost lower-cases a host name and drops its domain.
func NormalizeHost(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexByte(s, '.'); i > 0 {
		s = s[:i]
	}
	return s
}

// Resolve sets e.PersonID from the first of its names that belongs to a person; it leaves
// it empty when none does. It never overrides a PersonID already set.
func (r *Resolver) Resolve(ctx context.Context, e *unmask.Event) error {
	if e.PersonID != "" {
		return nil
	}
	for _, c := range Candidates(e) {
		id, err := r.lookup(ctx, c)
		if err != nil {
			return err
		}
		if id != "" {
			e.PersonID = id
			return nil
		}
	}
	return nil
}

// PersonOf returns the person holding the normalised value of kind, or "".
func (r *Resolver) PersonOf(ctx context.Context, kind unmask.IdentifierKind, normalized string) (string, error) {
	return r.lookup(ctx, candidate{kind, normalized})
}

func (r *Resolver) lookup(ctx context.Context, c candidate) (string, error) {
	r.mu.Lock()
	hash, ok := r.hashes.get(c)
	r.mu.Unlock()
	if !ok {
		hash = r.hasher.Hash(c.kind, c.value)
	}
	key := hashKey{c.kind, hash}
	r.mu.Lock()
	if !ok {
		r.hashes.put(c, hash)
	}
	id, ok := r.people.get(key)
	r.mu.Unlock()
	if ok {
		return id, nil
	}
	ids, _, err := r.store.FindIdentifiers(ctx, unmask.IdentifierFilter{Kind: &c.kind, Hash: &hash, Page: unmask.Page{Limit: 2}})
	if err != nil {
		return "", err
	}
	if len(ids) == 1 { // an identifier two people share cannot attribute an event
		id = ids[0].PersonID
	}
	r.mu.Lock()
	r.people.put(key, id)
	r.mu.Unlock()
	return id, nil
}

// Learn records that a person now holds an identifier, so that later events resolve at
// once and cached misses of that value are forgotten. A value now held by two people stops
// resolving.
func (r *Resolver) Learn(id *unmask.Identifier) {
	key := hashKey{id.Kind, id.Hash}
	r.mu.Lock()
	defer r.mu.Unlock()
	if prev, ok := r.people.peek(key); ok && prev != "" && prev != id.PersonID {
		r.people.remove(key) // shared now: look it up again
		return
	}
	r.people.put(key, id.PersonID)
}
