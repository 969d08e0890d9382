package ruleset

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"time"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// FixtureTime is the event time of fixture lines without "@timestamp".
var FixtureTime = time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC)

// FixtureResult is the outcome of one rule's fixtures.
type FixtureResult struct {
	Rule     unmask.Rule
	Name     string   // the rule's name, else its id
	Files    int      // fixture files run; 0 when the rule has none
	Failures []string // one line per failed check, e.g. "tp/a.jsonl line 3: did not fire"
}

// Passed reports whether every check passed.
func (r *FixtureResult) Passed() bool { return len(r.Failures) == 0 }

// TestFixtures runs the fixture files of the rules under fsys, laid out as the bundled
// pack's (rules.TestsDir/<rule id>/{tp,fp}/*.jsonl, one flat JSON object per line, see
// rules.ParseFixture), for each rule only accepts (nil: every rule), in load order. Each
// file runs in a fresh matcher over the rule, the rules it references and the filters
// that apply: a detection rule must fire on every line of a tp file and on none of an fp
// file; a correlation reads a file as one sequence and must fire somewhere in a tp file
// and nowhere in an fp file.
func (s *Set) TestFixtures(fsys fs.FS, only func(unmask.Rule) bool) []FixtureResult {
	st := s.cur.Load()
	var out []FixtureResult
	for _, en := range st.entries {
		meta := en.metadata(s.Enabled(en.meta.ID))
		if only != nil && !only(meta) {
			continue
		}
		res := FixtureResult{Rule: meta, Name: label(en.rule)}
		eng, err := st.closureEngine(en.rule)
		if err != nil {
			res.Failures = append(res.Failures, fmt.Sprintf("compile: %v", err))
			out = append(out, res)
			continue
		}
		for _, kind := range []string{rules.TruePositive, rules.FalsePositive} {
			files, _ := fs.Glob(fsys, path.Join(rules.TestsDir, en.meta.ID, kind, "*.jsonl"))
			for _, f := range files {
				res.Files++
				name := kind + "/" + path.Base(f)
				for _, msg := range runFixture(fsys, f, eng, en.rule, kind == rules.TruePositive) {
					res.Failures = append(res.Failures, name+" "+msg)
				}
			}
		}
		out = append(out, res)
	}
	return out
}

// runFixture runs one fixture file and returns its failures.
func runFixture(fsys fs.FS, file string, eng *sigma.Engine, r *sigma.Rule, want bool) []string {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return []string{fmt.Sprintf("read: %v", err)}
	}
	evs, err := rules.ParseFixture(data, FixtureTime)
	if err != nil {
		return []string{err.Error()}
	}
	if len(evs) == 0 {
		return []string{"holds no events"}
	}
	m := eng.NewMatcher()
	var fails []string
	seen := false
	for _, ev := range evs {
		var got []*sigma.Rule
		m.MatchFields(sigma.Map(ev.Fields), ev.Time, func(h sigma.Hit) { got = append(got, h.Rule) })
		fired := slices.Contains(got, r)
		seen = seen || fired
		if r.Kind == sigma.KindDetection && fired != want {
			fails = append(fails, fmt.Sprintf("line %d: %s", ev.Line, verdict(fired)))
		}
	}
	if r.Kind != sigma.KindDetection && seen != want {
		fails = append(fails, "sequence: "+verdict(seen))
	}
	return fails
}

func verdict(fired bool) string {
	if fired {
		return "fired, want no match"
	}
	return "did not fire"
}
