package sigma

// Kinds of prefilter literals: where in the lowercased value they must occur.
const (
	litContains = iota
	litPrefix
	litSuffix
	litEq
	numLitKinds
)

// lit is a lowercase literal that must occur in a field's lowercased value.
type lit struct {
	slot int
	kind uint8
	s    string
}

// slotPre is the prefilter of one field: automata over the literals rules need (and
// the values they can answer), and for each literal the rules it makes candidates.
// Local pattern p of the slot has the global id base+p.
type slotPre struct {
	slot  int
	base  int
	ac    *ahoCorasick  // contains literals
	pre   *anchoredTrie // prefix literals, and whole values (exact)
	suf   *anchoredTrie // suffix literals, reversed
	rules [][]int32
}

// slotBuild collects one slot's literals by kind before the automata are built.
type slotBuild struct {
	sp   *slotPre
	pats [numLitKinds][][]byte
	ids  [numLitKinds][]int32
}

// prefilterBuild assigns local pattern numbers per slot and kind.
type prefilterBuild struct {
	idx    map[lit]int
	bySlot map[int]*slotBuild
	order  []int
}

func (b *prefilterBuild) register(l lit) (*slotPre, int) {
	sb := b.bySlot[l.slot]
	if sb == nil {
		sb = &slotBuild{sp: &slotPre{slot: l.slot}}
		b.bySlot[l.slot] = sb
		b.order = append(b.order, l.slot)
	}
	p, ok := b.idx[l]
	if !ok {
		p = len(sb.sp.rules)
		b.idx[l] = p
		sb.sp.rules = append(sb.sp.rules, nil)
		sb.pats[l.kind] = append(sb.pats[l.kind], []byte(l.s))
		sb.ids[l.kind] = append(sb.ids[l.kind], int32(p))
	}
	return sb.sp, p
}

// buildPrefilter derives for every rule a set of literals of which at least one must
// occur for the rule to match, and compiles per field automata over them. Rules
// without such a set are evaluated for every event. The automata also answer the
// case-insensitive eq/prefix/suffix/contains values of rules, and gate regexes.
func (e *Engine) buildPrefilter() {
	e.always = make([]uint64, (len(e.rules)+63)/64)
	b := &prefilterBuild{idx: map[lit]int{}, bySlot: map[int]*slotBuild{}}
	for ri := range e.rules {
		cr := &e.rules[ri]
		if cr.never {
			continue
		}
		lits, ok := needs(cr.searches, cr.cond)
		if !ok {
			e.always[ri/64] |= 1 << (ri % 64)
			continue
		}
		for _, l := range lits {
			sp, p := b.register(l)
			if rs := sp.rules[p]; len(rs) == 0 || rs[len(rs)-1] != int32(ri) {
				sp.rules[p] = append(rs, int32(ri))
			}
		}
	}
	type answer struct {
		vm   *vmatch
		slot int
		p    int
		gate bool
	}
	var answers []answer
	e.eachValue(func(slot int, vm *vmatch) {
		if vm.kind == mRegex {
			for _, n := range vm.needs {
				_, p := b.register(lit{slot: slot, kind: litContains, s: n})
				answers = append(answers, answer{vm, slot, p, true})
			}
			return
		}
		if kind, ok := answerKind(vm); ok {
			_, p := b.register(lit{slot: slot, kind: kind, s: string(vm.lit)})
			answers = append(answers, answer{vm, slot, p, false})
		}
	})
	slotIdx := map[int]int{}
	for _, s := range b.order {
		sb := b.bySlot[s]
		sb.build(e.npats)
		e.npats += len(sb.sp.rules)
		slotIdx[s] = len(e.pre)
		e.pre = append(e.pre, *sb.sp)
	}
	for _, a := range answers {
		id := int32(e.pre[slotIdx[a.slot]].base + a.p)
		if a.gate {
			a.vm.gate = append(a.vm.gate, id)
		} else {
			a.vm.acID = id + 1
		}
	}
}

// answerKind says which automaton can answer a value exactly.
func answerKind(vm *vmatch) (uint8, bool) {
	if vm.cased || len(vm.lit) == 0 {
		return 0, false
	}
	switch vm.kind {
	case mContains:
		// Literals this short occur all the time and would make the automaton report
		// at most bytes; the evaluation finds them quickly itself.
		return litContains, len(vm.lit) >= 3
	case mPrefix:
		return litPrefix, true
	case mSuffix:
		return litSuffix, true
	case mEq:
		return litEq, true
	}
	return 0, false
}

