package risk

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/unmask/unmask"
	"github.com/unmask/unmask/internal/unmasktest"
)

// loadConfig decodes a YAML file strictly over DefaultConfig, as the lead's loader will,
// and validates the result.
func loadConfig(tb testing.TB, path string) (Config, error) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	cfg := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func TestConfigGoodYAML(t *testing.T) {
	cfg, err := loadConfig(t, "testdata/lead.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	got := map[string]any{
		"N-02":      cfg.Indicators["N-02"],
		"§3.1":      cfg.Indicators["§3.1"],
		"O-03":      cfg.Indicators["O-03"],
		"N-01":      cfg.Indicators["N-01"],
		"network":   cfg.Families["network"],
		"hiring":    cfg.Families["hiring"],
		"new_hire":  cfg.Stages[StageNewHire],
		"corrob":    cfg.Corroboration,
		"scale":     cfg.Scale,
		"diminish":  cfg.Diminishing,
		"new_hires": cfg.NewHireDays,
	}
	want := map[string]any{
		"N-02":     IndicatorWeight{Weight: 12},
		"§3.1":     IndicatorWeight{Weight: 8, Cap: 10},
		"O-03":     IndicatorWeight{Weight: 15, HalfLifeDays: &zero},
		"N-01":     IndicatorWeight{Weight: 25},
		"network":  FamilyConfig{Cap: 45, HalfLifeDays: 60},
		"hiring":   FamilyConfig{Cap: 45, HalfLifeDays: 365},
		"new_hire": map[string]float64{"endpoint": 2},
		"corrob":   Corroboration{MinFamilyPoints: 4, Bonus: 0.25},
		"scale":    50.0, "diminish": 0.5, "new_hires": 90,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("loaded config mismatch (-want +got):\n%s", diff)
	}
}

func TestConfigBadYAML(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string
	}{
		{"negative-weight", "Risk indicator N-01: weight -3 must be finite and not negative"},
		{"bands", "Risk bands must satisfy"},
		{"unknown-key", "field indicatorz not found"},
		{"diminishing", "Risk diminishing ratio 1.5 is outside (0, 1]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadConfig(t, filepath.Join("testdata", tt.name+".bad.yaml"))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	neg := -1.0
	tests := []struct {
		name    string
		edit    func(c *Config)
		wantErr bool
	}{
		{"default", func(*Config) {}, false},
		{"zero-scale", func(c *Config) { c.Scale = 0 }, true},
		{"zero-diminishing", func(c *Config) { c.Diminishing = 0 }, true},
		{"full-diminishing", func(c *Config) { c.Diminishing = 1 }, false},
		{"negative-new-hire-days", func(c *Config) { c.NewHireDays = -1 }, true},
		{"negative-family-cap", func(c *Config) { c.Families["network"] = FamilyConfig{Cap: -1} }, true},
		{"negative-half-life", func(c *Config) { c.Indicators["N-01"] = IndicatorWeight{Weight: 1, HalfLifeDays: &neg} }, true},
		{"negative-stage", func(c *Config) { c.Stages[StageTenured]["network"] = -0.5 }, true},
		{"unknown-severity", func(c *Config) { c.Severity["urgent"] = 0.5 }, true},
		{"severity-above-one", func(c *Config) { c.Severity[unmask.SeverityLow] = 2 }, true},
		{"negative-default", func(c *Config) { c.Default.Weight = -1 }, true},
		{"negative-bonus", func(c *Config) { c.Corroboration.Bonus = -1 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate() = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && unmask.ErrorCode(err) != unmask.EINVALID {
				t.Fatalf("error code %q, want %q", unmask.ErrorCode(err), unmask.EINVALID)
			}
		})
	}
}

func TestConfigCloneIsDeep(t *testing.T) {
	base := DefaultConfig()
	c := base.Clone()
	c.Indicators["N-01"] = IndicatorWeight{Weight: 1}
	c.Stages[StageNewHire]["endpoint"] = 9
	c.Families["hiring"] = FamilyConfig{}
	if base.Indicators["N-01"].Weight != 25 || base.Stages[StageNewHire]["endpoint"] != 1.5 || base.Families["hiring"].Cap != 45 {
		t.Fatal("editing a clone changed the original")
	}
}

func TestConfigWeightLookup(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name    string
		id      string
		wantKey string
		wantOK  bool
	}{
		{"exact", "N-01", "N-01", true},
		{"endpoint-exact", "§3.1", "§3.1", true},
		{"endpoint-subsection", "§3.1.2", "§3.1", true},
		{"endpoint-qualified", "§3.3:pikvm", "§3.3", true},
		{"slash-qualified", "N-01/astrill", "N-01", true},
		{"unknown-number", "H-99", "H-99", false},
		{"unknown-prefix", "X-01", "X-01", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, key, ok := cfg.weight(tt.id)
			if key != tt.wantKey || ok != tt.wantOK {
				t.Fatalf("weight(%q) key %q ok %v, want %q %v", tt.id, key, ok, tt.wantKey, tt.wantOK)
			}
		})
	}
}

// TestDefaultConfigCoversThreatCatalogue checks that every indicator ID of THREAT.md has a
// default weight, so that no catalogue entry silently falls back to Default.
func TestDefaultConfigCoversThreatCatalogue(t *testing.T) {
	dir := unmasktest.SharedDir(t, "../..", "docs")
	data, err := os.ReadFile(filepath.Join(dir, "THREAT.md"))
	if err != nil {
		t.Skipf("THREAT.md not readable (%v): skipping the catalogue check", err)
	}
	var ids []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([HON]-\d{2}) \|`).FindAllStringSubmatch(string(data), -1) {
		ids = append(ids, m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^### (3\.\d+) `).FindAllStringSubmatch(string(data), -1) {
		ids = append(ids, "§"+m[1])
	}
	if len(ids) < 40 {
		t.Fatalf("found only %d indicator IDs in THREAT.md; the catalogue format changed", len(ids))
	}
	cfg := DefaultConfig()
	var missing []string
	for _, id := range ids {
		if w, ok := cfg.Indicators[id]; !ok || w.Weight <= 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		t.Errorf("THREAT.md indicators without a default weight: %v", missing)
	}
	var extra []string
	for id := range cfg.Indicators {
		if !slices.Contains(ids, id) {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		t.Errorf("default weights for IDs not in THREAT.md: %v", extra)
	}
}

// TestConfigRoundTrip checks that the whole configuration survives YAML and JSON, so the
// lead can ship DefaultConfig as a file and load it back strictly.
func TestConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		marshal   func(any) ([]byte, error)
		unmarshal func([]byte, *Config) error
	}{
		{"yaml", yaml.Marshal, func(b []byte, c *Config) error {
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			return dec.Decode(c)
		}},
		{"json", json.Marshal, func(b []byte, c *Config) error {
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			return dec.Decode(c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := DefaultConfig()
			b, err := tt.marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var got Config
			if err := tt.unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}
