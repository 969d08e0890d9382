package identity

import (
	"cmp"
	"slices"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/fullname"
)

// KindBuilding is the kind of a building-level address key (postal BuildingKey), which
// links units of one building without claiming they are the same address. It is not a
// domain kind; see the package report for the proposed addition.
const KindBuilding unmask.IdentifierKind = "address_building"

// Ident is one identifier held by one person, as the graph sees it.
type Ident struct {
	PersonID string
	Kind     unmask.IdentifierKind
	// Key is what is compared: the keyed hash (or normalised value) of the identifier.
	Key string
	// Display is the masked form used in explanations.
	Display string
	// EventID is the event the identifier was learnt from, if any.
	EventID string
	// Seen is when the identifier was learnt; zero if unknown.
	Seen time.Time
}

// FromIdentifier converts a stored identifier.
func FromIdentifier(i *unmask.Identifier) Ident {
	return Ident{PersonID: i.PersonID, Kind: i.Kind, Key: i.Hash, Display: i.Display, Seen: i.CreatedAt}
}

// Options configures a Graph.
type Options struct {
	// Now is the clock for signals with no observation time; nil means time.Now.
	Now func() time.Time
	// SameHousehold tells whether two people may legitimately share a home address, phone,
	// ship-to address or bank account; nil means "same surname" (fullname.SameSurname).
	SameHousehold func(a, b *unmask.Person) bool
	// Exempt lists person IDs of documented shared service accounts, never linked.
	Exempt map[string]bool
	// MinAddressNames is how many differently named people must share a home address
	// before it is a signal; zero means 3 (two unrelated adults at one address is common).
	MinAddressNames int
	// MinBuildingNames is the same for a building key; zero means 5.
	MinBuildingNames int
}

// Graph is an in-memory identity graph. Build it with NewGraph, add people and identifiers,
// then read clusters and signals. It is not safe for concurrent use.
type Graph struct {
	opts   Options
	people map[string]*unmask.Person
	groups map[groupKey][]Ident
	// lineage joins records declared to be one person (AddLineage).
	lineage *unionFind
	// names caches each person's name tokens.
	names map[string][]string
}

type groupKey struct {
	kind unmask.IdentifierKind
	key  string
}

// NewGraph returns an empty graph.
func NewGraph(opts Options) *Graph {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SameHousehold == nil {
		opts.SameHousehold = func(a, b *unmask.Person) bool { return fullname.SameSurname(a.DisplayName, b.DisplayName) }
	}
	if opts.MinAddressNames == 0 {
		opts.MinAddressNames = 3
	}
	if opts.MinBuildingNames == 0 {
		opts.MinBuildingNames = 5
	}
	return &Graph{opts: opts, people: make(map[string]*unmask.Person), groups: make(map[groupKey][]Ident), lineage: newUnionFind(), names: make(map[string][]string)}
}

// AddPerson adds or replaces a person.
func (g *Graph) AddPerson(p *unmask.Person) {
	g.people[p.ID] = p
	g.names[p.ID] = fullname.Tokens(p.DisplayName)
}

// AddIdent adds an identifier. Identifiers of unknown people, of exempt people or with an
// empty key are ignored; a person holding the same key twice counts once.
func (g *Graph) AddIdent(id Ident) {
	if id.Key == "" || g.people[id.PersonID] == nil || g.opts.Exempt[id.PersonID] {
		return
	}
	k := groupKey{id.Kind, id.Key}
	for _, x := range g.groups[k] {
		if x.PersonID == id.PersonID {
			return
		}
	}
	g.groups[k] = append(g.groups[k], id)
}

// AddLineage declares that records a and b are the same person even if their names differ,
// such as an applicant hired under a new legal name (the HRIS links the candidate and
// employee IDs). Identifiers they share are then never a signal.
func (g *Graph) AddLineage(a, b string) { g.lineage.union(a, b) }

// samePerson reports whether two records are one human: declared lineage or matching names.
func (g *Graph) samePerson(a, b string) bool {
	if g.lineage.find(a) == g.lineage.find(b) {
		return true
	}
	return fullname.CompareTokens(g.names[a], g.names[b]) >= fullname.Partial
}

// nameGroups partitions the holders of one identifier into groups of people whose names
// match (fullname Partial or better) or who are declared one lineage: each group is one
// human, e.g. an applicant and the employee record they became.
func (g *Graph) nameGroups(ids []Ident) [][]Ident {
	var groups [][]Ident
	for _, id := range ids {
		placed := false
		for i, grp := range groups {
			if g.samePerson(id.PersonID, grp[0].PersonID) {
				groups[i] = append(groups[i], id)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []Ident{id})
		}
	}
	return groups
}

// household reports whether every name group is in one household with the first.
func (g *Graph) household(groups [][]Ident) bool {
	first := g.people[groups[0][0].PersonID]
	for _, grp := range groups[1:] {
		if !g.opts.SameHousehold(first, g.people[grp[0].PersonID]) {
			return false
		}
	}
	return true
}

// sortedGroups returns the identifier groups with two or more holders in a stable order.
func (g *Graph) sortedGroups() []groupKey {
	var keys []groupKey
	for k, ids := range g.groups {
		if len(ids) >= 2 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.key, b.key))
	})
	return keys
}
