package sigma

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// condDetection has four searches; each matches when its field is "1".
const condDetection = `  sel_a:
    A: '1'
  sel_b:
    B: '1'
  filter_c:
    C: '1'
  _hidden:
    D: '1'
`

// TestConditions checks every condition form against events that set A, B, C and D.
func TestConditions(t *testing.T) {
	tests := []struct {
		name  string
		cond  string
		event string // which of A, B, C, D are "1"
		want  bool
	}{
		{"single", "sel_a", "A", true},
		{"single_false", "sel_a", "B", false},
		{"and", "sel_a and sel_b", "AB", true},
		{"and_false", "sel_a and sel_b", "A", false},
		{"or", "sel_a or sel_b", "B", true},
		{"not", "not sel_a", "B", true},
		{"and_not", "sel_a and not filter_c", "AC", false},
		{"precedence_and_over_or", "sel_a or sel_b and filter_c", "A", true},
		{"precedence_and_over_or_2", "sel_a or sel_b and filter_c", "B", false},
		{"parentheses", "(sel_a or sel_b) and filter_c", "A", false},
		{"parentheses_true", "(sel_a or sel_b) and filter_c", "AC", true},
		{"not_binds_tighter_than_and", "not sel_a and sel_b", "B", true},
		{"double_not", "not not sel_a", "A", true},
		{"one_of_pattern", "1 of sel_*", "B", true},
		{"one_of_pattern_none", "1 of sel_*", "C", false},
		{"all_of_pattern", "all of sel_*", "AB", true},
		{"all_of_pattern_partial", "all of sel_*", "A", false},
		{"one_of_them", "1 of them", "C", true},
		{"one_of_them_skips_underscore", "1 of them", "D", false},
		{"all_of_them", "all of them", "ABC", true},
		{"all_of_them_ignores_underscore", "all of them", "ABC", true},
		{"two_of_them", "2 of them", "AC", true},
		{"two_of_them_one", "2 of them", "A", false},
		{"underscore_explicit", "_hidden", "D", true},
		{"not_one_of", "sel_a and not 1 of filter_*", "AC", false},
		{"nested", "((sel_a and (sel_b or filter_c)))", "AC", true},
		{"uppercase_keywords", "sel_a AND NOT filter_c", "A", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := MustEngine(t, nil, detectionRule("r1", condDetection+"  condition: "+tt.cond))
			ev := Map{}
			for _, c := range tt.event {
				ev[string(c)] = "1"
			}
			got := len(MustMatch(t, e, ev)) == 1
			if got != tt.want {
				t.Errorf("condition %q on %s = %v, want %v", tt.cond, tt.event, got, tt.want)
			}
		})
	}
}

// TestConditionList checks that a list of conditions is joined by OR.
func TestConditionList(t *testing.T) {
	e := MustEngine(t, nil, detectionRule("r1", condDetection+"  condition:\n    - sel_a and sel_b\n    - filter_c"))
	tests := []struct {
		name  string
		event Map
		want  []string
	}{
		{"first", Map{"A": "1", "B": "1"}, []string{"r1"}},
		{"second", Map{"C": "1"}, []string{"r1"}},
		{"neither", Map{"A": "1"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, MustMatch(t, e, tt.event)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrors checks that bad documents are reported with line and reason, and
// that the good documents of the same file still load.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		want string
	}{
		{"undefined_identifier", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: sel and other\n", 6, `undefined search identifier "other"`},
		{"unknown_modifier", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|foo: 1\n  condition: sel\n", 5, `unknown modifier "foo"`},
		{"bad_regex", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|re: '(unclosed'\n  condition: sel\n", 5, "regular expression"},
		{"missing_condition", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n", 4, "no condition"},
		{"missing_title", "logsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: sel\n", 1, "missing title"},
		{"missing_logsource", "title: t\ndetection:\n  sel:\n    A: 1\n  condition: sel\n", 1, "missing logsource"},
		{"unbalanced_parenthesis", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: (sel\n", 6, "missing closing parenthesis"},
		{"aggregation", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: sel | count() > 5\n", 6, "obsolete"},
		{"no_of_match", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: 1 of filter*\n", 6, "no search identifier matches"},
		{"all_single_value", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|contains|all: x\n  condition: sel\n", 5, "at least two values"},
		{"bad_cidr", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|cidr: 10.0.0.0/99\n  condition: sel\n", 5, "cidr"},
		{"gt_not_number", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|gt: ten\n  condition: sel\n", 5, "needs a number"},
		{"conflicting_modifiers", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|contains|endswith: x\n  condition: sel\n", 5, "exclude each other"},
		{"placeholder_without_values", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A|expand: '%nope%'\n  condition: sel\n", 5, "placeholder %nope%"},
		{"bad_timespan", "title: t\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [x]\n  timespan: 5 minutes\n  condition: {gte: 2}\n", 6, "timespan"},
		{"bad_correlation_type", "title: t\ncorrelation:\n  type: value_sum2\n  rules: [a]\n  timespan: 5m\n", 3, "correlation type"},
		{"value_percentile", "title: t\ncorrelation:\n  type: value_percentile\n  rules: [a]\n  timespan: 5m\n", 3, "not supported"},
		{"value_count_without_field", "title: t\ncorrelation:\n  type: value_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 2}\n", 6, "needs a field"},
		{"too_deep", "title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: " + strings.Repeat("(", 200) + "sel" + strings.Repeat(")", 200) + "\n", 6, "deeper than"},
		{"yaml_syntax", "title: t\nlogsource: {product: x}\ndetection: 'unclosed\n", 3, "yaml"},
	}
	good := "title: good\nid: good\nlogsource: {product: x}\ndetection:\n  sel:\n    A: 1\n  condition: sel\n"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := good + "---\n" + tt.doc
			rules, errs := ParseFile("f.yml", []byte(src), ParseOptions{})
			if len(rules) != 1 || rules[0].ID != "good" {
				t.Errorf("good document not loaded beside the bad one: %d rules", len(rules))
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), errs)
			}
			pe, ok := errs[0].(*ParseError)
			if !ok {
				t.Fatalf("error %T is not *ParseError", errs[0])
			}
			if got := pe.Line - strings.Count(good, "\n") - 1; got != tt.line || pe.Path != "f.yml" {
				t.Errorf("error at %s line %d of the document, want line %d: %v", pe.Path, got, tt.line, pe)
			}
			if !strings.Contains(pe.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", pe.Error(), tt.want)
			}
		})
	}
}
