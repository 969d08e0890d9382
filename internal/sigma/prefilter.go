package sigma

import "slices"

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

// minAnswerContains is the shortest contains value the automata answer: shorter ones
// occur in most values, so the automaton would report at most bytes while it saves
// little over evaluating them directly.
const minAnswerContains = 3

// maxBaseCopies bounds how many literal copies merging the rules without a logsource
// group into every group's plan may make; beyond it they get a plan of their own that
// runs for every event.
const maxBaseCopies = 1 << 15

// slotPre is the prefilter of one field within one plan: automata over the literals the
// plan's rules need or answer. Local pattern p is the literal lits[p] (a global id,
// which answers values) and counts for rules[p] (rule<<2 | literal set); per event it
// is deduplicated under the id base+p.
type slotPre struct {
	id    int // numbers the fields of all plans
	slot  int
	base  int
	ac    *ahoCorasick  // contains literals of printable ASCII
	acx   *ahoCorasick  // contains literals with other bytes: run only on values with such bytes
	pre   *anchoredTrie // prefix literals
	suf   *anchoredTrie // suffix literals, reversed
	eq    *exactSet     // whole values
	lits  []int32
	rules [][]int32
}

// plan is the prefilter run for the events of one logsource group: the automata over
// the literals of the group's rules (and, merged in, of the rules every event meets),
// and the rules evaluated for every such event as they have no literal.
type plan struct {
	slots  []slotPre
	at     []int32 // by record slot: index into slots, -1 for a field the plan ignores
	always []uint64
}

// owner collects, for one logsource group or for the rules without one, the literals
// its rules need (with the rules they make candidates) or answer (with none).
type owner struct {
	rules  map[int32][]int32 // literal id -> rules (with their literal set, see register)
	order  []int32           // literal ids in first-registration order
	always []int32           // rules without prefilter literals
}

// prefilterBuild numbers the literals of all plans.
type prefilterBuild struct {
	e      *Engine
	idx    map[lit]int32
	owners []owner // by logsource group; the last one for the rules without a group
}

// literal returns the global id of l.
func (b *prefilterBuild) literal(l lit) int32 {
	id, ok := b.idx[l]
	if !ok {
		id = int32(len(b.e.lits))
		b.idx[l] = id
		b.e.lits = append(b.e.lits, l)
	}
	return id
}

// register adds literal l to o and, when rule >= 0, makes it count for a rule: rule
// holds the rule's index shifted left by two and the index of the literal set.
func (b *prefilterBuild) register(o *owner, l lit, rule int32) int32 {
	id := b.literal(l)
	if o.rules == nil {
		o.rules = map[int32][]int32{}
	}
	rs, ok := o.rules[id]
	if !ok {
		o.order = append(o.order, id)
	}
	if rule >= 0 && (len(rs) == 0 || rs[len(rs)-1] != rule) {
		rs = append(rs, rule)
	}
	o.rules[id] = rs
	return id
}

// owner returns the owner of a rule: its logsource group's, or the last one for rules
// that every event meets (no group, or a group without conditions).
func (b *prefilterBuild) owner(cr *crule) *owner {
	if cr.group < 0 || b.e.unconditional(cr.group) {
		return &b.owners[len(b.owners)-1]
	}
	return &b.owners[cr.group]
}

// buildPrefilter derives for every rule its literal sets (needs), and compiles per
// logsource group and field automata over them: a rule becomes a candidate once a
// literal of each of its sets occurred. Rules without sets are evaluated for every
// event of their group. The automata also answer the case-insensitive
// eq/prefix/suffix/contains values of rules, and gate regexes and wildcard values.
func (e *Engine) buildPrefilter() {
	groups := len(e.lsAlts)
	b := &prefilterBuild{e: e, idx: map[lit]int32{}, owners: make([]owner, groups+1)}
	e.conjFull = make([]uint8, len(e.rules))
	for ri := range e.rules {
		cr := &e.rules[ri]
		if cr.never {
			continue
		}
		o := b.owner(cr)
		sets, ok := needs(cr.searches, cr.cond)
		if !ok {
			o.always = append(o.always, int32(ri))
			continue
		}
		e.conjFull[ri] = uint8(1)<<len(sets) - 1
		for j, set := range sets {
			for _, l := range set {
				b.register(o, l, int32(ri)<<2|int32(j))
			}
		}
	}
	for ri := range e.rules {
		cr := &e.rules[ri]
		if cr.never {
			continue
		}
		o := b.owner(cr)
		b.answers(o, cr.searches)
		for i := range cr.filters {
			b.answers(o, cr.filters[i].searches)
		}
	}
	base := &b.owners[groups]
	e.sepBase = groups > 1 && len(base.order)*groups > maxBaseCopies
	e.plans = make([]plan, groups+1)
	for g := range e.plans {
		parts := []*owner{&b.owners[g]}
		if g < groups && !e.sepBase {
			parts = append(parts, base)
		}
		e.plans[g] = e.buildPlan(parts)
	}
}