// build compiles the slot's automata; base is the global id of local pattern 0.
func (sb *slotBuild) build(base int) {
	sp := sb.sp
	sp.base = base
	if len(sb.pats[litContains]) > 0 {
		sp.ac = buildAho(sb.pats[litContains], sb.ids[litContains])
	}
	if len(sb.pats[litPrefix]) > 0 || len(sb.pats[litEq]) > 0 {
		sp.pre = buildAnchored(sb.pats[litPrefix], sb.ids[litPrefix], sb.pats[litEq], sb.ids[litEq], false)
	}
	if len(sb.pats[litSuffix]) > 0 {
		sp.suf = buildAnchored(sb.pats[litSuffix], sb.ids[litSuffix], nil, nil, true)
	}
}

// eachValue calls fn for every field value of rules and filters.
func (e *Engine) eachValue(fn func(slot int, vm *vmatch)) {
	visit := func(ss []search) {
		for si := range ss {
			for _, alt := range ss[si].alts {
				for i := range alt {
					it := &alt[i]
					if it.keyword {
						continue
					}
					for v := range it.vals {
						fn(it.slot, &it.vals[v])
					}
				}
			}
		}
	}
	for ri := range e.rules {
		visit(e.rules[ri].searches)
		for _, f := range e.rules[ri].filters {
			visit(f.searches)
		}
	}
}

// needs returns literals of which one must occur whenever the condition holds.
func needs(ss []search, n *node) ([]lit, bool) {
	switch n.op {
	case opSearch:
		return searchNeeds(&ss[n.search])
	case opAnd:
		return bestOf(ss, n.kids)
	case opOr:
		return unionOf(ss, n.kids)
	case opOf:
		if n.need < 0 || n.need == len(n.kids) {
			return bestOf(ss, n.kids)
		}
		return unionOf(ss, n.kids)
	}
	return nil, false
}

func bestOf(ss []search, kids []*node) ([]lit, bool) {
	var best []lit
	found := false
	for _, k := range kids {
		if l, ok := needs(ss, k); ok && (!found || better(l, best)) {
			best, found = l, true
		}
	}
	return best, found
}

func unionOf(ss []search, kids []*node) ([]lit, bool) {
	var out []lit
	for _, k := range kids {
		l, ok := needs(ss, k)
		if !ok {
			return nil, false
		}
		out = append(out, l...)
	}
	return out, true
}

// searchNeeds: alternatives are joined by OR (union), items by AND (best one).
func searchNeeds(s *search) ([]lit, bool) {
	var out []lit
	for _, alt := range s.alts {
		var best []lit
		found := false
		for i := range alt {
			if l, ok := itemNeeds(&alt[i]); ok && (!found || better(l, best)) {
				best, found = l, true
			}
		}
		if !found {
			return nil, false
		}
		out = append(out, best...)
	}
	return out, true
}

// itemNeeds: values are joined by OR (union of their literals); with all, the values
// of any one group suffice.
func itemNeeds(it *item) ([]lit, bool) {
	if it.keyword || it.neq || len(it.vals) == 0 {
		return nil, false
	}
	if !it.all {
		return valsNeeds(it.slot, it.vals)
	}
	var best []lit
	found := false
	for start := 0; start < len(it.vals); {
		end := start + 1
		for end < len(it.vals) && it.vals[end].group == it.vals[start].group {
			end++
		}
		if l, ok := valsNeeds(it.slot, it.vals[start:end]); ok && (!found || better(l, best)) {
			best, found = l, true
		}
		start = end
	}
	return best, found
}

func valsNeeds(slot int, vals []vmatch) ([]lit, bool) {
	out := make([]lit, 0, len(vals))
	for i := range vals {
		v := &vals[i]
		if len(v.needs) == 0 || (v.kind > mGlob && v.kind != mRegex) {
			return nil, false
		}
		kind := uint8(litContains)
		switch v.kind {
		case mEq:
			kind = litEq
		case mPrefix:
			kind = litPrefix
		case mSuffix:
			kind = litSuffix
		}
		for _, n := range v.needs {
			if n == "" {
				return nil, false
			}
			out = append(out, lit{slot: slot, kind: kind, s: n})
		}
	}
	return out, true
}

// better reports whether literal set a is a more selective prefilter than b: a longer
// shortest literal first, then fewer literals.
func better(a, b []lit) bool {
	ma, mb := minLen(a), minLen(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minLen(ls []lit) int {
	m := 1 << 30
	for _, l := range ls {
		m = min(m, len(l.s))
	}
	return m
}
