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
	e      *Engine
	rec    record
	cand   []uint64
	lsMemo []int8
	ctx    evalCtx
	corr   []corrState
	keyBuf []byte
	vals   []string
	stats  MatchStats
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
		e:      e,
		cand:   make([]uint64, len(e.always)),
		lsMemo: make([]int8, len(e.lsAlts)),
		corr:   make([]corrState, len(e.corrs)),
	}
	m.rec.seen = make([]uint32, e.npats)
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
	copy(m.cand, e.always)
	if e.noPrefilter {
		for i := range m.cand {
			m.cand[i] = ^uint64(0)
		}
		if n := len(e.rules) % 64; n != 0 {
			m.cand[len(m.cand)-1] = 1<<n - 1
		}
	}
	clear(m.lsMemo)
	if m.rec.gen++; m.rec.gen == 0 {
		clear(m.rec.seen)
		m.rec.gen = 1
	}
	for i := range e.pre {
		if e.noPrefilter {
			break
		}
		for v := &m.rec.vals[e.pre[i].slot]; v != nil; v = m.rec.nextElem(v) {
			if v.state == stPresent {
				m.scanValue(&e.pre[i], v)
			}
		}
	}
	for w, bitsW := range m.cand {
		for bitsW != 0 {
			b := bits.TrailingZeros64(bitsW)
			bitsW &= bitsW - 1
			m.evalRule(w*64+b, at, emit)
		}
	}
}

// scanValue runs a slot's automata over a value. Their byte classes fold ASCII case, so
// an ASCII value is scanned as it is; others are lowercased first.
func (m *Matcher) scanValue(sp *slotPre, v *fieldVal) {
	s := v.raw
	if !isASCII(s) {
		s = m.rec.low(v)
	}
	m.scan(sp, s)
	v.scanned = true
}

// scan runs one field's automata and marks the literals found and their rules.
func (m *Matcher) scan(sp *slotPre, s []byte) {
	if a := sp.ac; a != nil {
		m.scanAC(sp, a, s)
	}
	if t := sp.pre; t != nil {
		off := int32(0)
		nc := int32(t.nclass)
		for i, c := range s {
			x := t.next[off+int32(t.class[c])]
			if x == -1 {
				break
			}
			if off = x; x >= 0 {
				continue
			}
			off = ^x
			st := off / nc
			for _, p := range t.out[st] {
				m.mark(sp, p)
			}
			if i == len(s)-1 {
				for _, p := range t.exact[st] {
					m.mark(sp, p)
				}
			}
		}
	}
	if t := sp.suf; t != nil {
		off := int32(0)
		nc := int32(t.nclass)
		for i := len(s) - 1; i >= 0; i-- {
			x := t.next[off+int32(t.class[s[i]])]
			if x == -1 {
				break
			}
			if off = x; x >= 0 {
				continue
			}
			off = ^x
			for _, p := range t.out[off/nc] {
				m.mark(sp, p)
			}
		}
	}
}

// scanAC runs the contains automaton. Dense entries hold row offsets, so the common
// step is one table load; the sign says the state reports patterns.
func (m *Matcher) scanAC(sp *slotPre, a *ahoCorasick, s []byte) {
	nc := int32(a.nclass)
	limit := a.nDense * nc
	off := int32(0)
	for _, c := range s {
		k := a.class[c]
		var st int32
		if off < limit {
			if off = a.dense[off+int32(k)]; off >= 0 {
				continue
			}
			off = ^off
			st = off / nc
		} else {
			st = a.next(off/nc, k)
			off = st * nc
			if !a.report[st] {
				continue
			}
		}
		for r := st; r >= 0; r = a.dict[r] {
			for _, p := range a.out[r] {
				m.mark(sp, p)
			}
		}
	}
}

// mark records that local pattern p of sp occurred and makes its rules candidates.
func (m *Matcher) mark(sp *slotPre, p int32) {
	g := sp.base + int(p)
	if m.rec.seen[g] == m.rec.gen {
		return
	}
	m.rec.seen[g] = m.rec.gen
	for _, r := range sp.rules[p] {
		m.cand[r>>6] |= 1 << (r & 63)
	}
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
