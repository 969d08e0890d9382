package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
	"go.yaml.in/yaml/v3"

	"github.com/unmask/unmask/rules"
)

// threatModel is THREAT.md, which the rules cite; it lives outside the repository.
var threatModel = filepath.Join("..", "..", "shared", "docs", "THREAT.md")

// meta is the metadata every rule of the pack carries.
type meta struct {
	Title          string   `yaml:"title"`
	ID             string   `yaml:"id"`
	Name           string   `yaml:"name"`
	Status         string   `yaml:"status"`
	Description    string   `yaml:"description"`
	References     []string `yaml:"references"`
	Author         string   `yaml:"author"`
	Date           string   `yaml:"date"`
	Tags           []string `yaml:"tags"`
	Level          string   `yaml:"level"`
	FalsePositives []string `yaml:"falsepositives"`
	Unmask         struct {
		Indicators []string `yaml:"indicators"`
		Source     string   `yaml:"source"`
	} `yaml:"unmask"`
}

var (
	tagRE       = regexp.MustCompile(`^(attack\.(t\d{4}(\.\d{3})?|[a-z-]+)|detection\.[a-z-]+)$`)
	indicatorRE = regexp.MustCompile(`^(§3\.[1-6]|[HON]-\d{2})$`)
	nameRE      = regexp.MustCompile(`^unmask_[a-z0-9_]+$`)
)

// checkMeta returns what is missing or malformed in m.
func checkMeta(m *meta) []string {
	var p []string
	bad := func(cond bool, format string, args ...any) {
		if cond {
			p = append(p, fmt.Sprintf(format, args...))
		}
	}
	u, err := uuid.Parse(m.ID)
	bad(err != nil || u.Version() != 4, "id %q is not a version 4 UUID", m.ID)
	bad(!nameRE.MatchString(m.Name), "name %q is not unmask_<snake_case>", m.Name)
	bad(m.Title == "" || len(m.Title) > 110, "title must be 1-110 characters")
	bad(!slices.Contains([]string{"stable", "test", "experimental"}, m.Status), "status %q", m.Status)
	bad(len(m.Description) < 40, "description too short")
	bad(len(m.References) == 0, "no references")
	for _, r := range m.References {
		bad(!strings.HasPrefix(r, "https://"), "reference %q is not an https URL", r)
	}
	bad(m.Author != "Unmask", "author %q, want Unmask", m.Author)
	_, err = time.Parse(time.DateOnly, m.Date)
	bad(err != nil, "date %q is not YYYY-MM-DD", m.Date)
	bad(len(m.Tags) == 0, "no tags")
	for _, tag := range m.Tags {
		bad(!tagRE.MatchString(tag), "tag %q is not attack.* or detection.*", tag)
	}
	bad(!slices.Contains([]string{"informational", "low", "medium", "high", "critical"}, m.Level), "level %q", m.Level)
	bad(len(m.FalsePositives) == 0, "no falsepositives")
	bad(len(m.Unmask.Indicators) == 0, "unmask.indicators empty")
	for _, id := range m.Unmask.Indicators {
		bad(!indicatorRE.MatchString(id), "indicator %q is not §3.x or a THREAT.md id", id)
	}
	bad(!strings.HasPrefix(m.Unmask.Source, "THREAT.md"), "unmask.source %q does not cite THREAT.md", m.Unmask.Source)
	return p
}

// MustReadMeta decodes the metadata of every rule file, in file order.
func MustReadMeta(tb testing.TB) []*meta {
	tb.Helper()
	files, err := rules.Files()
	if err != nil {
		tb.Fatal(err)
	}
	var out []*meta
	for _, f := range files {
		data, err := fs.ReadFile(rules.FS, f)
		if err != nil {
			tb.Fatal(err)
		}
		m := &meta{}
		if err := yaml.Unmarshal(data, m); err != nil {
			tb.Fatalf("decode %s: %v", f, err)
		}
		out = append(out, m)
	}
	return out
}

