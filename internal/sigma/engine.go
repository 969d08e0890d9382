package sigma

import (
	"fmt"
	"log/slog"
	"slices"
	"sort"

	"github.com/unmask/unmask"
)

// Options configures NewEngine.
type Options struct {
	// Rules are the documents to compile: detection rules, filters and correlations.
	Rules []*Rule
	// Pipeline maps field names and logsources; nil uses field names as they are and
	// applies every rule to every event.
	Pipeline *Pipeline
	// StrictLogsource makes rules whose logsource the pipeline does not map match
	// nothing, instead of every event.
	StrictLogsource bool
	// MaxGroups caps the groups each correlation keeps (default 100,000); the least
	// recently seen group is evicted first.
	MaxGroups int
	// MaxEventsPerGroup caps the timestamps or values kept per group (default 10,000).
	MaxEventsPerGroup int
	// Logger receives compile problems; nil discards them.
	Logger *slog.Logger
}

// Engine is a compiled rule set. It is immutable and safe for concurrent use; matching
// state lives in a Matcher.
type Engine struct {
	opts    Options
	log     *slog.Logger
	rules   []crule
	slots   []slotInfo
	slotOf  map[string]int
	trie    *pathTrie
	lsAlts  [][][]item
	plans   []plan // per logsource group; the last for rules every event meets
	sepBase bool   // the last plan runs for every event, not merged into the others
	lits    []lit  // prefilter literals by global id (the answers' ids)
	npats   int    // plan patterns over all plans (the per-event dedup ids)
	// conjFull[r] has a bit per literal set of rule r's prefilter (0: none).
	conjFull []uint8
	// nslotPres numbers the plans' fields (slotPre.id) for the Matchers' scan caches.
	nslotPres int
	// unconditionalG marks logsource groups without conditions: their rules are merged
	// with the rules without a group.
	unconditionalG []bool
	keywords       bool
	corrs          []*ccorr
	maxSrch        int
	problems       []error
	// noPrefilter evaluates every rule on every event with no automata; tests use it as
	// the reference the prefiltered path must agree with.
	noPrefilter bool
	// noScanCache makes Matchers scan every value (tests and benchmarks compare).
	noScanCache bool
}

// slotInfo is one needed Sigma field and where events hold it.
type slotInfo struct {
	field string
	paths []string
}

// crule is a compiled detection rule.
type crule struct {
	rule     *Rule
	searches []search
	cond     *node
	group    int // logsource group, -1 for none
	never    bool
	filters  []cfilter
	emit     bool
	corrs    []corrRef
}

// cfilter is a compiled filter applied to a rule: a match of it suppresses the rule.
type cfilter struct {
	rule     *Rule
	searches []search
	cond     *node
}

// NewEngine compiles opts.Rules. Rules that cannot be compiled (unknown rule references
// in correlations or filters) are left out and reported by Problems.
func NewEngine(opts Options) (*Engine, error) {
	if opts.MaxGroups <= 0 {
		opts.MaxGroups = 100_000
	}
	if opts.MaxEventsPerGroup <= 0 {
		opts.MaxEventsPerGroup = 10_000
	}
	e := &Engine{opts: opts, log: opts.Logger, slotOf: map[string]int{}, trie: newPathTrie()}
	e.trie.stripSpaces = opts.Pipeline != nil && opts.Pipeline.StripKeySpaces
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	lsIndex := map[Logsource]int{}
	var filters []*Rule
	var corrs []*Rule
	for _, r := range opts.Rules {
		switch r.Kind {
		case KindDetection:
			e.rules = append(e.rules, e.compileRule(r, lsIndex))
		case KindFilter:
			filters = append(filters, r)
		case KindCorrelation:
			corrs = append(corrs, r)
		default:
			return nil, unmask.Errorf(unmask.EINVALID, "Rule %q has unknown kind %q.", r.Ref(), r.Kind)
		}
	}
	e.applyFilters(filters)
	e.compileCorrelations(corrs)
	e.unconditionalG = make([]bool, len(e.lsAlts))
	for g := range e.lsAlts {
		e.unconditionalG[g] = e.unconditional(g)
	}
	e.buildPrefilter()
	e.splitAnswers()
	e.trie.index()
	for _, p := range e.problems {
		e.log.Warn("sigma rule not compiled", "err", p)
	}
	return e, nil
}

// Problems returns why rules were left out at compile time.
func (e *Engine) Problems() []error { return e.problems }

// Len returns the number of compiled detection rules.
func (e *Engine) Len() int { return len(e.rules) }

