package sigma

import (
	"math/bits"
	"strings"
	"time"

	"github.com/unmask/unmask"
)

// Fields reads event fields by name (the event paths of the engine's pipeline).
// Implementations report false for a field the event does not have.
type Fields interface {
	Field(name string) (string, bool)
}

// FieldRanger is a Fields that can also list every value, which keyword searches need.
type FieldRanger interface {
	Fields
	RangeFields(fn func(name, value string) bool)
}

// Map is a Fields over a map of field names to values.
type Map map[string]string

// Field returns the value of name.
func (m Map) Field(name string) (string, bool) {
	v, ok := m[name]
	return v, ok
}

// RangeFields calls fn for every field until fn returns false.
func (m Map) RangeFields(fn func(name, value string) bool) {
	for k, v := range m {
		if !fn(k, v) {
			return
		}
	}
}

// Hit is a match: a detection rule, or a correlation rule that fired.
type Hit struct {
	// Rule is the detection or correlation rule that matched.
	Rule *Rule
	// Count is, for a correlation, the event count, distinct value count or number of
	// rules seen; 1 for a detection rule.
	Count int64
	// Group holds the group-by values of a correlation hit, by field.
	Group map[string]string
}

// Matcher matches events against an Engine. It keeps the buffers and correlation state
// of one event stream, so it is not safe for concurrent use: use one per goroutine (per
// partition, so one person's events meet in one Matcher).
type Matcher struct {
	e     *Engine
	rec   record
	cand  []uint64
	pseen bitset // the plan patterns marked in this event
	// conjMask[r] has the literal sets of rule r found in this event.
	conjMask []uint8
	lsMemo   []int8
	ctx      evalCtx
	corr     []corrState
	cache    scanCache
	keyBuf   []byte
	vals     []string
	stats    MatchStats
}

// MatchStats counts a Matcher's work.
type MatchStats struct {
	Events    uint64 // events matched
	Evaluated uint64 // rule evaluations after the prefilter
	Evicted   uint64 // correlation groups evicted (timespan or cap)
}

// Stats returns the Matcher's counters.
func (m *Matcher) Stats() MatchStats {
	s := m.stats
	for i := range m.corr {
		s.Evicted += uint64(m.corr[i].evicted)
	}
	return s
}

// NewMatcher returns a Matcher with empty state.
func (e *Engine) NewMatcher() *Matcher {
	m := &Matcher{
		e:        e,
		cand:     make([]uint64, (len(e.rules)+63)/64),
		pseen:    newBitset(e.npats),
		conjMask: make([]uint8, len(e.rules)),
		lsMemo:   make([]int8, len(e.lsAlts)),
		corr:     make([]corrState, len(e.corrs)),
	}
	m.rec.seen = newBitset(len(e.lits))
	m.rec.keys = newKeyMemo(e.trie)
	if !e.noScanCache {
		m.cache.tables = make([]*cacheTable, e.nslotPres)
		m.cache.stamp = make([]uint32, e.npats)
	}
	m.ctx.memo = make([]int8, e.maxSrch)
	m.ctx.r = &m.rec
	for i := range m.corr {
		m.corr[i].groups = map[string]*group{}
	}
	return m
}

// MatchJSON matches one JSON object event at event time at and calls emit for every
// hit. Only the fields the rules need are read. Malformed JSON gives an *unmask.Error
// with code EINVALID and matches nothing.
func (m *Matcher) MatchJSON(raw []byte, at time.Time, emit func(Hit)) error {
	m.rec.reset(len(m.e.slots))
	if err := scanJSON(raw, m.e.trie, &m.rec, m.e.keywords); err != nil {
		return unmask.WrapError(unmask.EINVALID, err, "Event is not a valid JSON object.")
	}
	m.run(at, emit)
	return nil
}

// MatchFields matches one event read through f, by the event paths of the engine's
// pipeline. Keyword (fieldless) searches see values only when f is a FieldRanger.
func (m *Matcher) MatchFields(f Fields, at time.Time, emit func(Hit)) {
	m.rec.reset(len(m.e.slots))
	for i, s := range m.e.slots {
		for p, path := range s.paths {
			if v, ok := f.Field(path); ok {
				m.rec.set(i, uint8(min(p, 255)), stringBytes(v), stPresent, false)
				break
			}
		}
	}
	if rg, ok := f.(FieldRanger); ok && m.e.keywords {
		rg.RangeFields(func(_, v string) bool {
			m.rec.leaves = append(m.rec.leaves, fieldVal{raw: stringBytes(v), state: stPresent})
			return true
		})
	}
	m.run(at, emit)
}

