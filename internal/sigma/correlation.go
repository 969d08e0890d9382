package sigma

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// corrRef says that matches of a rule feed correlation corr as its rule number pos.
type corrRef struct {
	corr int
	pos  int
}

// ccorr is a compiled correlation rule.
type ccorr struct {
	rule     *Rule
	c        *Correlation
	span     int64   // nanoseconds
	limit    int     // entries kept per group
	groupBy  [][]int // per position: slot (or, for a correlation source, -1) per group-by field
	field    []int   // value_count: slot of the counted field per position
	fromCorr []bool  // per position: the source is a correlation
	emit     bool
	parents  []corrRef
}

// compileCorrelations resolves rule references and group-by fields of correlations.
// A correlation may reference detection rules and earlier or later correlations.
func (e *Engine) compileCorrelations(rs []*Rule) {
	idx := e.refIndex()
	cidx := map[string]int{}
	for i, r := range rs {
		e.corrs = append(e.corrs, &ccorr{rule: r, c: r.Correlation, emit: true})
		for _, k := range []string{r.ID, r.Name} {
			if k != "" {
				cidx[k] = i
			}
		}
	}
	for ci, cc := range e.corrs {
		if err := e.compileCorrelation(ci, cc, idx, cidx); err != nil {
			e.problems = append(e.problems, fmt.Errorf("correlation %q: %w", cc.rule.Ref(), err))
			cc.c = nil
		}
	}
}

func (e *Engine) compileCorrelation(ci int, cc *ccorr, idx map[string][]int, cidx map[string]int) error {
	c := cc.c
	cc.span = int64(c.Timespan)
	cc.limit = e.opts.MaxEventsPerGroup
	for _, cond := range c.Conditions {
		if c.Type != ValueSum && c.Type != ValueAvg && cond.Op != "lt" && cond.Op != "lte" && cond.Op != "neq" {
			cc.limit = min(cc.limit, int(max(cond.Value+1, 1)))
		}
	}
	for pos, ref := range c.Rules {
		name := ref
		if ri, ok := idx[ref]; ok {
			for _, r := range ri {
				e.rules[r].corrs = append(e.rules[r].corrs, corrRef{corr: ci, pos: pos})
				if !c.Generate {
					e.rules[r].emit = false
				}
				name = e.rules[r].rule.Name
			}
			cc.fromCorr = append(cc.fromCorr, false)
		} else if oc, ok := cidx[ref]; ok && oc != ci {
			e.corrs[oc].parents = append(e.corrs[oc].parents, corrRef{corr: ci, pos: pos})
			if !c.Generate {
				e.corrs[oc].emit = false
			}
			cc.fromCorr = append(cc.fromCorr, true)
		} else {
			return fmt.Errorf("references unknown rule %q", ref)
		}
		cc.groupBy = append(cc.groupBy, e.groupSlots(c, ref, name, cc.fromCorr[pos]))
		fs := -1
		if c.Field != "" && !cc.fromCorr[pos] {
			fs = e.slot(c.aliased(c.Field, ref, name))
		}
		cc.field = append(cc.field, fs)
	}
	return nil
}

// groupSlots returns the record slot of each group-by field for one referenced rule.
func (e *Engine) groupSlots(c *Correlation, ref, name string, fromCorr bool) []int {
	out := make([]int, len(c.GroupBy))
	for i, g := range c.GroupBy {
		out[i] = -1
		if !fromCorr {
			out[i] = e.slot(c.aliased(g, ref, name))
		}
	}
	return out
}

// aliased returns the field an alias stands for in the rule known by ref or name.
func (c *Correlation) aliased(field, ref, name string) string {
	if m, ok := c.Aliases[field]; ok {
		if f, ok := m[ref]; ok {
			return f
		}
		if f, ok := m[name]; ok {
			return f
		}
	}
	return field
}

// group is the state of one correlation group.
type group struct {
	vals   []string // the group-by values
	last   int64    // latest event time seen, for eviction
	times  []int64  // event_count: sorted event times in the window
	values map[string]int64
	seen   []int64   // temporal: last time per rule; temporal_ordered: chain start per step
	nums   []float64 // value_sum, value_avg: the numbers of the events in times
}

// corrState is the per-Matcher state of one correlation.
type corrState struct {
	groups    map[string]*group
	watermark int64
	ops       int
	evicted   int
}

// observe feeds one match of the correlation's rule number pos at time t (Unix
// nanoseconds), with the group values and the counted value. It returns the hit count
// when the correlation fires.
func (cc *ccorr) observe(st *corrState, key string, vals []string, pos int, t int64, value string, maxGroups int) (int64, bool) {
	st.watermark = max(st.watermark, t)
	if st.watermark-t > cc.span {
		return 0, false // older than the window behind the newest event
	}
	g := st.groups[key]
	if g == nil {
		if len(st.groups) >= maxGroups {
			cc.evict(st, maxGroups)
		}
		g = &group{vals: vals}
		st.groups[key] = g
	}
	g.last = max(g.last, t)
	if st.ops++; st.ops%4096 == 0 {
		cc.sweep(st)
	}
	switch cc.c.Type {
	case EventCount:
		return cc.eventCount(g, t)
	case ValueCount:
		return cc.valueCount(g, t, value)
	case Temporal:
		return cc.temporal(g, pos, t)
	case ValueSum, ValueAvg:
		return cc.valueSum(g, t, value)
	}
	return cc.ordered(g, pos, t)
}

