package risk

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/unmask/unmask"
)

// Subject is the person being scored: what the engine needs to know besides the signals.
type Subject struct {
	PersonID string
	// HireDate is the first day of employment; zero for an applicant.
	HireDate time.Time
}

// SubjectOf returns the subject of a person.
func SubjectOf(p *unmask.Person) Subject {
	return Subject{PersonID: p.ID, HireDate: p.HireDate}
}

// StageAt returns the stage the subject was in at t.
func (s Subject) StageAt(t time.Time, newHireDays int) Stage {
	switch {
	case s.HireDate.IsZero() || t.Before(s.HireDate):
		return StageApplicant
	case t.Before(s.HireDate.AddDate(0, 0, newHireDays)):
		return StageNewHire
	}
	return StageTenured
}

// scoredSignal is one signal with its points before diminishing returns.
type scoredSignal struct {
	sig      *unmask.Signal
	strength float64
	decay    float64
	ageDays  float64
	stage    Stage
	stageMul float64
	points   float64
}

// indicatorScore is the evidence for one indicator.
type indicatorScore struct {
	key     string
	family  string
	weight  IndicatorWeight
	signals []scoredSignal // strongest first
	raw     float64        // with diminishing returns, before the cap
	points  float64        // after the indicator cap
	capped  bool
	share   float64 // after the family cap
}

// familyScore is the evidence for one family.
type familyScore struct {
	name   string
	raw    float64
	points float64
	capped bool
}

// breakdown is every intermediate value of a score, kept for its reasons.
type breakdown struct {
	indicators   []indicatorScore // ordered by key
	families     []familyScore    // ordered by name
	corroborated []string         // families that corroborate, sorted
	sources      int              // distinct evidence sources among them
	base         float64          // sum of family points
	multiplier   float64
	total        float64
}

// family returns the score of the named family, nil if it has none.
func (b *breakdown) family(name string) *familyScore {
	for i := range b.families {
		if b.families[i].name == name {
			return &b.families[i]
		}
	}
	return nil
}

// Score computes the risk score of sub from its signals at now. Signals of other people are
// ignored and a repeated signal ID counts once (the last one wins). cfg must be valid.
func Score(cfg Config, sub Subject, signals []unmask.Signal, now time.Time) unmask.RiskScore {
	b := compute(&cfg, sub, signals, now)
	score := 0.0
	if b.total > 0 {
		score = 100 * (1 - math.Exp(-b.total/cfg.Scale))
	}
	return unmask.RiskScore{
		PersonID:   sub.PersonID,
		Score:      round2(score),
		Band:       cfg.Bands.Band(round2(score)),
		Reasons:    b.reasons(&cfg, score),
		ComputedAt: now,
	}
}

// keyedSignal is a scored signal with the indicator it counts for.
type keyedSignal struct {
	key    string
	family string
	weight IndicatorWeight
	scoredSignal
}

func compute(cfg *Config, sub Subject, signals []unmask.Signal, now time.Time) *breakdown {
	sigs := dedupe(signals, sub.PersonID)
	keyed := make([]keyedSignal, len(sigs))
	for i, sig := range sigs {
		w, key, _ := cfg.weight(sig.Indicator)
		fam := family(sig.Indicator)
		keyed[i] = keyedSignal{key: key, family: fam, weight: w, scoredSignal: scoreSignal(cfg, sub, sig, w, fam, now)}
	}
	// Group by indicator, strongest first within each. Sort indices: the structs are big.
	order := make([]int, len(keyed))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		a, b := &keyed[x], &keyed[y]
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(b.points, a.points), cmp.Compare(a.sig.ID, b.sig.ID))
	})
	flat := make([]scoredSignal, len(keyed))
	for i, k := range order {
		flat[i] = keyed[k].scoredSignal
	}
	b := &breakdown{}
	for i := 0; i < len(order); {
		first := &keyed[order[i]]
		j := i + 1
		for j < len(order) && keyed[order[j]].key == first.key {
			j++
		}
		is := indicatorScore{key: first.key, family: first.family, weight: first.weight, signals: flat[i:j:j]}
		is.combine(cfg.Diminishing)
		b.indicators = append(b.indicators, is)
		fs := b.family(is.family)
		if fs == nil {
			b.families = append(b.families, familyScore{name: is.family})
			fs = &b.families[len(b.families)-1]
		}
		fs.raw += is.points
		i = j
	}
	slices.SortFunc(b.families, func(x, y familyScore) int { return cmp.Compare(x.name, y.name) })
	b.capFamilies(cfg)
	return b
}