// run evaluates the candidate rules for the filled record.
func (m *Matcher) run(at time.Time, emit func(Hit)) {
	e := m.e
	m.stats.Events++
	clear(m.lsMemo)
	clear(m.rec.seen)
	clear(m.pseen)
	clear(m.conjMask)
	if e.noPrefilter {
		m.allCandidates()
	} else {
		m.prefilter()
	}
	for w, bitsW := range m.cand {
		for bitsW != 0 {
			b := bits.TrailingZeros64(bitsW)
			bitsW &= bitsW - 1
			m.evalRule(w*64+b, at, emit)
		}
	}
}

// allCandidates makes every rule a candidate (the reference path without prefilter).
func (m *Matcher) allCandidates() {
	for i := range m.cand {
		m.cand[i] = ^uint64(0)
	}
	if n := len(m.e.rules) % 64; n != 0 {
		m.cand[len(m.cand)-1] = 1<<n - 1
	}
}

// prefilter selects the event's logsource groups first and runs only their plans, so
// that the automata of other groups' rules never see the event. The plan of the rules
// every event meets is merged into each group's (or, when large, runs on its own).
func (m *Matcher) prefilter() {
	e := m.e
	clear(m.cand)
	base := len(e.plans) - 1
	ran := false
	for g := range base {
		if !e.unconditionalG[g] && m.logsourceOK(g) {
			m.runPlan(&e.plans[g])
			ran = true
		}
	}
	if !ran || e.sepBase {
		m.runPlan(&e.plans[base])
	}
}

// runPlan makes the plan's rules without literals candidates and scans the values of
// its fields.
func (m *Matcher) runPlan(p *plan) {
	for i, w := range p.always {
		m.cand[i] |= w
	}
	for _, slot := range m.rec.present { // most of a plan's fields are absent
		i := p.at[slot]
		if i < 0 {
			continue
		}
		sp := &p.slots[i]
		for v := &m.rec.vals[slot]; v != nil; v = m.rec.nextElem(v) {
			if v.state == stPresent {
				m.scanValue(sp, v)
			}
		}
	}
}

// scanValue runs a slot's automata over a value, or replays what they found in it
// before (scanCache). Their byte classes fold ASCII case, so an ASCII value is scanned
// as it is; others are lowercased first.
func (m *Matcher) scanValue(sp *slotPre, v *fieldVal) {
	v.scanned = true
	t, h, ps, ok := m.cache.get(sp, v.raw)
	switch {
	case ok:
		for _, p := range ps {
			m.found(sp, p)
		}
	case t == nil:
		m.scan(sp, m.scanBytes(v))
	default:
		m.cache.begin(t, v.raw, h)
		m.scan(sp, m.scanBytes(v))
		m.cache.end(v.raw)
	}
}

// scanBytes returns the bytes of v the automata run over: the value itself when it is
// ASCII, as their byte classes fold ASCII case, else its lowercase form.
func (m *Matcher) scanBytes(v *fieldVal) []byte {
	if isASCII(v.raw) {
		return v.raw
	}
	return m.rec.low(v)
}

// scan runs one field's automata and marks the literals found and their rules.
func (m *Matcher) scan(sp *slotPre, s []byte) {
	for _, a := range [2]*ahoCorasick{sp.ac, sp.acx} {
		switch {
		case a == nil || (a == sp.acx && !hasUnprintable(s)):
		case a.skip:
			m.scanACSkip(sp, a, s)
		default:
			m.scanAC(sp, a, s)
		}
	}
	if t := sp.pre; t != nil {
		m.scanPrefix(sp, t, s)
	}
	if t := sp.suf; t != nil {
		m.scanSuffix(sp, t, s)
	}
	if x := sp.eq; x != nil {
		if p := x.find(s); p >= 0 {
			m.mark(sp, p)
		}
	}
}

// dualMin is the shortest value scanAC walks as two halves.
const dualMin = 32

// scanAC runs a contains automaton over every byte of s, a long value as two walks
// (scanACDual).
func (m *Matcher) scanAC(sp *slotPre, a *ahoCorasick, s []byte) {
	if len(s) >= dualMin {
		m.scanACDual(sp, a, s)
		return
	}
	m.scanACOne(sp, a, s)
}