// valueSum keeps the numbers of the window (at most limit, oldest dropped first) and
// compares their sum or average. Events whose field is not a number are ignored.
func (cc *ccorr) valueSum(g *group, t int64, v string) (int64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, false
	}
	i := sort.Search(len(g.times), func(i int) bool { return g.times[i] > t })
	g.times = slices.Insert(g.times, i, t)
	g.nums = slices.Insert(g.nums, i, x)
	cut := sort.Search(len(g.times), func(i int) bool { return g.times[i] >= g.times[len(g.times)-1]-cc.span })
	cut = max(cut, len(g.times)-cc.limit)
	g.times = append(g.times[:0], g.times[cut:]...)
	g.nums = append(g.nums[:0], g.nums[cut:]...)
	sum := 0.0
	for _, n := range g.nums {
		sum += n
	}
	if cc.c.Type == ValueAvg {
		sum /= float64(len(g.nums))
	}
	for _, c := range cc.c.Conditions {
		if !compare(sum, c.Op, float64(c.Value)) {
			return 0, false
		}
	}
	g.times, g.nums = g.times[:0], g.nums[:0]
	return int64(sum), true
}

func (cc *ccorr) eventCount(g *group, t int64) (int64, bool) {
	i := sort.Search(len(g.times), func(i int) bool { return g.times[i] > t })
	g.times = append(g.times, 0)
	copy(g.times[i+1:], g.times[i:])
	g.times[i] = t
	cut := sort.Search(len(g.times), func(i int) bool { return g.times[i] >= g.times[len(g.times)-1]-cc.span })
	cut = max(cut, len(g.times)-cc.limit)
	g.times = append(g.times[:0], g.times[cut:]...)
	n := int64(len(g.times))
	if holds(cc.c.Conditions, n) {
		g.times = g.times[:0]
		return n, true
	}
	return 0, false
}

func (cc *ccorr) valueCount(g *group, t int64, v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	if g.values == nil {
		g.values = map[string]int64{}
	}
	if old, ok := g.values[v]; !ok || old < t {
		g.values[v] = t
	}
	var oldest string
	for k, ts := range g.values {
		if ts < g.last-cc.span {
			delete(g.values, k)
		} else if oldest == "" || ts < g.values[oldest] {
			oldest = k
		}
	}
	if len(g.values) > cc.limit {
		delete(g.values, oldest)
	}
	n := int64(len(g.values))
	if holds(cc.c.Conditions, n) {
		clear(g.values)
		return n, true
	}
	return 0, false
}

func (cc *ccorr) temporal(g *group, pos int, t int64) (int64, bool) {
	if g.seen == nil {
		g.seen = make([]int64, len(cc.c.Rules))
	}
	g.seen[pos] = max(g.seen[pos], t)
	var n int64
	for _, s := range g.seen {
		if s != 0 && s >= g.last-cc.span {
			n++
		}
	}
	ok := n == int64(len(g.seen))
	if len(cc.c.Conditions) > 0 {
		ok = holds(cc.c.Conditions, n)
	}
	if ok {
		clear(g.seen)
		return n, true
	}
	return 0, false
}

// ordered tracks, per step, the latest start time of a chain that reached that step.
func (cc *ccorr) ordered(g *group, pos int, t int64) (int64, bool) {
	if g.seen == nil {
		g.seen = make([]int64, len(cc.c.Rules))
	}
	for i, s := range g.seen {
		if s != 0 && s < t-cc.span {
			g.seen[i] = 0
		}
	}
	switch {
	case pos == 0:
		g.seen[0] = t
	case g.seen[pos-1] != 0:
		g.seen[pos] = max(g.seen[pos], g.seen[pos-1])
	default:
		return 0, false
	}
	if pos == len(g.seen)-1 && g.seen[pos] != 0 {
		clear(g.seen)
		return int64(len(cc.c.Rules)), true
	}
	return 0, false
}

// sweep drops groups with no event inside the window behind the watermark.
func (cc *ccorr) sweep(st *corrState) {
	for k, g := range st.groups {
		if g.last < st.watermark-cc.span {
			delete(st.groups, k)
			st.evicted++
		}
	}
}

// evict makes room for one group: expired groups first, else the least recently seen.
func (cc *ccorr) evict(st *corrState, maxGroups int) {
	cc.sweep(st)
	if len(st.groups) < maxGroups {
		return
	}
	var oldest string
	var ot int64
	for k, g := range st.groups {
		if oldest == "" || g.last < ot {
			oldest, ot = k, g.last
		}
	}
	delete(st.groups, oldest)
	st.evicted++
}

// toNanos converts an event time for the correlation state.
func toNanos(t time.Time) int64 { return t.UnixNano() }
