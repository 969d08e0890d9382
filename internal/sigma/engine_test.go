package sigma

import (
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

const filterRules = `title: rar
id: 6f3e2987-db24-4c78-a860-b4f4095a7095
logsource: {category: process_creation, product: windows}
detection:
  sel:
    Image|endswith: '\rar.exe'
  condition: sel
---
title: other
id: other
logsource: {category: process_creation, product: windows}
detection:
  sel:
    Image|endswith: '\rar.exe'
  condition: sel
---
title: Filter Administrator account
logsource: {category: process_creation, product: windows}
filter:
  rules:
    - 6f3e2987-db24-4c78-a860-b4f4095a7095
  selection:
    User|startswith: 'adm_'
  condition: selection
`

// TestFilters checks that a filter suppresses only the rules it names.
func TestFilters(t *testing.T) {
	e := MustEngine(t, nil, filterRules)
	tests := []struct {
		name  string
		event Map
		want  []string
	}{
		{"not_filtered", Map{"Image": `C:\rar.exe`, "User": "bob"}, []string{"6f3e2987-db24-4c78-a860-b4f4095a7095", "other"}},
		{"filtered_only_named_rule", Map{"Image": `C:\rar.exe`, "User": "ADM_bob"}, []string{"other"}},
		{"no_match", Map{"Image": `C:\zip.exe`, "User": "adm_bob"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustMatch(t, e, tt.event)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFilterLogsourceMismatch checks that a filter whose logsource does not cover the
// rule is reported instead of applied.
func TestFilterLogsourceMismatch(t *testing.T) {
	src := detectionRule("r1", "  sel:\n    A: x\n  condition: sel") + "---\ntitle: f\nlogsource: {product: linux}\nfilter:\n  rules: [r1]\n  sel:\n    B: y\n  condition: sel\n"
	e, err := NewEngine(Options{Rules: MustParse(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Problems()) != 1 {
		t.Errorf("problems = %v, want one logsource mismatch", e.Problems())
	}
	if diff := cmp.Diff([]string{"r1"}, MustMatch(t, e, Map{"A": "x", "B": "y"})); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

// TestPipelines checks field mapping (ECS, evtx) and logsource routing.
func TestPipelines(t *testing.T) {
	rule := detectionRule("r1", "  sel:\n    Image|endswith: '\\certutil.exe'\n    CommandLine|contains: 'urlcache'\n  condition: sel")
	tests := []struct {
		name     string
		pipeline string
		event    string
		want     []string
	}{
		{"ecs_nested", "ecs-windows", `{"winlog":{"event_id":1,"channel":"Microsoft-Windows-Sysmon/Operational"},"process":{"executable":"C:\\Windows\\certutil.exe","command_line":"certutil -urlcache -f x"}}`, []string{"r1"}},
		{"ecs_dotted_keys", "ecs-windows", `{"winlog.event_id":"1","winlog.channel":"Microsoft-Windows-Sysmon/Operational","process.executable":"C:\\Windows\\certutil.exe","process.command_line":"certutil -urlcache"}`, []string{"r1"}},
		{"ecs_wrong_event_id", "ecs-windows", `{"winlog":{"event_id":3,"channel":"Microsoft-Windows-Sysmon/Operational"},"process":{"executable":"C:\\Windows\\certutil.exe","command_line":"certutil -urlcache"}}`, []string{}},
		{"evtx", "sysmon-evtx", `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -urlcache"}}}`, []string{"r1"}},
		{"evtx_security_channel", "sysmon-evtx", `{"Event":{"System":{"EventID":1,"Channel":"Security"},"EventData":{"Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -urlcache"}}}`, []string{}},
		{"flat_sigma_names", "sigma", `{"Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -urlcache"}`, []string{"r1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DefaultPipeline(tt.pipeline)
			if err != nil {
				t.Fatal(err)
			}
			e := MustEngine(t, p, rule)
			got := []string{}
			if err := e.NewMatcher().MatchJSON([]byte(tt.event), time.Unix(0, 0), func(h Hit) { got = append(got, h.Rule.Ref()) }); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParsePipelinesExtends checks that users can extend a shipped pipeline in YAML.
func TestParsePipelinesExtends(t *testing.T) {
	ps, err := ParsePipelines([]byte(`pipelines:
  - name: mine
    extends: ecs-windows
    fieldmappings:
      Image: [proc.path]
    logsources:
      - logsource: {product: okta}
        conditions: {source: [okta]}
    placeholders:
      admins: [root, 'adm_*']
`))
	if err != nil {
		t.Fatal(err)
	}
	p := ps["mine"]
	if p == nil {
		t.Fatal("pipeline mine missing")
	}
	tests := []struct {
		field string
		want  []string
	}{
		{"Image", []string{"proc.path"}},
		{"CommandLine", []string{"process.command_line"}},
		{"Unmapped", []string{"winlog.event_data.Unmapped", "Unmapped"}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, p.Paths(tt.field)); diff != "" {
				t.Errorf("Paths (-want +got):\n%s", diff)
			}
		})
	}
	if _, ok := p.logsourceConditions(Logsource{Product: "okta"}); !ok {
		t.Error("extended pipeline lost its own logsource")
	}
	if _, ok := p.logsourceConditions(Logsource{Product: "windows", Category: "process_creation"}); !ok {
		t.Error("extended pipeline lost the inherited logsources")
	}
	rules, errs := ParseFile("p.yml", []byte(detectionRule("ph", "  sel:\n    User|expand: '%admins%'\n  condition: sel")), p.ParseOptions())
	if len(errs) > 0 || len(rules) != 1 {
		t.Errorf("placeholder from the pipeline not expanded: %v", errs)
	}
	if _, err := ParsePipelines([]byte("pipelines:\n  - name: x\n    extends: nope\n")); err == nil {
		t.Error("extends of an unknown pipeline accepted")
	}
	if _, err := ParsePipelines([]byte("pipelines:\n  - name: x\n    fieldmapping: {}\n")); err == nil {
		t.Error("unknown pipeline key accepted")
	}
}

// TestStrictLogsource checks that unmapped logsources match nothing when strict.
func TestStrictLogsource(t *testing.T) {
	p, err := DefaultPipeline("sysmon-flat")
	if err != nil {
		t.Fatal(err)
	}
	src := "title: t\nid: lin\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel:\n    Image: x\n  condition: sel\n"
	tests := []struct {
		name   string
		strict bool
		want   []string
	}{
		{"lenient", false, []string{"lin"}},
		{"strict", true, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewEngine(Options{Rules: MustParse(t, src), Pipeline: p, StrictLogsource: tt.strict})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, MustMatch(t, e, Map{"Image": "x"})); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadDir checks per-file errors and folder counts on a small tree.
func TestLoadDir(t *testing.T) {
	good, err := os.ReadFile("testdata/rules/proc_creation_certutil.yml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"windows/a.yml":     {Data: good},
		"windows/b.yml":     {Data: []byte("title: broken\nlogsource: {product: x}\ndetection:\n  sel:\n    A|bogus: 1\n  condition: sel\n")},
		"linux/c.yaml":      {Data: good},
		"linux/readme.txt":  {Data: []byte("not a rule")},
		"linux/deep/d.yml":  {Data: []byte("title: [")},
		"windows/multi.yml": {Data: []byte(string(good) + "\n---\n" + string(good))},
	}
	res, err := LoadDir(fsys, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]FolderCount{}
	for k, v := range res.Folders {
		got[k] = *v
	}
	want := map[string]FolderCount{
		"windows":    {Files: 3, Rules: 3, Errors: 1},
		"linux":      {Files: 1, Rules: 1},
		"linux/deep": {Files: 1, Errors: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("folders (-want +got):\n%s", diff)
	}
	if len(res.Rules) != 4 || len(res.Errors) != 2 {
		t.Errorf("got %d rules and %d errors, want 4 and 2: %v", len(res.Rules), len(res.Errors), res.Errors)
	}
}

// TestFixtureRules runs the modifier fixture rules through the prefiltered engine.
func TestFixtureRules(t *testing.T) {
	data, err := os.ReadFile("testdata/rules/modifiers.yml")
	if err != nil {
		t.Fatal(err)
	}
	e := MustEngine(t, nil, string(data))
	const id = "0f0c6a5e-1b7e-4f7e-9c59-7e1d0a6f3c0"
	tests := []struct {
		name  string
		event Map
		want  []string
	}{
		{"windash_enc", Map{"Image": `C:\Windows\PowerShell.exe`, "CommandLine": "powershell \u2013enc SQBFAFgA"}, []string{id + "1"}},
		{"base64offset", Map{"CommandLine": "powershell -e " + "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAA=" + " RG93bmxvYWRTdHJpbmco"}, []string{id + "2"}},
		{"glob_and_number", Map{"Image": `C:\Users\bob\AppData\Local\x.exe`, "ProcessId": "4100", "User": "CORP\\bob"}, []string{id + "3"}},
		{"glob_filtered", Map{"Image": `C:\Users\bob\AppData\Local\x.exe`, "ProcessId": "4100", "User": "NT AUTHORITY\\SYSTEM"}, []string{}},
		{"regex_low_pid", Map{"CommandLine": "Invoke-Mimikatz -x", "ProcessId": "12"}, []string{}},
		{"regex", Map{"CommandLine": "INVOKE-EXPRESSION $x", "ProcessId": "5000"}, []string{id + "3"}},
		{"keyword", Map{"Other": "run SEKURLSA::logonpasswords"}, []string{id + "4"}},
		{"cased_wrong_case", Map{"CommandLine": "createobject"}, []string{}},
		{"null_exists_fieldref", Map{"Hashes": "", "User": "A", "ParentUser": "a"}, []string{id + "5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustMatch(t, e, tt.event)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConcurrentMatchers checks that one Engine serves several Matchers at once (run
// with -race) and that they agree.
func TestConcurrentMatchers(t *testing.T) {
	e := MustEngine(t, nil, filterRules)
	events := []Map{{"Image": `C:\rar.exe`, "User": "bob"}, {"Image": `C:\rar.exe`, "User": "adm_x"}, {"Image": `C:\zip.exe`}}
	want := 0
	for _, ev := range events {
		want += len(MustMatch(t, e, ev))
	}
	got := make(chan int, 4)
	for range 4 {
		go func() {
			m := e.NewMatcher()
			n := 0
			for range 200 {
				for _, ev := range events {
					m.MatchFields(ev, time.Unix(0, 0), func(Hit) { n++ })
				}
			}
			got <- n
		}()
	}
	for range 4 {
		if n := <-got; n != 200*want {
			t.Errorf("matcher saw %d hits, want %d", n, 200*want)
		}
	}
}

// TestRuleFields checks the field list a rule reports, in first-use order.
func TestRuleFields(t *testing.T) {
	rules := MustParse(t, detectionRule("r1", "  sel:\n    Image|endswith: x\n    User|fieldref: ParentUser\n  other:\n    Image: y\n    CommandLine: z\n  condition: sel or other"))
	if diff := cmp.Diff([]string{"Image", "User", "ParentUser", "CommandLine"}, rules[0].Fields()); diff != "" {
		t.Errorf("Fields (-want +got):\n%s", diff)
	}
}
