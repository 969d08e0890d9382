package sigma

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCustomKeys checks that top-level keys outside the Sigma specification are kept,
// decoded generically, and that specification attributes are not.
func TestCustomKeys(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]any
	}{
		{
			name: "pack_block",
			src: detectionRule("r1", "  sel:\n    Image: x\n  condition: sel") +
				"unmask:\n  indicators: ['§3.1', 'N-11']\n  source: 'THREAT.md §3.1'\n" +
				"x-score: 7\nx-flags: [true, null, 1.5]\n",
			want: map[string]any{
				"unmask":  map[string]any{"indicators": []any{"§3.1", "N-11"}, "source": "THREAT.md §3.1"},
				"x-score": 7,
				"x-flags": []any{true, nil, 1.5},
			},
		},
		{
			name: "spec_attributes_only",
			src: detectionRule("r2", "  sel:\n    Image: x\n  condition: sel") +
				"status: test\nlevel: high\ndate: 2026-01-02\nmodified: 2026-01-03\nreferences: [https://example.com]\n" +
				"falsepositives: [none]\nfields: [Image]\nrelated: [{id: r1, type: similar}]\nlicense: MIT\n" +
				"taxonomy: sigma\nscope: [server]\nauthor: me\ndescription: d\ntags: [attack.t1219]\n",
		},
		{
			name: "correlation",
			src: "title: c\nid: c1\ncorrelation:\n  type: event_count\n  rules: [r1]\n  group-by: [host]\n" +
				"  timespan: 1h\n  condition: {gte: 2}\ngenerate: true\nlevel: low\nx-owner: soc\n",
			want: map[string]any{"x-owner": "soc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := MustParse(t, tt.src)
			if len(rs) != 1 {
				t.Fatalf("parsed %d documents, want 1", len(rs))
			}
			if diff := cmp.Diff(tt.want, rs[0].Custom); diff != "" {
				t.Errorf("Custom (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCustomKeyBadYAML checks that a custom value that cannot be decoded (a mapping with
// a key twice) is a parse error at its line, and does not stop the next document.
func TestCustomKeyBadYAML(t *testing.T) {
	src := detectionRule("r1", "  sel:\n    Image: x\n  condition: sel") + "unmask:\n  source: a\n  source: b\n---\n" +
		detectionRule("r2", "  sel:\n    Image: y\n  condition: sel") + "unmask: {indicators: ['§3.2']}\n"
	rs, errs := ParseFile("t.yml", []byte(src), ParseOptions{})
	if len(rs) != 1 || rs[0].ID != "r2" {
		t.Fatalf("parsed %v, want only r2", rs)
	}
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	pe, ok := errs[0].(*ParseError)
	if want := `t.yml:11: unmask: line 11: mapping key "source" already defined at line 10`; !ok || pe.Error() != want {
		t.Errorf("error = %v, want a *ParseError %q", errs[0], want)
	}
}