// scanACOne runs a contains automaton over s in one walk. The dense step is written
// out here rather than called: it is one table load, and a call per byte would cost
// more than the step itself.
func (m *Matcher) scanACOne(sp *slotPre, a *ahoCorasick, s []byte) {
	dense, limit := a.dense, a.limit
	off := int32(0)
	for _, c := range s {
		k := int32(a.class[c])
		if off < limit {
			x := dense[off+k]
			if x >= 0 {
				off = x
				continue
			}
			off = ^x
		} else {
			var rep bool
			if off, rep = a.stepSparse(off, k); !rep {
				continue
			}
		}
		m.markAll(sp, a.reported(off))
	}
}

// scanACDual runs a contains automaton over s as two walks at once, one from the
// start and one from the middle: each step waits for the table load of the one
// before, and two independent walks overlap those waits. A pattern the walk from the
// middle cannot see starts in the first half, so the walk from the start goes on past
// the middle only while its state stands for a prefix that starts there; from then
// on both walks are in the same state. Marking a pattern twice is harmless.
func (m *Matcher) scanACDual(sp *slotPre, a *ahoCorasick, s []byte) {
	mid := len(s) / 2
	lo, hi := s[:mid], s[mid:2*mid]
	dense, limit := a.dense, a.limit
	offA, offB := int32(0), int32(0)
	for i := range lo {
		kA, kB := int32(a.class[lo[i]]), int32(a.class[hi[i]])
		var repA, repB bool
		if offA < limit && offB < limit {
			offA, offB = dense[offA+kA], dense[offB+kB]
			if offA >= 0 && offB >= 0 {
				continue
			}
			if repA = offA < 0; repA {
				offA = ^offA
			}
			if repB = offB < 0; repB {
				offB = ^offB
			}
		} else {
			offA, repA = a.step(offA, kA)
			offB, repB = a.step(offB, kB)
		}
		if repA {
			m.markAll(sp, a.reported(offA))
		}
		if repB {
			m.markAll(sp, a.reported(offB))
		}
	}
	for _, c := range s[2*mid:] {
		var rep bool
		if offB, rep = a.step(offB, int32(a.class[c])); rep {
			m.markAll(sp, a.reported(offB))
		}
	}
	for p := mid; p < len(s) && a.depth[a.div.state(offA)] > int32(p-mid); p++ {
		var rep bool
		if offA, rep = a.step(offA, int32(a.class[s[p]])); rep {
			m.markAll(sp, a.reported(offA))
		}
	}
}

// scanACSkip is scanAC for an automaton whose patterns start with few distinct bytes:
// in the root state it jumps to the next byte that starts a pattern. It is kept apart
// so that scanAC's loop has no test for it.
func (m *Matcher) scanACSkip(sp *slotPre, a *ahoCorasick, s []byte) {
	dense, limit := a.dense, a.limit
	off := int32(0)
	for i := 0; i < len(s); i++ {
		if off == 0 {
			if i = a.nextStart(s, i); i == len(s) {
				return
			}
		}
		k := int32(a.class[s[i]])
		if off < limit {
			x := dense[off+k]
			if x >= 0 {
				off = x
				continue
			}
			off = ^x
		} else {
			var rep bool
			if off, rep = a.stepSparse(off, k); !rep {
				continue
			}
		}
		m.markAll(sp, a.reported(off))
	}
}

// scanPrefix walks the prefix trie from the value's first byte until no pattern
// continues.
func (m *Matcher) scanPrefix(sp *slotPre, t *anchoredTrie, s []byte) {
	off := int32(0)
	for _, c := range s {
		x := t.next[off+int32(t.class[c])]
		if x == -1 {
			return
		}
		if off = x; x >= 0 {
			continue
		}
		off = ^x
		m.markAll(sp, t.out[t.div.state(off)])
	}
}

// scanSuffix walks the reversed suffix trie from the value's last byte.
func (m *Matcher) scanSuffix(sp *slotPre, t *anchoredTrie, s []byte) {
	off := int32(0)
	for i := len(s) - 1; i >= 0; i-- {
		x := t.next[off+int32(t.class[s[i]])]
		if x == -1 {
			return
		}
		if off = x; x >= 0 {
			continue
		}
		off = ^x
		m.markAll(sp, t.out[t.div.state(off)])
	}
}

// markAll marks local patterns ps of sp.
func (m *Matcher) markAll(sp *slotPre, ps []int32) {
	for _, p := range ps {
		m.mark(sp, p)
	}
}

// mark records that the scan of a value found local pattern p of sp, for the value's
// cache entry when one is being filled, and marks it found.
func (m *Matcher) mark(sp *slotPre, p int32) {
	if m.cache.table != nil {
		m.cache.record(sp.base+int(p), p)
	}
	m.found(sp, p)
}