func TestRuleMetadata(t *testing.T) {
	ids, names := map[string]bool{}, map[string]bool{}
	for _, m := range MustReadMeta(t) {
		t.Run(m.Name, func(t *testing.T) {
			if diff := cmp.Diff([]string(nil), checkMeta(m)); diff != "" {
				t.Errorf("metadata problems (-want +got):\n%s", diff)
			}
			if ids[m.ID] || names[m.Name] {
				t.Errorf("id %s or name %s used twice", m.ID, m.Name)
			}
			ids[m.ID], names[m.Name] = true, true
		})
	}
}

func TestCheckMeta(t *testing.T) {
	good := func() *meta {
		m := &meta{Title: "AnyDesk", ID: "4d8f81fe-48c8-4dcf-b922-de1aaec53e26", Name: "unmask_ra_x",
			Status: "experimental", Description: "Detects AnyDesk on a managed endpoint, in some detail.",
			References: []string{"https://example.com/"}, Author: "Unmask", Date: "2026-12-02",
			Tags: []string{"attack.t1219.002", "attack.command-and-control"}, Level: "medium",
			FalsePositives: []string{"IT"}}
		m.Unmask.Indicators, m.Unmask.Source = []string{"§3.1", "N-11"}, "THREAT.md §3.1"
		return m
	}
	tests := []struct {
		name   string
		change func(*meta)
		want   []string
	}{
		{name: "good", change: func(*meta) {}},
		{name: "uuid_v1", change: func(m *meta) { m.ID = "c232ab00-9414-11ec-b3c8-9f6bdeced846" },
			want: []string{`id "c232ab00-9414-11ec-b3c8-9f6bdeced846" is not a version 4 UUID`}},
		{name: "author_and_level", change: func(m *meta) { m.Author, m.Level = "SigmaHQ", "severe" },
			want: []string{`author "SigmaHQ", want Unmask`, `level "severe"`}},
		{name: "tags_and_indicators", change: func(m *meta) {
			m.Tags, m.Unmask.Indicators = []string{"attack.T1219"}, []string{"§4", "X-01"}
		}, want: []string{`tag "attack.T1219" is not attack.* or detection.*`,
			`indicator "§4" is not §3.x or a THREAT.md id`, `indicator "X-01" is not §3.x or a THREAT.md id`}},
		{name: "dates_and_refs", change: func(m *meta) { m.Date, m.References = "02/12/2026", []string{"http://x"} },
			want: []string{`reference "http://x" is not an https URL`, `date "02/12/2026" is not YYYY-MM-DD`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good()
			tt.change(m)
			if diff := cmp.Diff(tt.want, checkMeta(m)); diff != "" {
				t.Errorf("checkMeta (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIndicatorsInThreatModel checks that every cited indicator exists in THREAT.md.
func TestIndicatorsInThreatModel(t *testing.T) {
	data, err := os.ReadFile(threatModel)
	if err != nil {
		t.Skipf("THREAT.md not available at %s (shared docs absent): %v", threatModel, err)
	}
	doc := string(data)
	for _, m := range MustReadMeta(t) {
		for _, id := range m.Unmask.Indicators {
			needle := "| " + id + " |"
			if sec, ok := strings.CutPrefix(id, "§"); ok {
				needle = "### " + sec + " "
			}
			if !strings.Contains(doc, needle) {
				t.Errorf("rule %s cites %s, which THREAT.md does not define (looked for %q)", m.Name, id, needle)
			}
		}
	}
}

func TestFixturesArgs(t *testing.T) {
	tests := []struct {
		name, id, kind, wantErr string
	}{
		{name: "bad_kind", id: "x", kind: "tn", wantErr: `fixture kind "tn" is not "tp" or "fp"`},
		{name: "empty_id", id: "", kind: rules.TruePositive, wantErr: `rule id "" cannot name a fixture folder`},
		{name: "glob_id", id: "*", kind: rules.TruePositive, wantErr: `rule id "*" cannot name a fixture folder`},
		{name: "traversal_id", id: "../x", kind: rules.FalsePositive, wantErr: `rule id "../x" cannot name a fixture folder`},
		{name: "unknown_id", id: "00000000-0000-4000-8000-000000000000", kind: rules.TruePositive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Fixtures(tt.id, tt.kind)
			if diff := cmp.Diff(tt.wantErr, errString(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if len(got) != 0 {
				t.Errorf("got fixtures %v, want none", got)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
