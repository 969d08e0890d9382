package identity

import (
	"cmp"
	"slices"

	"github.com/unmask/unmask"
)

// Link is one piece of evidence joining two people.
type Link struct {
	A, B    string
	Kind    unmask.IdentifierKind
	Display string
	// Lineage is true when A and B have matching names: the same human seen twice (an
	// applicant and the employee they became), not two identities.
	Lineage bool
}

// Cluster is a connected component of people joined by shared identifiers.
type Cluster struct {
	PersonIDs []string
	Links     []Link
}

// Lineage reports whether every link in c joins records of one name.
func (c Cluster) Lineage() bool {
	return !slices.ContainsFunc(c.Links, func(l Link) bool { return !l.Lineage })
}

// Clusters returns the connected components with two or more people, largest first. Every
// kind with a sharing rule links people except building keys, which are too weak.
func (g *Graph) Clusters() []Cluster {
	uf := newUnionFind()
	var links []Link
	for _, k := range g.sortedGroups() {
		if _, ok := shareRules[k.kind]; !ok || k.kind == KindBuilding {
			continue
		}
		ids := g.groups[k]
		for _, id := range ids[1:] {
			a, b := ids[0], id
			links = append(links, Link{
				A: a.PersonID, B: b.PersonID, Kind: k.kind, Display: displayOf(ids),
				Lineage: len(g.nameGroups([]Ident{a, b})) == 1,
			})
			uf.union(a.PersonID, b.PersonID)
		}
	}
	byRoot := make(map[string]*Cluster)
	for _, l := range links {
		root := uf.find(l.A)
		c := byRoot[root]
		if c == nil {
			c = &Cluster{}
			byRoot[root] = c
		}
		c.Links = append(c.Links, l)
		for _, p := range []string{l.A, l.B} {
			if !slices.Contains(c.PersonIDs, p) {
				c.PersonIDs = append(c.PersonIDs, p)
			}
		}
	}
	out := make([]Cluster, 0, len(byRoot))
	for _, c := range byRoot {
		slices.Sort(c.PersonIDs)
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(len(b.PersonIDs), len(a.PersonIDs)), cmp.Compare(a.PersonIDs[0], b.PersonIDs[0]))
	})
	return out
}

type unionFind struct{ parent map[string]string }

func newUnionFind() *unionFind { return &unionFind{parent: make(map[string]string)} }

func (u *unionFind) find(x string) string {
	p, ok := u.parent[x]
	if !ok || p == x {
		u.parent[x] = x
		return x
	}
	root := u.find(p)
	u.parent[x] = root
	return root
}

func (u *unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra > rb {
			ra, rb = rb, ra
		}
		u.parent[rb] = ra
	}
}
