package sigma

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// Condition node operators.
const (
	opSearch = iota
	opAnd
	opOr
	opNot
	opOf
)

// node is a parsed condition expression.
type node struct {
	op     uint8
	search int     // opSearch: index into the detection's searches
	kids   []*node // opAnd, opOr, opNot; opOf: one opSearch node per matched identifier
	need   int     // opOf: how many kids must hold; -1 means all
}

// evalCtx evaluates the searches of one detection against one record, each at most
// once.
type evalCtx struct {
	searches []search
	r        *record
	memo     []int8 // 0 unknown, 1 true, 2 false
}

// search evaluates search i, memoised.
func (c *evalCtx) search(i int) bool {
	if m := c.memo[i]; m != 0 {
		return m == 1
	}
	res := c.searches[i].eval(c.r)
	c.memo[i] = 2
	if res {
		c.memo[i] = 1
	}
	return res
}

// eval evaluates n with searches evaluated lazily through s.
func (n *node) eval(s *evalCtx) bool {
	switch n.op {
	case opSearch:
		return s.search(n.search)
	case opAnd:
		for _, k := range n.kids {
			if !k.eval(s) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if k.eval(s) {
				return true
			}
		}
		return false
	case opNot:
		return !n.kids[0].eval(s)
	}
	return n.evalOf(s)
}

func (n *node) evalOf(s *evalCtx) bool {
	need := n.need
	if need < 0 {
		need = len(n.kids)
	}
	got := 0
	for i, k := range n.kids {
		if k.eval(s) {
			if got++; got >= need {
				return true
			}
		}
		if got+len(n.kids)-i-1 < need {
			return false
		}
	}
	return got >= need
}

// condParser parses one condition string against the search identifiers of a detection.
type condParser struct {
	toks  []string
	pos   int
	depth int
	names []string // search identifiers in definition order
}

// maxCondDepth bounds parenthesis and not nesting, so hostile rules cannot exhaust
// the stack.
const maxCondDepth = 100

// parseCondition parses cond; names are the defined search identifiers.
func parseCondition(cond string, names []string) (*node, error) {
	toks, err := lexCondition(cond)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty condition")
	}
	p := &condParser{toks: toks, names: names}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("condition %q: unexpected %q", cond, p.toks[p.pos])
	}
	return n, nil
}

// lexCondition splits a condition into words and parentheses.
func lexCondition(s string) ([]string, error) {
	var toks []string
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, s[i:i+1])
			i++
		case c == '|':
			return nil, fmt.Errorf("aggregation expressions (| count() ...) are obsolete; use a correlation rule")
		case isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q in condition", c)
		}
	}
	return toks, nil
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '*' || c == '-' || c == '.' || c == '?' ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func (p *condParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *condParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

func (p *condParser) or() (*node, error) {
	return p.binary(opOr, "or", p.and)
}

func (p *condParser) and() (*node, error) {
	return p.binary(opAnd, "and", p.not)
}

// binary parses operands joined by the keyword kw into one op node.
func (p *condParser) binary(op uint8, kw string, operand func() (*node, error)) (*node, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for strings.EqualFold(p.peek(), kw) {
		p.next()
		k, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &node{op: op, kids: kids}, nil
}

func (p *condParser) not() (*node, error) {
	if p.depth++; p.depth > maxCondDepth {
		return nil, fmt.Errorf("condition nests deeper than %d", maxCondDepth)
	}
	defer func() { p.depth-- }()
	if strings.EqualFold(p.peek(), "not") {
		p.next()
		k, err := p.not()
		if err != nil {
			return nil, err
		}
		return &node{op: opNot, kids: []*node{k}}, nil
	}
	return p.primary()
}

func (p *condParser) primary() (*node, error) {
	t := p.next()
	switch lt := strings.ToLower(t); {
	case t == "":
		return nil, fmt.Errorf("condition ends unexpectedly")
	case t == "(":
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("missing closing parenthesis")
		}
		return n, nil
	case t == ")":
		return nil, fmt.Errorf("unexpected closing parenthesis")
	case lt == "and" || lt == "or" || lt == "of" || lt == "them":
		return nil, fmt.Errorf("unexpected %q", t)
	case strings.EqualFold(p.peek(), "of"):
		p.next()
		return p.quantified(lt)
	}
	return p.ident(t)
}

// quantified parses the rest of "all of X", "1 of X" or "N of X".
func (p *condParser) quantified(q string) (*node, error) {
	need := -1
	if q != "all" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("quantifier %q is not all or a positive number", q)
		}
		need = n
	}
	target := p.next()
	if target == "" || target == "(" || target == ")" {
		return nil, fmt.Errorf("%s of: missing search identifier pattern", q)
	}
	n := &node{op: opOf, need: need}
	for i, name := range p.names {
		var ok bool
		if strings.EqualFold(target, "them") {
			ok = !strings.HasPrefix(name, "_")
		} else {
			ok, _ = path.Match(target, name)
		}
		if ok {
			n.kids = append(n.kids, &node{op: opSearch, search: i})
		}
	}
	if len(n.kids) == 0 {
		return nil, fmt.Errorf("%s of %s: no search identifier matches", q, target)
	}
	return n, nil
}

func (p *condParser) ident(t string) (*node, error) {
	for i, name := range p.names {
		if name == t {
			return &node{op: opSearch, search: i}, nil
		}
	}
	return nil, fmt.Errorf("condition references undefined search identifier %q", t)
}
