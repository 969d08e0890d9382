package ruleset

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
)

// doc is a parsed document and where it came from.
type doc struct {
	rule   *sigma.Rule
	origin string // unmask.RuleBundled or unmask.RuleUser
}

// build reads every source and compiles a new state.
func (s *Set) build() (*state, error) {
	docs, probs := s.read()
	docs, more := dedupe(docs)
	probs = append(probs, more...)
	rs := make([]*sigma.Rule, len(docs))
	for i, d := range docs {
		rs[i] = d.rule
	}
	st := &state{docs: rs, index: newRefIndex(rs), closures: map[*sigma.Rule]*sigma.Engine{},
		byRef: map[string]*entry{}, byRule: map[*sigma.Rule]*entry{},
		opts: sigma.Options{Pipeline: s.pipeline, StrictLogsource: s.opts.StrictLogsource,
			MaxGroups: s.opts.MaxGroups, MaxEventsPerGroup: s.opts.MaxEventsPerGroup}}
	eng, err := st.compile(rs)
	if err != nil {
		return nil, unmask.WrapError(unmask.EINVALID, err, "Rules cannot be compiled: %v", err)
	}
	st.engine = eng
	broken, cprobs := st.attribute(eng.Problems())
	probs = append(probs, cprobs...)
	for _, d := range docs {
		r := d.rule
		if r.Kind == sigma.KindFilter || broken[r] {
			continue
		}
		en, err := newEntry(r, d.origin)
		if err != nil {
			probs = append(probs, Problem{Path: r.Path, Line: r.Line, Rule: r.Ref(), Err: err})
		}
		st.entries = append(st.entries, en)
		st.byRule[r] = en
		st.byRef[r.ID] = en
		if r.Name != "" {
			if _, taken := st.byRef[r.Name]; !taken {
				st.byRef[r.Name] = en
			}
		}
	}
	st.problems = probs
	return st, nil
}

// read parses the bundled pack and every user source.
func (s *Set) read() ([]doc, []Problem) {
	po := s.pipeline.ParseOptions()
	var docs []doc
	var probs []Problem
	load := func(name, origin string, fsys fs.FS) {
		res, err := sigma.LoadDir(fsys, po)
		if err != nil {
			probs = append(probs, Problem{Path: name, Err: err})
			return
		}
		for _, r := range res.Rules {
			r.Path = joinPath(name, r.Path)
			docs = append(docs, doc{rule: r, origin: origin})
		}
		for _, e := range res.Errors {
			probs = append(probs, parseProblem(name, e))
		}
	}
	load("", unmask.RuleBundled, s.opts.Bundled)
	for _, dir := range s.opts.Dirs {
		fi, err := os.Stat(dir)
		switch {
		case err != nil:
			probs = append(probs, Problem{Path: dir, Err: pathless(err)})
		case fi.IsDir():
			load(dir, unmask.RuleUser, os.DirFS(dir))
		default:
			d, p := readFile(dir, po)
			docs, probs = append(docs, d...), append(probs, p...)
		}
	}
	for _, src := range s.opts.User {
		load(src.Name, unmask.RuleUser, src.FS)
	}
	return docs, probs
}

// readFile parses one rule file on disk.
func readFile(name string, po sigma.ParseOptions) ([]doc, []Problem) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, []Problem{{Path: name, Err: pathless(err)}}
	}
	rs, errs := sigma.ParseFile(name, data, po)
	docs := make([]doc, len(rs))
	for i, r := range rs {
		docs[i] = doc{rule: r, origin: unmask.RuleUser}
	}
	probs := make([]Problem, len(errs))
	for i, e := range errs {
		probs[i] = parseProblem("", e)
	}
	return docs, probs
}

// joinPath names a file of a source: name/rel, with name's separators.
func joinPath(name, rel string) string {
	if name == "" {
		return rel
	}
	return filepath.Join(name, filepath.FromSlash(rel))
}

// parseProblem turns a sigma parse error into a Problem under source name.
func parseProblem(name string, err error) Problem {
	if pe, ok := errors.AsType[*sigma.ParseError](err); ok {
		return Problem{Path: joinPath(name, pe.Path), Line: pe.Line, Err: pathless(pe.Err)}
	}
	return Problem{Path: name, Err: err}
}