// slot returns the record slot of a Sigma field, adding it and its paths on first use.
func (e *Engine) slot(field string) int {
	if s, ok := e.slotOf[field]; ok {
		return s
	}
	s := len(e.slots)
	paths := e.opts.Pipeline.Paths(field)
	e.slots = append(e.slots, slotInfo{field: field, paths: paths})
	e.slotOf[field] = s
	for i, p := range paths {
		e.trie.add(p, s, uint8(min(i, 255)))
	}
	return s
}

// bind copies a detection's searches with record slots filled in.
func (e *Engine) bind(d *detection) []search {
	out := make([]search, len(d.searches))
	for i, s := range d.searches {
		alts := make([][]item, len(s.alts))
		for j, alt := range s.alts {
			items := slices.Clone(alt)
			for k := range items {
				it := &items[k]
				it.vals = slices.Clone(it.vals)
				if it.keyword {
					e.keywords = true
				} else {
					it.slot = e.slot(it.field)
				}
				for v := range it.vals {
					if it.vals[v].kind == mFieldRef {
						it.vals[v].ref = e.slot(it.vals[v].part)
					}
				}
			}
			slices.SortStableFunc(items, func(a, b item) int { return itemCost(&a) - itemCost(&b) })
			alts[j] = items
		}
		out[i] = search{name: s.name, alts: alts}
	}
	e.maxSrch = max(e.maxSrch, len(out))
	return out
}

func (e *Engine) compileRule(r *Rule, lsIndex map[Logsource]int) crule {
	cr := crule{rule: r, searches: e.bind(r.detection), cond: r.detection.cond, group: -1, emit: true}
	maps, ok := e.opts.Pipeline.logsourceConditions(r.Logsource)
	switch {
	case ok:
		g, seen := lsIndex[r.Logsource]
		if !seen {
			g = len(e.lsAlts)
			lsIndex[r.Logsource] = g
			e.lsAlts = append(e.lsAlts, e.logsourceAlts(maps))
		}
		cr.group = g
	case e.opts.StrictLogsource:
		cr.never = true
	}
	return cr
}

// logsourceAlts compiles logsource mappings into alternatives of exact-match items.
func (e *Engine) logsourceAlts(maps []LogsourceMapping) [][]item {
	alts := make([][]item, 0, len(maps))
	for _, m := range maps {
		fields := make([]string, 0, len(m.Conditions))
		for f := range m.Conditions {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		alt := make([]item, 0, len(fields))
		for _, f := range fields {
			it := item{field: f, slot: e.slot(f)}
			for _, v := range m.Conditions[f] {
				it.vals = append(it.vals, patternMatch(parseSString(v), false))
			}
			alt = append(alt, it)
		}
		alts = append(alts, alt)
	}
	return alts
}

// refIndex maps rule ids and names to the detection rules holding them.
func (e *Engine) refIndex() map[string][]int {
	idx := map[string][]int{}
	for i := range e.rules {
		r := e.rules[i].rule
		if r.ID != "" {
			idx[r.ID] = append(idx[r.ID], i)
		}
		if r.Name != "" && r.Name != r.ID {
			idx[r.Name] = append(idx[r.Name], i)
		}
	}
	return idx
}

// applyFilters attaches each filter to the rules it names (or, naming none, to every
// rule of its logsource).
func (e *Engine) applyFilters(filters []*Rule) {
	idx := e.refIndex()
	for _, f := range filters {
		cf := cfilter{rule: f, searches: e.bind(f.Filter.detection), cond: f.Filter.detection.cond}
		var targets []int
		if len(f.Filter.Rules) == 0 {
			for i := range e.rules {
				targets = append(targets, i)
			}
		}
		for _, ref := range f.Filter.Rules {
			t, ok := idx[ref]
			if !ok {
				e.log.Info("sigma filter names an unknown rule", "filter", f.Ref(), "rule", ref)
			}
			targets = append(targets, t...)
		}
		for _, t := range targets {
			if f.Logsource.covers(e.rules[t].rule.Logsource) {
				e.rules[t].filters = append(e.rules[t].filters, cf)
			} else if len(f.Filter.Rules) > 0 {
				e.problems = append(e.problems, fmt.Errorf("filter %q: logsource %s does not cover rule %q (%s)",
					f.Ref(), f.Logsource, e.rules[t].rule.Ref(), e.rules[t].rule.Logsource))
			}
		}
	}
}

// itemCost ranks items so that cheap checks run first within an AND; order does not
// change the result, as items have no side effects.
func itemCost(it *item) int {
	c := 0
	for i := range it.vals {
		switch it.vals[i].kind {
		case mRegex:
			c += 50
		case mGlob, mTime:
			c += 5
		case mContains:
			c += 2
		default:
			c++
		}
	}
	if it.keyword {
		c *= 20
	}
	return c
}
