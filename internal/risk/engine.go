package risk

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/unmask/unmask"
)

// Options configures an Engine.
type Options struct {
	// Config is the scoring configuration; nil means DefaultConfig.
	Config *Config
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Engine holds the signals of every tracked person and their latest scores. A change to a
// person's signals or subject recomputes that person only. It is safe for concurrent use.
// Returned scores share their Reasons with the engine: callers must not modify them.
type Engine struct {
	now func() time.Time

	mu     sync.Mutex // guards following
	cfg    Config
	people map[string]*personState
}

// personState is what the engine holds for one person.
type personState struct {
	subject Subject
	signals []unmask.Signal
	index   map[string]int // signal ID → position in signals
	score   unmask.RiskScore
}

// NewEngine returns an engine with no people, or EINVALID if the configuration is invalid.
func NewEngine(opts Options) (*Engine, error) {
	cfg := DefaultConfig()
	if opts.Config != nil {
		cfg = opts.Config.Clone()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Engine{now: now, cfg: cfg, people: make(map[string]*personState)}, nil
}

// SetSubject records what is known about a person (the hire date) and returns the
// person's recomputed score.
func (e *Engine) SetSubject(sub Subject) unmask.RiskScore {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := e.person(sub.PersonID)
	ps.subject = sub
	return e.recompute(ps)
}

// Upsert adds signals or replaces those with the same ID, then recomputes each person they
// belong to once. It returns the new scores ordered by person ID, or EINVALID (changing
// nothing) if a signal has no ID or no person.
func (e *Engine) Upsert(signals ...unmask.Signal) ([]unmask.RiskScore, error) {
	for i := range signals {
		if signals[i].ID == "" || signals[i].PersonID == "" {
			return nil, unmask.Errorf(unmask.EINVALID, "Risk engine needs a signal ID and person for every signal.")
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	touched := make(map[string]*personState)
	for _, s := range signals {
		ps := e.person(s.PersonID)
		if i, ok := ps.index[s.ID]; ok {
			ps.signals[i] = s
		} else {
			ps.index[s.ID] = len(ps.signals)
			ps.signals = append(ps.signals, s)
		}
		touched[s.PersonID] = ps
	}
	return e.recomputeAll(touched), nil
}

// Remove deletes signals of a person by ID and returns the recomputed score; unknown IDs
// are ignored.
func (e *Engine) Remove(personID string, signalIDs ...string) unmask.RiskScore {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := e.person(personID)
	for _, id := range signalIDs {
		i, ok := ps.index[id]
		if !ok {
			continue
		}
		last := len(ps.signals) - 1
		ps.signals[i] = ps.signals[last]
		ps.index[ps.signals[i].ID] = i
		ps.signals = ps.signals[:last]
		delete(ps.index, id)
	}
	return e.recompute(ps)
}

// Forget drops a person and their signals.
func (e *Engine) Forget(personID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.people, personID)
}

// Score returns the latest score of a person, and false if the person is not tracked.
func (e *Engine) Score(personID string) (unmask.RiskScore, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps, ok := e.people[personID]
	if !ok {
		return unmask.RiskScore{}, false
	}
	return ps.score, true
}

// Rescore recomputes every person at the current time, so that decay catches up, and
// returns the ranking.
func (e *Engine) Rescore() []unmask.RiskScore {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.recomputeAll(e.people)
	return e.ranking()
}

// Ranking returns the latest scores, highest first (ties by person ID).
func (e *Engine) Ranking() []unmask.RiskScore {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ranking()
}

// Config returns a copy of the configuration in force.
func (e *Engine) Config() Config {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cfg.Clone()
}

// ApplyConfig replaces the configuration and recomputes everyone, or returns EINVALID and
// keeps the old one.
func (e *Engine) ApplyConfig(cfg Config) error {
	cfg = cfg.Clone()
	if err := cfg.Validate(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.cfg = cfg
	e.recomputeAll(e.people)
	return nil
}

// Preview returns how the ranking of the tracked people would change under alt, at the
// current time, without applying it.
func (e *Engine) Preview(alt Config) ([]Change, error) {
	e.mu.Lock()
	inputs := make([]Input, 0, len(e.people))
	for _, ps := range e.people {
		inputs = append(inputs, Input{Subject: ps.subject, Signals: slices.Clone(ps.signals)})
	}
	base := e.cfg
	e.mu.Unlock()
	return Preview(inputs, base, alt, e.now())
}

func (e *Engine) person(id string) *personState {
	ps, ok := e.people[id]
	if !ok {
		ps = &personState{subject: Subject{PersonID: id}, index: make(map[string]int)}
		e.people[id] = ps
	}
	return ps
}

func (e *Engine) recompute(ps *personState) unmask.RiskScore {
	ps.score = Score(e.cfg, ps.subject, ps.signals, e.now())
	return ps.score
}

func (e *Engine) recomputeAll(people map[string]*personState) []unmask.RiskScore {
	out := make([]unmask.RiskScore, 0, len(people))
	for _, ps := range people {
		out = append(out, e.recompute(ps))
	}
	slices.SortFunc(out, func(a, b unmask.RiskScore) int { return cmp.Compare(a.PersonID, b.PersonID) })
	return out
}

func (e *Engine) ranking() []unmask.RiskScore {
	out := make([]unmask.RiskScore, 0, len(e.people))
	for _, ps := range e.people {
		out = append(out, ps.score)
	}
	sortRanking(out)
	return out
}

// sortRanking orders scores highest first, ties by person ID.
func sortRanking(s []unmask.RiskScore) {
	slices.SortFunc(s, func(a, b unmask.RiskScore) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.PersonID, b.PersonID)
	})
}
