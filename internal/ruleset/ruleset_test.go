package ruleset

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/sigma"
	"github.com/unmask/unmask/rules"
)

// userRule is a user detection rule in SigmaHQ style, without an unmask block.
const userRule = `title: Certutil download
id: 1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01
status: test
level: high
tags: [attack.t1105]
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\certutil.exe'
    CommandLine|contains: 'urlcache'
  condition: sel
`

func TestLoadBundled(t *testing.T) {
	s := MustLoad(t, Options{})
	files, err := rules.Files()
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != len(files) {
		t.Errorf("set has %d rules, the pack %d files of one rule each", s.Len(), len(files))
	}
	meta := s.Metadata()
	for _, r := range meta {
		if r.Origin != unmask.RuleBundled || !r.Enabled || len(r.Indicators) == 0 || !r.Level.Valid() || r.Validate() != nil {
			t.Errorf("rule %s: metadata %+v", r.ID, r)
		}
	}
	got, ok := s.Rule("unmask_ra_anydesk_domains")
	want := unmask.Rule{ID: "ec88af50-4d2a-4339-82b2-8819b5199039", Title: "AnyDesk remote-access tool service domain contacted",
		Level: unmask.SeverityMedium, Status: "experimental", Indicators: []string{"§3.1", "N-11"},
		Tags: []string{"attack.command-and-control", "attack.t1219", "attack.t1219.002"}, Origin: unmask.RuleBundled,
		Path: "remote_access/anydesk_domains.yml", Enabled: true}
	if !ok || !strings.HasPrefix(got.Description, "Detects DNS queries") {
		t.Fatalf("Rule = %+v, %v", got, ok)
	}
	got.Description = ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Rule (-want +got):\n%s", diff)
	}
	got.Indicators[0] = "changed"
	if again, _ := s.Rule(want.ID); again.Indicators[0] != "§3.1" {
		t.Error("Rule returns metadata that shares the set's slices")
	}
}

