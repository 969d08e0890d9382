package sigma

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/unmask/unmask"
)

// MustScan scans raw with the given wanted paths and returns path → value ("<null>"
// for JSON null); absent paths are left out.
func MustScan(tb testing.TB, raw string, paths ...string) (map[string]string, error) {
	tb.Helper()
	t := newPathTrie()
	for i, p := range paths {
		t.add(p, i, 0)
	}
	t.index()
	var r record
	r.reset(len(paths))
	if err := scanJSON([]byte(raw), t, &r, false); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i, p := range paths {
		var vals []string
		for v := &r.vals[i]; v != nil; v = r.nextElem(v) {
			switch v.state {
			case stPresent:
				vals = append(vals, string(v.raw))
			case stNull:
				vals = append(vals, "<null>")
			}
		}
		if len(vals) > 0 {
			out[p] = strings.Join(vals, "|")
		}
	}
	return out, nil
}

// TestScanJSON checks the field scanner on nesting, dotted keys, escapes and literals.
func TestScanJSON(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		paths []string
		want  map[string]string
	}{
		{"flat", `{"a":"x","b":"y"}`, []string{"a"}, map[string]string{"a": "x"}},
		{"nested", `{"p":{"q":{"r":"deep"}},"r":"top"}`, []string{"p.q.r"}, map[string]string{"p.q.r": "deep"}},
		{"dotted_key", `{"p.q":"flat"}`, []string{"p.q"}, map[string]string{"p.q": "flat"}},
		{"mixed_dotted", `{"p":{"q.r":"mixed"}}`, []string{"p.q.r"}, map[string]string{"p.q.r": "mixed"}},
		{"escapes", `{"a":"C:\\Windows\\\"x\"\n\t\/\u00e9\ud83d\ude00"}`, []string{"a"}, map[string]string{"a": "C:\\Windows\\\"x\"\n\t/é😀"}},
		{"lone_surrogate", `{"a":"\ud83d!"}`, []string{"a"}, map[string]string{"a": "\uFFFD!"}},
		{"escaped_key", `{"k\u0065y":"v"}`, []string{"key"}, map[string]string{"key": "v"}},
		{"numbers_and_bools", `{"n":-12.5e3,"t":true,"f":false}`, []string{"n", "t", "f"}, map[string]string{"n": "-12.5e3", "t": "true", "f": "false"}},
		{"null", `{"a":null}`, []string{"a"}, map[string]string{"a": "<null>"}},
		{"array_elements", `{"a":["x","y",["z"]]}`, []string{"a"}, map[string]string{"a": "x|y|z"}},
		{"array_of_objects", `{"a":[{"b":"1"},{"c":"0"},{"b":"2"}]}`, []string{"a.b"}, map[string]string{"a.b": "1|2"}},
		{"skips_unwanted_nested", `{"x":{"y":[1,{"z":"\"}"}],"w":null},"a":"ok"}`, []string{"a"}, map[string]string{"a": "ok"}},
		{"skips_escaped_quote", `{"x":"a\\\"b\\\\","a":"ok"}`, []string{"a"}, map[string]string{"a": "ok"}},
		{"whitespace", " {\n \"a\" : \"x\" ,\r\n\t\"b\":{ } } ", []string{"a"}, map[string]string{"a": "x"}},
		{"wildcard_segment", `{"U":{"Op_Fail":{"Operation":"clear"}}}`, []string{"U.*.Operation"}, map[string]string{"U.*.Operation": "clear"}},
		{"duplicate_key_first_wins", `{"a":"1","a":"2"}`, []string{"a"}, map[string]string{"a": "1"}},
		{"long_string", `{"a":"` + string(make([]byte, 0)) + `0123456789012345678901234567890123456789"}`, []string{"a"}, map[string]string{"a": "0123456789012345678901234567890123456789"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MustScan(t, tt.raw, tt.paths...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScanJSONErrors checks that malformed input is rejected with errJSON.
func TestScanJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  string
	}{
		{"empty", ``},
		{"not_object", `["a"]`},
		{"unterminated_string", `{"a":"x`},
		{"unterminated_escaped", `{"a":"x\"`},
		{"missing_colon", `{"a" "x"}`},
		{"missing_comma", `{"a":"x" "b":"y"}`},
		{"bad_literal", `{"a":nul}`},
		{"bad_escape", `{"a":"\q"}`},
		{"bad_unicode", `{"a":"\u12G4"}`},
		{"trailing", `{"a":"x"} x`},
		{"unclosed_object", `{"a":{"b":"c"}`},
		{"too_deep", `{"a":` + repeat("[", 300) + repeat("]", 300) + `}`},
		{"missing_value", `{"a":}`},
	}
	e := MustEngine(t, nil, detectionRule("r1", "  sel:\n    a: x\n  condition: sel"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := MustScan(t, tt.raw, "a", "a.b"); !errors.Is(err, errJSON) {
				t.Errorf("err = %v, want errJSON", err)
			}
			err := e.NewMatcher().MatchJSON([]byte(tt.raw), time.Unix(0, 0), func(Hit) { t.Error("hit on malformed JSON") })
			if code := unmask.ErrorCode(err); code != unmask.EINVALID {
				t.Errorf("MatchJSON error code %q, want %q: %v", code, unmask.EINVALID, err)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := make([]byte, 0, len(s)*n)
	for range n {
		out = append(out, s...)
	}
	return string(out)
}

// TestLowercase checks the SWAR lowercase fast path against the byte loop.
func TestLowercase(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"ascii_edges", "ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{", "abcdefghijklmnopqrstuvwxyz@[`{"},
		{"path", "C:\\WINDOWS\\System32\\CMD.EXE /C", "c:\\windows\\system32\\cmd.exe /c"},
		{"unicode", "Microsoft® Windows® ÄÖÜ", "microsoft® windows® äöü"},
		{"invalid_utf8", "\xffABC\xfe", "\xffabc\xfe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(appendLower(nil, []byte(tt.in))); got != tt.want {
				t.Errorf("appendLower(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := needsLower([]byte(tt.in)); got != (tt.in != tt.want) {
				t.Errorf("needsLower(%q) = %v", tt.in, got)
			}
		})
	}
}

// TestArrayValues checks that a field holding an array matches when any element does,
// with prefilter answers, all and neq.
func TestArrayValues(t *testing.T) {
	src := detectionRule("any", "  sel:\n    args|endswith: '-urlcache'\n  condition: sel") +
		"---\n" + detectionRule("all", "  sel:\n    args|contains|all:\n      - split\n      - urlcache\n  condition: sel") +
		"---\n" + detectionRule("neq", "  sel:\n    host: x\n    args|neq: '-f'\n  condition: sel") +
		"---\n" + detectionRule("obj", "  sel:\n    target.id: bob\n  condition: sel")
	e := MustEngine(t, nil, src)
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"second_element", `{"args":["certutil","-urlcache"]}`, []string{"any"}},
		{"all_across_elements", `{"args":["-split","-urlcache"]}`, []string{"any", "all"}},
		{"neq_element_equal", `{"host":"x","args":["a","-f"]}`, []string{}},
		{"neq_no_element_equal", `{"host":"x","args":["a","b"]}`, []string{"neq"}},
		{"objects", `{"target":[{"id":"alice"},{"id":"BOB"}]}`, []string{"obj"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, eng := range map[string]*Engine{"prefiltered": e, "all_rules": withoutPrefilter(t, src)} {
				got := []string{}
				if err := eng.NewMatcher().MatchJSON([]byte(tt.raw), time.Unix(0, 0), func(h Hit) { got = append(got, h.Rule.Ref()) }); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s hits (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// withoutPrefilter compiles src as the reference engine that evaluates every rule.
func withoutPrefilter(tb testing.TB, src string) *Engine {
	tb.Helper()
	e := MustEngine(tb, nil, src)
	e.noPrefilter = true
	return e
}