// answers registers the literals that answer the values of searches (in owner o), and
// sets the values' answer and gate ids. A value shared by several rules (a filter's)
// gets the same global ids from every visit.
func (b *prefilterBuild) answers(o *owner, ss []search) {
	for si := range ss {
		for _, alt := range ss[si].alts {
			for i := range alt {
				it := &alt[i]
				if it.keyword {
					continue
				}
				for v := range it.vals {
					b.answer(o, it.slot, &it.vals[v])
				}
			}
		}
	}
}

func (b *prefilterBuild) answer(o *owner, slot int, vm *vmatch) {
	b.gates(o, slot, vm)
	if kind, ok := answerKind(vm); ok {
		vm.acID = b.register(o, lit{slot: slot, kind: kind, s: string(vm.lit)}, -1) + 1
	}
}

// gates registers the gate literals of a regex or glob (vmatch.gateLits) and sets its
// gate ids on the first visit.
func (b *prefilterBuild) gates(o *owner, slot int, vm *vmatch) {
	first := vm.gates == nil
	for _, c := range vm.gateLits {
		ids := make([]int32, 0, len(c))
		for _, n := range c {
			ids = append(ids, b.register(o, lit{slot: slot, kind: litContains, s: n}, -1))
		}
		if first {
			vm.gates = append(vm.gates, ids)
		}
	}
}