// TestLoadProblems loads user rules with one problem per file and checks that each is
// reported with file and line while the good rules load.
func TestLoadProblems(t *testing.T) {
	anydeskID := "4d8f81fe-48c8-4dcf-b922-de1aaec53e26"
	user := fstest.MapFS{
		"good/certutil.yml": {Data: []byte(userRule)},
		"bad/syntax.yml":    {Data: []byte("title: x\ndetection: [\n")},
		"bad/no_title.yml":  {Data: []byte("id: 7c1e0000-0000-4000-8000-000000000001\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n")},
		"bad/no_id.yml":     {Data: []byte("title: nameless\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n")},
		"later/dup.yml":     {Data: []byte(strings.Replace(userRule, "Certutil download", "Copy", 1))},
		"bad/corr.yml": {Data: []byte("title: broken correlation\nid: 7c1e0000-0000-4000-8000-000000000002\n" +
			"correlation:\n  type: event_count\n  rules: [no_such_rule]\n  group-by: [host.name]\n  timespan: 1h\n  condition: {gte: 2}\n")},
		"bad/block.yml": {Data: []byte(strings.Replace(userRule, "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01", "7c1e0000-0000-4000-8000-000000000003", 1) +
			"unmask: {indicators: [1, 2]}\n")},
		"override/anydesk.yml": {Data: []byte(strings.Replace(userRule, "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01", anydeskID, 1))},
	}
	s, err := Load(Options{User: []Source{{Name: "user", FS: user}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Problems() {
		got = append(got, p.Error())
	}
	slices.Sort(got)
	want := []string{
		`user/bad/block.yml:1: unmask.indicators must be a list of indicator ids`,
		`user/bad/corr.yml:1: correlation "7c1e0000-0000-4000-8000-000000000002": references unknown rule "no_such_rule"`,
		`user/bad/no_id.yml:1: rule has no id`,
		`user/bad/no_title.yml:1: missing title`,
		`user/bad/syntax.yml:2: yaml: line 2: did not find expected node content`,
		`user/later/dup.yml:1: rule id 1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01 is already used at user/good/certutil.yml:1`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for ref, origin := range map[string]string{"1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01": unmask.RuleUser,
		"7c1e0000-0000-4000-8000-000000000003": unmask.RuleUser, anydeskID: unmask.RuleUser, "unmask_ra_teamviewer": unmask.RuleBundled} {
		if r, ok := s.Rule(ref); !ok || r.Origin != origin {
			t.Errorf("rule %s = %+v, %v; want origin %s", ref, r, ok, origin)
		}
	}
	if _, ok := s.Rule("7c1e0000-0000-4000-8000-000000000002"); ok {
		t.Error("a correlation that cannot be compiled is listed")
	}
	if r, _ := s.Rule("unmask_ra_anydesk"); r.ID != anydeskID || r.Title != "Certutil download" || r.Path != filepath.Join("user", "override", "anydesk.yml") {
		t.Errorf("override = %+v, want the user's rule under the bundled rule's name", r)
	}
}

// TestLoadDirs loads user rules from a directory and a single file on disk, reports a
// missing path, and picks up a new file on Reload.
func TestLoadDirs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "one.yaml")
	write := func(p, data string) {
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "certutil.yml"), userRule)
	write(file, strings.Replace(userRule, "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01", "7c1e0000-0000-4000-8000-000000000010", 1))
	missing := filepath.Join(dir, "nope")
	s, err := Load(Options{Dirs: []string{dir, file, missing}})
	if err != nil {
		t.Fatal(err)
	}
	if ps := s.Problems(); len(ps) != 1 || ps[0].Path != missing {
		t.Errorf("problems = %v, want one for %s", ps, missing)
	}
	base := s.Len()
	r, ok := s.Rule("1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01")
	if !ok || r.Origin != unmask.RuleUser || r.Path != filepath.Join(dir, "certutil.yml") || r.Indicators != nil {
		t.Errorf("dir rule = %+v, %v", r, ok)
	}
	if r, ok := s.Rule("7c1e0000-0000-4000-8000-000000000010"); !ok || r.Path != file {
		t.Errorf("file rule = %+v, %v", r, ok)
	}
	write(filepath.Join(dir, "second.yml"), strings.Replace(userRule, "1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01", "7c1e0000-0000-4000-8000-000000000011", 1))
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != base+1 {
		t.Errorf("after Reload: %d rules, want %d", s.Len(), base+1)
	}
}

// TestUserRuleSignal checks a SigmaHQ-style user rule: the Windows logsource applies it to
// Sysmon process starts only, and its signal carries FallbackIndicator.
func TestUserRuleSignal(t *testing.T) {
	s := MustLoad(t, Options{User: []Source{{FS: fstest.MapFS{"certutil.yml": {Data: []byte(userRule)}}}}})
	ev := func(eventID string) *unmask.Event {
		return &unmask.Event{ID: "e" + eventID, Time: FixtureTime, Source: "sysmon", Kind: unmask.KindProcessStart, PersonID: "P-1",
			Host: "WS-1", Fields: map[string]string{"EventID": eventID, "Channel": "Microsoft-Windows-Sysmon/Operational",
				"Image": `C:\Windows\System32\certutil.exe`, "CommandLine": `certutil -urlcache -f http://x/a.exe a.exe`}}
	}
	got := detectAll(t, NewDetector(s), ev("1"), ev("11"))
	if len(got) != 1 || got[0].Indicator != FallbackIndicator || got[0].Severity != unmask.SeverityHigh || got[0].EventIDs[0] != "e1" {
		t.Errorf("signals = %+v, want one high %s signal for the process start", got, FallbackIndicator)
	}
}

func TestDefaultPipeline(t *testing.T) {
	p, err := DefaultPipeline()
	if err != nil {
		t.Fatal(err)
	}
	e, err := sigma.NewEngine(sigma.Options{Rules: nil, Pipeline: p, StrictLogsource: true})
	if err != nil || e.Len() != 0 {
		t.Fatalf("engine: %v", err)
	}
	s := MustLoad(t, Options{StrictLogsource: true})
	if got := byDetector(detectAll(t, NewDetector(s), anydesk()), MustEntry(t, s, "unmask_ra_anydesk").meta.ID); len(got) != 1 {
		t.Errorf("strict logsources: AnyDesk raised %d signals, want 1", len(got))
	}
}
