// Package rules embeds Unmask's bundled Sigma rule pack: detection and correlation rules
// for the endpoint, network and HR indicators of THREAT.md §3 (remote-access tools, Astrill
// and other VPNs, IP-KVMs, mouse jigglers, browser credential theft, personal cloud sync,
// remote-desktop protocols) and the O-09 "remote access right after laptop delivery"
// correlation.
//
// Rules live in one folder per theme (remote_access/, vpn/, hardware/, ...), one rule per
// file. Every rule has fixtures under tests/<rule-id>/tp/*.jsonl (events that must fire
// it) and tests/<rule-id>/fp/*.jsonl (events that must not). A fixture line is one event
// as a flat JSON object of field name to value: the event's Fields plus the pseudo-fields
// event.source, event.kind, event.action, user.name, person.id, host.name, source.ip and
// device.serial, and "@timestamp" (RFC 3339) as the event time; ParseFixture reads them.
// A rule's fixtures run against the rule and the rules it references, in a fresh matcher
// per file: detection rules must fire (tp) or stay silent (fp) on every line; correlation
// rules read a file as one sequence of events in time order and must fire somewhere in it
// (tp) or never (fp). Rules referenced by a correlation with generate: false (the
// informational HR shipment rule) do not report on their own in the whole pack.
//
// The rules use logsource product "unmask" and select events by event.kind in their
// detection, so they need no logsource mapping in the engine's pipeline; PipelineYAML maps
// them for engines that run with strict logsources.
package rules

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// FS holds the rule files (*/*.yml) and the fixtures (tests/).
//
//go:embed */*.yml tests
var FS embed.FS

// PipelineYAML is a Sigma pipelines file (for sigma.ParsePipelines) defining the pipeline
// "unmask" the pack is written for: field names are used as they are (the event's Fields
// and the pseudo-fields), and every logsource with product "unmask" selects every event,
// as the rules select by event.kind themselves. With it an engine may run with strict
// logsources and still apply the pack.
const PipelineYAML = `pipelines:
  - name: unmask
    extends: sigma
    logsources:
      - logsource: {product: unmask}
        conditions: {}
`

// PipelineName is the name of the pipeline PipelineYAML defines.
const PipelineName = "unmask"

// TestsDir is the folder of FS holding the fixtures, one subfolder per rule id.
const TestsDir = "tests"

// Fixture kinds: the subfolders of tests/<rule-id>/.
const (
	TruePositive  = "tp" // events that must fire the rule
	FalsePositive = "fp" // events that must not fire it
)

// Files returns the paths in FS of every rule file, in lexical order.
func Files() ([]string, error) {
	var out []string
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p == TestsDir:
			return fs.SkipDir
		case !d.IsDir() && isRuleFile(p):
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list rule files: %w", err)
	}
	return out, nil
}

// Fixtures returns the paths in FS of the fixture files of one kind (TruePositive or
// FalsePositive) for a rule id, in lexical order; none is not an error.
func Fixtures(ruleID, kind string) ([]string, error) {
	if kind != TruePositive && kind != FalsePositive {
		return nil, fmt.Errorf("fixture kind %q is not %q or %q", kind, TruePositive, FalsePositive)
	}
	if ruleID == "" || strings.ContainsAny(ruleID, "/\\*?[") {
		return nil, fmt.Errorf("rule id %q cannot name a fixture folder", ruleID)
	}
	out, err := fs.Glob(FS, path.Join(TestsDir, ruleID, kind, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("list fixtures of rule %q: %w", ruleID, err)
	}
	return out, nil
}

func isRuleFile(p string) bool {
	return strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")
}