// splitAnswers prepares the items of every rule and filter for answered values
// (item.split), and moves cheap items first within each AND, now that answered values
// cost a table load each.
func (e *Engine) splitAnswers() {
	visit := func(ss []search) {
		for si := range ss {
			for _, alt := range ss[si].alts {
				for i := range alt {
					alt[i].splitValues()
				}
				slices.SortStableFunc(alt, func(a, b item) int { return answeredCost(&a) - answeredCost(&b) })
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

// splitValues sets ans and rest for an item that joins its values by OR and has
// answered values.
func (it *item) splitValues() {
	it.split, it.ans, it.rest = false, nil, nil
	if it.keyword || it.all {
		return
	}
	for i := range it.vals {
		if id := it.vals[i].acID; id > 0 {
			it.ans = append(it.ans, id-1)
		} else {
			it.rest = append(it.rest, int32(i))
		}
	}
	it.split = len(it.ans) > 0
}

// answeredCost is itemCost with answered values counted as nearly free.
func answeredCost(it *item) int {
	if !it.split {
		return 8 * itemCost(it)
	}
	c := len(it.ans)
	for _, i := range it.rest {
		one := item{vals: it.vals[i : i+1]}
		c += 8 * itemCost(&one)
	}
	return c
}

// answerKind says which automaton can answer a value exactly.
func answerKind(vm *vmatch) (uint8, bool) {
	if vm.cased || len(vm.lit) == 0 {
		return 0, false
	}
	switch vm.kind {
	case mContains:
		return litContains, len(vm.lit) >= minAnswerContains
	case mPrefix:
		return litPrefix, true
	case mSuffix:
		return litSuffix, true
	case mEq:
		return litEq, true
	}
	return 0, false
}

// unconditional reports whether logsource group g selects every event (a mapping with
// no conditions).
func (e *Engine) unconditional(g int) bool {
	for _, alt := range e.lsAlts[g] {
		if len(alt) == 0 {
			return true
		}
	}
	return false
}

// slotBuild collects one slot's patterns by kind before the automata are built.
type slotBuild struct {
	sp    slotPre
	local map[int32]int32 // literal id -> local pattern
	pats  [numLitKinds][][]byte
	ids   [numLitKinds][]int32
}

// buildPlan compiles the literals of the owners into one plan.
func (e *Engine) buildPlan(parts []*owner) plan {
	p := plan{always: make([]uint64, (len(e.rules)+63)/64)}
	bySlot := map[int]*slotBuild{}
	var order []int
	for _, o := range parts {
		for _, r := range o.always {
			p.always[r/64] |= 1 << (r % 64)
		}
		for _, id := range o.order {
			l := e.lits[id]
			sb := bySlot[l.slot]
			if sb == nil {
				sb = &slotBuild{sp: slotPre{slot: l.slot}, local: map[int32]int32{}}
				bySlot[l.slot] = sb
				order = append(order, l.slot)
			}
			pi, ok := sb.local[id]
			if !ok {
				pi = int32(len(sb.sp.lits))
				sb.local[id] = pi
				sb.sp.lits = append(sb.sp.lits, id)
				sb.sp.rules = append(sb.sp.rules, nil)
				sb.pats[l.kind] = append(sb.pats[l.kind], []byte(l.s))
				sb.ids[l.kind] = append(sb.ids[l.kind], pi)
			}
			sb.sp.rules[pi] = append(sb.sp.rules[pi], o.rules[id]...)
		}
	}
	p.at = make([]int32, len(e.slots))
	for i := range p.at {
		p.at[i] = -1
	}
	for _, s := range order {
		p.at[s] = int32(len(p.slots))
		sb := bySlot[s]
		for i, rs := range sb.sp.rules {
			slices.Sort(rs)
			sb.sp.rules[i] = slices.Compact(rs)
		}
		sb.build(e.npats)
		e.npats += len(sb.sp.lits)
		sb.sp.id = e.nslotPres
		e.nslotPres++
		p.slots = append(p.slots, sb.sp)
	}
	return p
}

// build compiles the slot's automata; base is the dedup id of local pattern 0.
func (sb *slotBuild) build(base int) {
	sp := &sb.sp
	sp.base = base
	var plain, other [][]byte
	var plainIDs, otherIDs []int32
	for i, p := range sb.pats[litContains] {
		if isPrintable(p) {
			plain, plainIDs = append(plain, p), append(plainIDs, sb.ids[litContains][i])
		} else {
			other, otherIDs = append(other, p), append(otherIDs, sb.ids[litContains][i])
		}
	}
	if len(plain) > 0 {
		sp.ac = buildAho(plain, plainIDs)
	}
	if len(other) > 0 {
		sp.acx = buildAho(other, otherIDs)
	}
	if len(sb.pats[litPrefix]) > 0 {
		sp.pre = buildAnchored(sb.pats[litPrefix], sb.ids[litPrefix], false)
	}
	if len(sb.pats[litSuffix]) > 0 {
		sp.suf = buildAnchored(sb.pats[litSuffix], sb.ids[litSuffix], true)
	}
	if len(sb.pats[litEq]) > 0 {
		sp.eq = buildExact(sb.pats[litEq], sb.ids[litEq])
	}
}

// A rule's prefilter is a conjunction of literal sets: whenever its condition holds,
// every set has a literal that occurs. The rule is evaluated only for events in which
// all of its sets (at most maxConjuncts, the most selective) were found.

// maxConjuncts bounds the literal sets a rule's prefilter keeps (at most four fit
// Matcher.conjMask and the encoding of register): each more filters less than the one
// before and costs bookkeeping on every literal found.
const maxConjuncts = 2

// needs returns the literal sets of the condition n, most selective first, or ok false
// when there are none.
func needs(ss []search, n *node) ([][]lit, bool) {
	switch n.op {
	case opSearch:
		return searchNeeds(&ss[n.search])
	case opAnd:
		return allOf(ss, n.kids)
	case opOr:
		return anyOf(ss, n.kids)
	case opOf:
		if n.need < 0 || n.need == len(n.kids) {
			return allOf(ss, n.kids)
		}
		return anyOf(ss, n.kids)
	}
	return nil, false
}

// allOf: every kid holds, so every kid's sets hold.
func allOf(ss []search, kids []*node) ([][]lit, bool) {
	var out [][]lit
	for _, k := range kids {
		if cs, ok := needs(ss, k); ok {
			out = append(out, cs...)
		}
	}
	return bestConjuncts(out), len(out) > 0
}

// anyOf: some kid holds, so the union of the kids' best sets holds.
func anyOf(ss []search, kids []*node) ([][]lit, bool) {
	var set []lit
	for _, k := range kids {
		cs, ok := needs(ss, k)
		if !ok {
			return nil, false
		}
		set = append(set, cs[0]...)
	}
	return [][]lit{set}, true
}

// searchNeeds: alternatives are joined by OR, items by AND.
func searchNeeds(s *search) ([][]lit, bool) {
	if len(s.alts) == 1 {
		var out [][]lit
		for i := range s.alts[0] {
			if l, ok := itemNeeds(&s.alts[0][i]); ok {
				out = append(out, l)
			}
		}
		return bestConjuncts(out), len(out) > 0
	}
	var set []lit
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
		set = append(set, best...)
	}
	return [][]lit{set}, true
}

// bestConjuncts orders sets most selective first and keeps maxConjuncts of them.
func bestConjuncts(cs [][]lit) [][]lit {
	slices.SortStableFunc(cs, func(a, b []lit) int {
		switch {
		case better(a, b):
			return -1
		case better(b, a):
			return 1
		}
		return 0
	})
	return cs[:min(len(cs), maxConjuncts)]
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
			if n == "" || (kind == litContains && commonLiteral(n)) {
				return nil, false // a byte most values hold: reported often, it filters nothing
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
