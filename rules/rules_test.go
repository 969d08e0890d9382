package rules_test

import (
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask/internal/ruleset"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// defaultTime is the event time of fixture lines without "@timestamp".
var defaultTime = time.Date(2026, 3, 16, 10, 0, 0, 0, time.UTC)

// MustLoadPack parses every rule file of the pack and fails on any parse error.
func MustLoadPack(tb testing.TB) []*sigma.Rule {
	tb.Helper()
	res, err := sigma.LoadDir(rules.FS, sigma.ParseOptions{})
	if err != nil {
		tb.Fatalf("load rule pack: %v", err)
	}
	for _, e := range res.Errors {
		tb.Errorf("load rule pack: %v", e)
	}
	if len(res.Rules) == 0 {
		tb.Fatal("rule pack holds no rules")
	}
	return res.Rules
}

// MustEngine compiles rs and fails on any compile problem.
func MustEngine(tb testing.TB, rs []*sigma.Rule) *sigma.Engine {
	tb.Helper()
	e, err := sigma.NewEngine(sigma.Options{Rules: rs})
	if err != nil {
		tb.Fatalf("compile rules: %v", err)
	}
	for _, p := range e.Problems() {
		tb.Errorf("compile rules: %v", p)
	}
	return e
}

// MustReadFixture reads a JSONL fixture from the pack: one flat JSON object per line.
func MustReadFixture(tb testing.TB, p string) []rules.FixtureEvent {
	tb.Helper()
	data, err := fs.ReadFile(rules.FS, p)
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	evs, err := rules.ParseFixture(data, defaultTime)
	if err != nil {
		tb.Fatalf("fixture %s: %v", p, err)
	}
	if len(evs) == 0 {
		tb.Fatalf("fixture %s holds no events", p)
	}
	return evs
}

// fired returns the rules that one event fires, by Ref.
func fired(m *sigma.Matcher, ev rules.FixtureEvent) []string {
	var out []string
	m.MatchFields(sigma.Map(ev.Fields), ev.Time, func(h sigma.Hit) { out = append(out, h.Rule.Ref()) })
	return out
}

// closure returns target and every rule it references, transitively.
func closure(all []*sigma.Rule, target *sigma.Rule) []*sigma.Rule {
	byRef := map[string]*sigma.Rule{}
	for _, r := range all {
		byRef[r.ID], byRef[r.Name] = r, r
	}
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
				visit(byRef[ref])
			}
		}
	}
	visit(target)
	return out
}

func TestPackLoads(t *testing.T) {
	rs := MustLoadPack(t)
	e := MustEngine(t, rs)
	var paths []string
	detections := 0
	for _, r := range rs {
		paths = append(paths, r.Path)
		if r.Kind == sigma.KindDetection {
			detections++
		}
	}
	if e.Len() != detections {
		t.Errorf("engine compiled %d detection rules, pack has %d", e.Len(), detections)
	}
	files, err := rules.Files()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	if diff := cmp.Diff(files, paths); diff != "" {
		t.Errorf("one document per rule file (-files +documents):\n%s", diff)
	}
}

func TestFixtureFolders(t *testing.T) {
	rs := MustLoadPack(t)
	ids := map[string]bool{}
	for _, r := range rs {
		ids[r.ID] = true
		for _, kind := range []string{rules.TruePositive, rules.FalsePositive} {
			got, err := rules.Fixtures(r.ID, kind)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				t.Errorf("rule %s (%s) has no %s fixture", r.Name, r.ID, kind)
			}
		}
	}
	dirs, err := fs.ReadDir(rules.FS, rules.TestsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !ids[d.Name()] {
			t.Errorf("fixture folder %s names no rule of the pack", path.Join(rules.TestsDir, d.Name()))
		}
	}
}

// TestRuleFixtures runs every rule's tp and fp fixtures through the product's fixture
// runner (internal/ruleset, also behind `unmask rules test`): a detection rule must fire on
// every line of a tp file and on none of an fp file; a correlation reads a file as one
// sequence and must fire somewhere in a tp file and nowhere in an fp file. Every rule has
// both kinds.
func TestRuleFixtures(t *testing.T) {
	set, err := ruleset.Load(ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := set.Problems(); len(p) > 0 {
		t.Fatalf("the pack does not load cleanly: %v", p)
	}
	results := set.TestFixtures(rules.FS, nil)
	if len(results) != set.Len() {
		t.Fatalf("%d fixture results for %d rules", len(results), set.Len())
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			if r.Files < 2 {
				t.Errorf("%d fixture files; want tp and fp", r.Files)
			}
			for _, f := range r.Failures {
				t.Error(f)
			}
		})
	}
}

