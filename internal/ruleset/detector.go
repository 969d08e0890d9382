package ruleset

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/detect"
	"github.com/unmask/unmask/internal/sigma"
)

// Shards is the number of matchers a Detector keeps. Events go to the shard of their
// PersonID, so one person's events always meet in one matcher, in order; shards let
// partitions run in parallel while keeping that guarantee.
const Shards = 64

// Detector raises the signals of a Set's enabled rules. It is safe for concurrent use.
type Detector struct {
	set    *Set
	shards [Shards]shard
}

var _ detect.Detector = (*Detector)(nil)

// shard is one matcher and the state around it.
type shard struct {
	mu     sync.Mutex     // guards the fields below and the matcher's use
	engine *sigma.Engine  // the engine m was made from
	m      *sigma.Matcher // nil until the first event
	hits   []sigma.Hit    // the hits of the event being matched
	emit   func(sigma.Hit)
}

// NewDetector returns a detector over set; it follows Reload and enablement changes.
func NewDetector(set *Set) *Detector {
	d := &Detector{set: set}
	for i := range d.shards {
		sh := &d.shards[i]
		sh.emit = func(h sigma.Hit) { sh.hits = append(sh.hits, h) }
	}
	return d
}

// Name returns "sigma".
func (d *Detector) Name() string { return "sigma" }

// Detect matches one event in its event time and returns a signal for every enabled
// rule that fires. Events without a PersonID are skipped: a signal needs a person.
func (d *Detector) Detect(_ context.Context, e *unmask.Event) ([]unmask.Signal, error) {
	if e == nil || e.PersonID == "" {
		return nil, nil
	}
	st := d.set.cur.Load()
	sh := &d.shards[shardOf(e.PersonID)]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.engine != st.engine {
		sh.engine, sh.m = st.engine, st.engine.NewMatcher()
	}
	sh.m.MatchFields(eventFields{e}, e.Time, sh.emit)
	if len(sh.hits) == 0 {
		return nil, nil
	}
	var out []unmask.Signal
	for _, h := range sh.hits {
		en := st.byRule[h.Rule]
		if en == nil || !d.set.Enabled(en.meta.ID) {
			continue
		}
		out = append(out, en.signal(e, h))
	}
	clear(sh.hits)
	sh.hits = sh.hits[:0]
	return out, nil
}

// shardOf returns the shard of a person id (FNV-1a).
func shardOf(personID string) int {
	h := uint32(2166136261)
	for i := 0; i < len(personID); i++ {
		h ^= uint32(personID[i])
		h *= 16777619
	}
	return int(h % Shards)
}

// signal turns a hit of the entry's rule on e into a signal.
func (en *entry) signal(e *unmask.Event, h sigma.Hit) unmask.Signal {
	if h.Rule.Correlation != nil {
		h.Group = groupValues(h.Rule.Correlation, eventFields{e}, h.Group)
	}
	s := unmask.Signal{
		PersonID:    e.PersonID,
		Indicator:   en.indicator,
		Detector:    DetectorPrefix + en.meta.ID,
		Severity:    en.meta.Level,
		Weight:      en.weight,
		Explanation: explain(en, e, h),
		Key:         signalKey(en.rule, e.PersonID, h),
		Time:        e.Time,
		LastSeen:    e.Time,
		Count:       1,
	}
	if e.ID != "" {
		s.EventIDs = []string{e.ID}
	}
	if c := h.Rule.Correlation; c != nil && c.Type == sigma.EventCount && h.Count > 1 {
		s.Count = int(h.Count)
	}
	return s
}

// signalKey is stable per rule, person and correlation group: rule id@person, then the
// group-by values of a correlation in its group-by order.
func signalKey(r *sigma.Rule, personID string, h sigma.Hit) string {
	var b strings.Builder
	b.WriteString(r.ID)
	b.WriteByte('@')
	b.WriteString(personID)
	if r.Correlation != nil {
		for _, f := range r.Correlation.GroupBy {
			b.WriteByte('|')
			b.WriteString(f)
			b.WriteByte('=')
			b.WriteString(h.Group[f])
		}
	}
	return b.String()
}

// groupValues returns the group-by values of a correlation hit, read from the event that
// completed it (the event belongs to the group, so its values are the group's), through
// the correlation's aliases where the field is an alias, and from the hit where the event
// has neither. Hit.Group is not trusted first: sigma.Matcher keeps a new group's values in
// the scratch slice it reuses for the next correlation the event feeds, so they can be
// overwritten by another correlation's group values.
func groupValues(c *sigma.Correlation, f sigma.Fields, hit map[string]string) map[string]string {
	out := make(map[string]string, len(c.GroupBy))
	for _, g := range c.GroupBy {
		v, ok := f.Field(g)
		for _, rule := range slices.Sorted(maps.Keys(c.Aliases[g])) {
			if ok {
				break
			}
			v, ok = f.Field(c.Aliases[g][rule])
		}
		if !ok {
			v = hit[g]
		}
		out[g] = v
	}
	return out
}