// pathless drops the operation and path of a file error, which the Problem names.
func pathless(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// dedupe leaves out detection and correlation rules without an id and repeated ids; a
// user rule with a bundled rule's id takes its place, and its name when it has none.
func dedupe(docs []doc) ([]doc, []Problem) {
	var out []doc
	var probs []Problem
	at := map[string]int{}
	for _, d := range docs {
		r := d.rule
		if r.ID == "" && r.Kind == sigma.KindFilter {
			out = append(out, d)
			continue
		}
		if r.ID == "" {
			probs = append(probs, Problem{Path: r.Path, Line: r.Line, Rule: r.Ref(), Err: errors.New("rule has no id")})
			continue
		}
		i, seen := at[r.ID]
		switch {
		case !seen:
			at[r.ID] = len(out)
			out = append(out, d)
		case out[i].origin == unmask.RuleBundled && d.origin == unmask.RuleUser:
			if r.Name == "" {
				r.Name = out[i].rule.Name // correlations may reference the bundled rule by name
			}
			out[i] = d
		default:
			first := out[i].rule
			probs = append(probs, Problem{Path: r.Path, Line: r.Line, Rule: r.ID,
				Err: fmt.Errorf("rule id %s is already used at %s:%d", r.ID, first.Path, first.Line)})
		}
	}
	return out, probs
}

// compile compiles rules with the state's engine options.
func (st *state) compile(rs []*sigma.Rule) (*sigma.Engine, error) {
	o := st.opts
	o.Rules = rs
	return sigma.NewEngine(o)
}

// attribute finds the correlations and filters behind compile problems, by compiling
// each with the rules it references. Correlations with problems never fire and are
// returned as broken.
func (st *state) attribute(problems []error) (map[*sigma.Rule]bool, []Problem) {
	if len(problems) == 0 {
		return nil, nil
	}
	broken := map[*sigma.Rule]bool{}
	var out []Problem
	for _, r := range st.docs {
		if r.Kind == sigma.KindDetection {
			continue
		}
		e, err := st.compile(st.index.closure(r, false))
		if err != nil {
			continue
		}
		for _, p := range e.Problems() {
			out = append(out, Problem{Path: r.Path, Line: r.Line, Rule: r.Ref(), Err: p})
			broken[r] = r.Kind == sigma.KindCorrelation
		}
	}
	if len(out) == 0 {
		for _, p := range problems {
			out = append(out, Problem{Err: p})
		}
	}
	return broken, out
}

// refIndex finds rules by id or name, and the filters.
type refIndex struct {
	byRef   map[string]*sigma.Rule
	filters []*sigma.Rule
}

func newRefIndex(rs []*sigma.Rule) *refIndex {
	ix := &refIndex{byRef: map[string]*sigma.Rule{}}
	for _, r := range rs {
		for _, ref := range []string{r.ID, r.Name} {
			if _, taken := ix.byRef[ref]; ref != "" && !taken {
				ix.byRef[ref] = r
			}
		}
		if r.Kind == sigma.KindFilter {
			ix.filters = append(ix.filters, r)
		}
	}
	return ix
}

// closure returns target and every rule it references, transitively, and with filters
// the filters that may apply to them.
func (ix *refIndex) closure(target *sigma.Rule, filters bool) []*sigma.Rule {
	seen := map[*sigma.Rule]bool{}
	var out []*sigma.Rule
	var visit func(r *sigma.Rule)
	visit = func(r *sigma.Rule) {
		if r == nil || seen[r] {
			return
		}
		seen[r] = true
		out = append(out, r)
		if r.Correlation != nil {
			for _, ref := range r.Correlation.Rules {
				visit(ix.byRef[ref])
			}
		}
		if r.Filter != nil {
			for _, ref := range r.Filter.Rules {
				visit(ix.byRef[ref])
			}
		}
	}
	visit(target)
	if !filters {
		return out
	}
	for _, f := range ix.filters {
		if seen[f] {
			continue
		}
		applies := len(f.Filter.Rules) == 0
		for _, ref := range f.Filter.Rules {
			applies = applies || seen[ix.byRef[ref]]
		}
		if applies {
			out = append(out, f)
		}
	}
	return out
}

// closureEngine returns the compiled closure of r (with filters), built once.
func (st *state) closureEngine(r *sigma.Rule) (*sigma.Engine, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e := st.closures[r]; e != nil {
		return e, nil
	}
	e, err := st.compile(st.index.closure(r, true))
	if err != nil {
		return nil, err
	}
	st.closures[r] = e
	return e, nil
}
