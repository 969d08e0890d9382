package sigma

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// search is one search identifier: alternatives joined by OR, items within one
// alternative joined by AND.
type search struct {
	name string
	alts [][]item
}

// eval reports whether any alternative has all its items true.
func (s *search) eval(r *record) bool {
	for _, alt := range s.alts {
		ok := true
		for i := range alt {
			if !alt[i].eval(r) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// detection is a parsed detection section.
type detection struct {
	searches []search
	cond     *node
}

// fields returns the field names the detection reads, in first-use order.
func (d *detection) fields() []string {
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, s := range d.searches {
		for _, alt := range s.alts {
			for _, it := range alt {
				add(it.field)
				for _, v := range it.vals {
					if v.kind == mFieldRef {
						add(v.part)
					}
				}
			}
		}
	}
	return out
}

// parseOptions holds what value compilation needs beyond the YAML.
type parseOptions struct {
	placeholders map[string][]string
}

// errAt returns a ParseError located at n.
func errAt(n *yaml.Node, format string, args ...any) error {
	return &ParseError{Line: n.Line, Err: fmt.Errorf(format, args...)}
}

// parseDetection parses a detection (or filter) mapping. skip names keys that are not
// search identifiers besides condition and timeframe.
func parseDetection(n *yaml.Node, opts parseOptions, skip ...string) (*detection, error) {
	if n.Kind != yaml.MappingNode {
		return nil, errAt(n, "detection must be a mapping")
	}
	d := &detection{}
	var conds []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Value == "condition":
			conds = append(conds, v)
		case k.Value == "timeframe" || contains(skip, k.Value):
		default:
			s, err := parseSearch(k.Value, v, opts)
			if err != nil {
				return nil, err
			}
			d.searches = append(d.searches, s)
		}
	}
	if len(conds) == 0 {
		return nil, errAt(n, "detection has no condition")
	}
	cond, err := d.parseConditions(conds[0])
	if err != nil {
		return nil, err
	}
	d.cond = cond
	return d, nil
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

// parseConditions parses a condition string or a list of them (joined by OR).
func (d *detection) parseConditions(v *yaml.Node) (*node, error) {
	names := make([]string, len(d.searches))
	for i, s := range d.searches {
		names[i] = s.name
	}
	var strs []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		strs = []*yaml.Node{v}
	case yaml.SequenceNode:
		strs = v.Content
	default:
		return nil, errAt(v, "condition must be a string or a list of strings")
	}
	var kids []*node
	for _, s := range strs {
		if s.Kind != yaml.ScalarNode {
			return nil, errAt(s, "condition must be a string")
		}
		c, err := parseCondition(s.Value, names)
		if err != nil {
			return nil, errAt(s, "%v", err)
		}
		kids = append(kids, c)
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &node{op: opOr, kids: kids}, nil
}

// parseSearch parses one search identifier's value: a map, a list of maps or a list of
// keywords.
func parseSearch(name string, v *yaml.Node, opts parseOptions) (search, error) {
	s := search{name: name}
	switch v.Kind {
	case yaml.MappingNode:
		alt, err := parseMap(v, opts)
		if err != nil {
			return s, err
		}
		s.alts = [][]item{alt}
	case yaml.SequenceNode:
		return parseSearchList(s, v, opts)
	case yaml.ScalarNode:
		it, err := parseItem("", nil, v, opts)
		if err != nil {
			return s, err
		}
		s.alts = [][]item{{it}}
	default:
		return s, errAt(v, "search identifier %q must be a map or a list", name)
	}
	return s, nil
}

func parseSearchList(s search, v *yaml.Node, opts parseOptions) (search, error) {
	if len(v.Content) == 0 {
		return s, errAt(v, "search identifier %q is an empty list", s.name)
	}
	var keywords []*yaml.Node
	for _, e := range v.Content {
		switch e.Kind {
		case yaml.MappingNode:
			alt, err := parseMap(e, opts)
			if err != nil {
				return s, err
			}
			s.alts = append(s.alts, alt)
		case yaml.ScalarNode:
			keywords = append(keywords, e)
		default:
			return s, errAt(e, "search identifier %q: list items must be maps or values", s.name)
		}
	}
	if len(keywords) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Line: v.Line, Content: keywords}
		it, err := parseItem("", nil, seq, opts)
		if err != nil {
			return s, err
		}
		s.alts = append(s.alts, []item{it})
	}
	return s, nil
}

// parseMap parses a map of field|modifiers keys into items joined by AND.
func parseMap(v *yaml.Node, opts parseOptions) ([]item, error) {
	if len(v.Content) == 0 {
		return nil, errAt(v, "empty map in detection")
	}
	items := make([]item, 0, len(v.Content)/2)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		parts := strings.Split(k.Value, "|")
		it, err := parseItem(parts[0], parts[1:], val, opts)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

// parseItem compiles one field (or keyword search when field is empty) with its
// modifiers and value(s).
func parseItem(field string, mods []string, v *yaml.Node, opts parseOptions) (item, error) {
	it := item{field: field, keyword: field == ""}
	m, err := parseModifiers(mods)
	if err != nil {
		return it, errAt(v, "field %q: %v", field, err)
	}
	it.all, it.neq = m.all, m.neq
	if it.keyword && !m.startswith && !m.endswith && !m.re && !m.cidr && m.cmp == "" {
		// Keywords are full-text searches: the value may occur anywhere in a field.
		m.contains = true
	}
	var vals []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		vals = []*yaml.Node{v}
	case yaml.SequenceNode:
		vals = v.Content
	default:
		return it, errAt(v, "field %q: value must be a scalar or a list of scalars", field)
	}
	if m.all && len(vals) < 2 {
		return it, errAt(v, "field %q: modifier all needs a list of at least two values", field)
	}
	if len(vals) == 0 {
		return it, errAt(v, "field %q: empty list of values", field)
	}
	for g, e := range vals {
		if e.Kind != yaml.ScalarNode {
			return it, errAt(e, "field %q: nested lists or maps are not values", field)
		}
		ms, err := compileValue(m, e, opts)
		if err != nil {
			return it, errAt(e, "field %q: %v", field, err)
		}
		if it.keyword && len(ms) > 0 && (ms[0].kind == mExists || ms[0].kind == mFieldRef) {
			return it, errAt(e, "keyword search cannot use exists or fieldref")
		}
		for i := range ms {
			ms[i].group = g
		}
		it.vals = append(it.vals, ms...)
	}
	return it, nil
}
