package ui

import (
	"math"
)

// Node is a point of the linked-identities graph: the person, an identifier, or another
// person who shares it.
type Node struct {
	X, Y  int
	Label string
	Kind  string // person, identifier or other
	Href  string
}

// Edge joins two nodes.
type Edge struct{ X1, Y1, X2, Y2 int }

// Link is one identifier and the other people who hold it.
type Link struct {
	Label  string // e.g. "phone +1 ***-***-0199"
	Others []Node // Label and Href set; the layout places them
}

// Graph is a laid-out linked-identities graph.
type Graph struct {
	Width, Height int
	Nodes         []Node
	Edges         []Edge
}

// Graph geometry.
const (
	graphW     = 720
	graphInner = 120.0
	graphOuter = 230.0
)

// NewGraph lays out center in the middle, each link's identifier on an inner circle and
// the people sharing it on an outer circle beside it.
func NewGraph(center Node, links []Link) *Graph {
	inner, outer := graphInner, graphOuter
	if len(links) <= 2 {
		inner, outer = graphInner*0.6, graphOuter*0.6 // a sparse graph needs less room
	}
	height := 2*int(outer) + 80
	cx, cy := graphW/2, height/2
	g := &Graph{Width: graphW, Height: height}
	center.X, center.Y, center.Kind = cx, cy, "person"
	g.Nodes = append(g.Nodes, center)
	for i, l := range links {
		a := 2*math.Pi*float64(i)/float64(max(len(links), 1)) - math.Pi/2
		ix, iy := cx+int(inner*math.Cos(a)), cy+int(inner*math.Sin(a))
		g.Edges = append(g.Edges, Edge{cx, cy, ix, iy})
		g.Nodes = append(g.Nodes, Node{X: ix, Y: iy, Label: l.Label, Kind: "identifier"})
		spread := 0.5 / float64(max(len(links), 1))
		for j, o := range l.Others {
			b := a
			if len(l.Others) > 1 {
				b = a - spread + 2*spread*float64(j)/float64(len(l.Others)-1)
			}
			ox, oy := cx+int(outer*math.Cos(b)), cy+int(outer*math.Sin(b))
			g.Edges = append(g.Edges, Edge{ix, iy, ox, oy})
			g.Nodes = append(g.Nodes, Node{X: ox, Y: oy, Label: o.Label, Kind: "other", Href: o.Href})
		}
	}
	g.fit()
	return g
}

// Padding around the drawn nodes: labels extend sideways and below each node.
const (
	padX, padTop, padBottom = 130, 24, 40
)

// fit shrinks the canvas to the nodes' bounding box plus padding and moves them into it.
func (g *Graph) fit() {
	minX, minY, maxX, maxY := g.Nodes[0].X, g.Nodes[0].Y, g.Nodes[0].X, g.Nodes[0].Y
	for _, n := range g.Nodes {
		minX, maxX = min(minX, n.X), max(maxX, n.X)
		minY, maxY = min(minY, n.Y), max(maxY, n.Y)
	}
	dx, dy := padX-minX, padTop-minY
	for i := range g.Nodes {
		g.Nodes[i].X += dx
		g.Nodes[i].Y += dy
	}
	for i := range g.Edges {
		e := &g.Edges[i]
		e.X1, e.Y1, e.X2, e.Y2 = e.X1+dx, e.Y1+dy, e.X2+dx, e.Y2+dy
	}
	g.Width, g.Height = maxX-minX+2*padX, maxY-minY+padTop+padBottom
}