// dedupe returns the signals of personID, one per non-empty ID, less those a legitimate
// case cleared (unmask.Signal.Cleared).
func dedupe(signals []unmask.Signal, personID string) []*unmask.Signal {
	out := make([]*unmask.Signal, 0, len(signals))
	at := make(map[string]int, len(signals))
	for i := range signals {
		s := &signals[i]
		if s.PersonID != personID {
			continue
		}
		if j, ok := at[s.ID]; ok && s.ID != "" {
			out[j] = s
			continue
		}
		at[s.ID] = len(out)
		out = append(out, s)
	}
	return slices.DeleteFunc(out, (*unmask.Signal).Cleared)
}

func scoreSignal(cfg *Config, sub Subject, sig *unmask.Signal, w IndicatorWeight, fam string, now time.Time) scoredSignal {
	ss := scoredSignal{sig: sig, strength: sig.Weight, decay: 1}
	if !(ss.strength > 0) { // 0 (unset), negative or NaN
		ss.strength = cfg.Severity[sig.Severity]
	}
	ss.strength = min(ss.strength, 1)
	seen := sig.Time
	if sig.LastSeen.After(seen) {
		seen = sig.LastSeen
	}
	ss.ageDays = now.Sub(seen).Hours() / 24
	if hl := cfg.halfLife(w, fam); hl > 0 && ss.ageDays > 0 {
		ss.decay = math.Exp2(-ss.ageDays / hl)
	}
	ss.stage = sub.StageAt(sig.Time, cfg.NewHireDays)
	ss.stageMul = cfg.stageMultiplier(ss.stage, fam)
	ss.points = w.Weight * ss.strength * ss.decay * ss.stageMul
	return ss
}

// combine sums the signals, strongest first, with diminishing returns and caps the sum.
func (is *indicatorScore) combine(ratio float64) {
	f := 1.0
	for _, s := range is.signals {
		is.raw += s.points * f
		f *= ratio
	}
	is.points = is.raw
	if c := indicatorCap(is.weight); is.raw > c {
		is.points, is.capped = c, true
	}
}

// capFamilies applies the family caps, shares each family's points out over its
// indicators and works out corroboration.
func (b *breakdown) capFamilies(cfg *Config) {
	for i := range b.families {
		fs := &b.families[i]
		fs.points = fs.raw
		if c := cfg.Families[fs.name].Cap; c > 0 && fs.raw > c {
			fs.points, fs.capped = c, true
		}
		b.base += fs.points
		if fs.points > 0 && fs.points >= cfg.Corroboration.MinFamilyPoints {
			b.corroborated = append(b.corroborated, fs.name)
		}
	}
	for i := range b.indicators {
		is := &b.indicators[i]
		if fs := b.family(is.family); fs.raw > 0 {
			is.share = is.points * fs.points / fs.raw
		}
	}
	sources := make([]string, 0, len(b.corroborated))
	for _, f := range b.corroborated {
		sources = append(sources, cfg.Corroboration.source(f))
	}
	slices.Sort(sources)
	b.sources = len(slices.Compact(sources))
	b.multiplier = 1
	if b.sources > 1 {
		b.multiplier += cfg.Corroboration.Bonus * float64(b.sources-1)
	}
	b.total = b.base * b.multiplier
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