// found records that local pattern p of sp occurred: its literal answers values, and
// its rules become candidates (once per event).
func (m *Matcher) found(sp *slotPre, p int32) {
	g := int32(sp.base) + p
	if m.pseen.has(g) {
		return
	}
	m.pseen.add(g)
	m.rec.seen.add(sp.lits[p])
	full := m.e.conjFull
	for _, r := range sp.rules[p] {
		ri := r >> 2
		if full[ri] == 1 || m.conjFound(ri, uint8(1)<<(r&3)) {
			m.cand[ri>>6] |= 1 << (ri & 63)
		}
	}
}

// conjFound records that a literal of rule ri's literal set (bit) occurred, and
// reports whether every set of the rule has one now.
func (m *Matcher) conjFound(ri int32, bit uint8) bool {
	m.conjMask[ri] |= bit
	return m.conjMask[ri] == m.e.conjFull[ri]
}

// logsourceOK evaluates a logsource group's conditions once per event.
func (m *Matcher) logsourceOK(g int) bool {
	if v := m.lsMemo[g]; v != 0 {
		return v == 1
	}
	ok := false
	for _, alt := range m.e.lsAlts[g] {
		all := true
		for i := range alt {
			if !alt[i].eval(&m.rec) {
				all = false
				break
			}
		}
		if all {
			ok = true
			break
		}
	}
	m.lsMemo[g] = 2
	if ok {
		m.lsMemo[g] = 1
	}
	return ok
}

// evalDetection evaluates a condition over searches against the current record.
func (m *Matcher) evalDetection(ss []search, cond *node) bool {
	m.ctx.searches = ss
	clear(m.ctx.memo[:len(ss)])
	return cond.eval(&m.ctx)
}

func (m *Matcher) evalRule(ri int, at time.Time, emit func(Hit)) {
	m.stats.Evaluated++
	cr := &m.e.rules[ri]
	if cr.never || (cr.group >= 0 && !m.logsourceOK(cr.group)) {
		return
	}
	if !m.evalDetection(cr.searches, cr.cond) {
		return
	}
	for i := range cr.filters {
		if m.evalDetection(cr.filters[i].searches, cr.filters[i].cond) {
			return
		}
	}
	if cr.emit {
		emit(Hit{Rule: cr.rule, Count: 1})
	}
	for _, ref := range cr.corrs {
		m.feed(ref, nil, at, emit)
	}
}

// feed passes a match (of a rule, or of a correlation with its group values) to a
// correlation and emits what fires, recursively for chained correlations.
func (m *Matcher) feed(ref corrRef, from map[string]string, at time.Time, emit func(Hit)) {
	cc := m.e.corrs[ref.corr]
	if cc.c == nil {
		return
	}
	m.keyBuf = m.keyBuf[:0]
	m.vals = m.vals[:0]
	for i, slot := range cc.groupBy[ref.pos] {
		var v string
		if slot >= 0 {
			if fv := &m.rec.vals[slot]; fv.state == stPresent {
				v = bytesString(fv.raw)
			}
		} else {
			v = from[cc.c.GroupBy[i]]
		}
		m.vals = append(m.vals, v)
		m.keyBuf = append(m.keyBuf, v...)
		m.keyBuf = append(m.keyBuf, 0x1f)
	}
	var value string
	if fs := cc.field[ref.pos]; fs >= 0 && m.rec.vals[fs].state == stPresent {
		value = bytesString(m.rec.vals[fs].raw)
	}
	st := &m.corr[ref.corr]
	key := bytesString(m.keyBuf)
	vals := m.vals // reused scratch: a new group keeps a copy, never m.vals itself
	if st.groups[key] == nil {
		key = string(m.keyBuf)
		vals = cloneStrings(m.vals)
	}
	n, fired := cc.observe(st, key, vals, ref.pos, toNanos(at), strings.Clone(value), m.e.opts.MaxGroups)
	if !fired {
		return
	}
	g := st.groups[key]
	grp := make(map[string]string, len(cc.c.GroupBy))
	for i, f := range cc.c.GroupBy {
		grp[f] = g.vals[i]
	}
	if cc.emit {
		emit(Hit{Rule: cc.rule, Count: n, Group: grp})
	}
	for _, p := range cc.parents {
		m.feed(p, grp, at, emit)
	}
}

func cloneStrings(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.Clone(v)
	}
	return out
}