// TestPackReports runs each detection rule's first true positive through the whole pack:
// correlations must keep reporting the rules they use (generate: true), except the
// informational context rules; and PipelineYAML must map every logsource of the pack, so
// that an engine with strict logsources applies every rule.
func TestPackReports(t *testing.T) {
	all := MustLoadPack(t)
	ps, err := sigma.ParsePipelines([]byte(rules.PipelineYAML))
	if err != nil {
		t.Fatal(err)
	}
	if ps[rules.PipelineName] == nil {
		t.Fatalf("PipelineYAML defines no pipeline %q", rules.PipelineName)
	}
	engines := []struct {
		name string
		opts sigma.Options
	}{
		{name: "no_pipeline", opts: sigma.Options{Rules: all}},
		{name: "strict_logsource", opts: sigma.Options{Rules: all, Pipeline: ps[rules.PipelineName], StrictLogsource: true}},
	}
	for _, eng := range engines {
		e, err := sigma.NewEngine(eng.opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if r.Kind != sigma.KindDetection {
				continue
			}
			t.Run(eng.name+"/"+r.Name, func(t *testing.T) {
				files, err := rules.Fixtures(r.ID, rules.TruePositive)
				if err != nil || len(files) == 0 {
					t.Fatalf("no true positive fixture: %v", err)
				}
				ev := MustReadFixture(t, files[0])[0]
				got := slices.Contains(fired(e.NewMatcher(), ev), r.Ref())
				if want := r.Level != "informational"; got != want {
					t.Errorf("pack reports %s = %v, want %v (level %s, logsource %s)", r.Name, got, want, r.Level, r.Logsource)
				}
			})
		}
	}
}

func TestHarness(t *testing.T) {
	anydesk := `{"event.kind":"process_start","host.name":"h1","Image":"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe"}`
	tests := []struct {
		name  string
		rule  string
		lines []string
		want  bool
	}{
		{name: "anydesk_fires_anydesk", rule: "unmask_ra_anydesk", lines: []string{anydesk}, want: true},
		{name: "anydesk_not_teamviewer", rule: "unmask_ra_teamviewer", lines: []string{anydesk}},
		{name: "file_write_is_no_execution", rule: "unmask_ra_anydesk",
			lines: []string{`{"event.kind":"other","EventID":11,"TargetFilename":"C:\\Users\\a\\Downloads\\AnyDesk.exe"}`}},
		{name: "two_tools_one_host", rule: "unmask_corr_multi_remote_access_host", want: true, lines: []string{anydesk,
			`{"@timestamp":"2026-03-16T11:00:00Z","event.kind":"process_start","host.name":"h1","Image":"C:\\x\\rustdesk.exe"}`}},
	}
	all := MustLoadPack(t)
	byName := map[string]*sigma.Rule{}
	for _, r := range all {
		byName[r.Name] = r
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := byName[tt.rule]
			if r == nil {
				t.Fatalf("no rule %s", tt.rule)
			}
			evs, err := rules.ParseFixture([]byte(strings.Join(tt.lines, "\n")), defaultTime)
			if err != nil {
				t.Fatal(err)
			}
			m := MustEngine(t, closure(all, r)).NewMatcher()
			got := false
			for _, ev := range evs {
				got = got || slices.Contains(fired(m, ev), r.Ref())
			}
			if got != tt.want {
				t.Errorf("rule %s fired = %v, want %v", tt.rule, got, tt.want)
			}
		})
	}
}

// TestEveryRuleFileIsEmbedded guards the embed pattern: a rule written as .yaml or in a
// nested folder would otherwise be left out of the binary without a word.
func TestEveryRuleFileIsEmbedded(t *testing.T) {
	embedded, err := rules.Files()
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	err = fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == rules.TestsDir {
			return fs.SkipDir
		}
		if !d.IsDir() && (path.Ext(p) == ".yml" || path.Ext(p) == ".yaml") {
			onDisk = append(onDisk, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(onDisk)
	if diff := cmp.Diff(onDisk, embedded); diff != "" {
		t.Errorf("rule files on disk vs embedded (-disk +embedded); write rules as THEME/NAME.yml:\n%s", diff)
	}
}
