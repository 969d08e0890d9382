package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/ruleset"
)

// runRules runs `unmask rules ARGS` in a fresh data directory.
func runRules(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return run(t, env(t.TempDir()), "", append([]string{"rules"}, args...)...)
}

// userRule is a user rule in SigmaHQ style, with no unmask block.
const userRule = `title: Certutil download
id: 1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01
name: user_certutil
level: high
logsource: {product: windows, category: process_creation}
detection:
  sel:
    Image|endswith: '\certutil.exe'
    CommandLine|contains: 'urlcache'
  condition: sel
`

// writeFiles writes files under a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRulesCommands(t *testing.T) {
	fixtures := "tests/1b0a7d4e-8f55-4c1e-9d0b-5d2e4f6a7b01/"
	hit := `{"EventID":"1","Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\certutil.exe","CommandLine":"certutil -urlcache x"}`
	good := writeFiles(t, map[string]string{"certutil.yml": userRule, fixtures + "tp/a.jsonl": hit + "\n", fixtures + "fp/b.jsonl": `{"Image":"x"}` + "\n"})
	failing := writeFiles(t, map[string]string{"certutil.yml": userRule, fixtures + "tp/a.jsonl": `{"Image":"x"}` + "\n"})
	bad := writeFiles(t, map[string]string{"ok.yml": userRule, "broken.yml": "title: x\ndetection: [\n",
		"corr.yml": "title: c\nid: 7c1e0000-0000-4000-8000-000000000002\ncorrelation:\n  type: event_count\n  rules: [nope]\n  group-by: [host.name]\n  timespan: 1h\n  condition: {gte: 2}\n"})
	steps := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // substrings of stdout, and of stderr when the code is not 0
	}{
		{"List", []string{"list"}, 0, []string{"ID  ", "TITLE", "INDICATORS", "4d8f81fe-48c8-4dcf-b922-de1aaec53e26  AnyDesk remote-access tool on an endpoint", "§3.1,N-11", "bundled"}},
		{"ListUserDir", []string{"list", "--dir", good}, 0, []string{"Certutil download", "high", "user"}},
		{"ListWarnsAboutBadRules", []string{"list", "--dir", bad}, 0, []string{"warning: " + filepath.Join(bad, "broken.yml") + ":2:"}},
		{"LintBundled", []string{"lint"}, 0, []string{"41 rules OK."}},
		{"LintGoodFile", []string{"lint", filepath.Join(good, "certutil.yml")}, 0, []string{"42 rules OK."}},
		{"LintBad", []string{"lint", bad}, 2, []string{filepath.Join(bad, "broken.yml") + ":2: yaml: line 2: did not find expected node content",
			filepath.Join(bad, "corr.yml") + `:1: correlation "7c1e0000-0000-4000-8000-000000000002": references unknown rule "nope"`, "2 problems in the rules."}},
		{"LintMissing", []string{"lint", filepath.Join(bad, "nope")}, 2, []string{"no such file or directory", "1 problem in the rules."}},
		{"TestBundled", []string{"test"}, 0, []string{"PASS  unmask_ra_anydesk  ", "PASS  unmask_corr_remote_access_after_delivery", "41 passed, 0 failed, 0 without fixtures."}},
		{"TestUserDir", []string{"test", good}, 0, []string{"PASS  user_certutil  2 files", "1 passed, 0 failed"}},
		{"TestUserDirFails", []string{"test", failing}, 2, []string{"FAIL  user_certutil  1 file", "tp/a.jsonl line 1: did not fire", "1 of 1 rules failed their fixtures"}},
		{"TestNoRules", []string{"test", t.TempDir()}, 2, []string{"No rules in"}},
		{"TestTooManyArgs", []string{"test", good, bad}, 2, []string{"accepts at most 1 arg"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			code, out, errOut := runRules(t, st.args...)
			for _, want := range st.want {
				if code != st.wantCode || !strings.Contains(out+errOut, want) {
					t.Errorf("unmask rules %s: exit %d, stdout %q, stderr %q; want exit %d with %q", strings.Join(st.args, " "), code, out, errOut, st.wantCode, want)
				}
			}
		})
	}
}

func TestRulesListJSON(t *testing.T) {
	code, out, errOut := runRules(t, "list", "--json")
	var list []unmask.Rule
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != 41 {
		t.Fatalf("exit %d, %d rules, %v; stderr %q", code, len(list), err, errOut)
	}
}

func TestRuleTester(t *testing.T) {
	set, err := ruleset.Load(ruleset.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := ruleTester{set}
	res, err := rt.TestRule(t.Context(), "unmask_ra_anydesk", []byte(`{"event.kind":"process_start","Image":"C:\\x\\AnyDesk.exe"}`))
	if err != nil || !res.Matched || res.Detail == "" {
		t.Errorf("TestRule = %+v, %v", res, err)
	}
	if _, err := rt.TestRule(t.Context(), "nope", []byte(`{}`)); unmask.ErrorCode(err) != unmask.ENOTFOUND {
		t.Errorf("unknown rule: %v", err)
	}
}
