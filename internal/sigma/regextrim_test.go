package sigma

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestMatchOnlyCases checks the trimmed form of hand-picked expressions.
func TestMatchOnlyCases(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`-k\s\w{1,64}(?:\s?(?:-p|-s))?`, `-k\s\w`},
		{`\w+\.exe`, `\w\.exe`},
		{`(?i)a{2,5}b*`, `(?i)a{2}`},
		{`x.*$`, `x.*$`},
		{`^\w+`, `^\w`},
		{`(?:ab+|c{3,})d?`, `ab|c{3}`},
		{`\bfoo\w*\b`, `\bfoo\w*\b`},
		{`.*(?:ab|cd).*`, `ab|cd`},
		{`a*`, ``},
		{`(?:x|)y?`, ``},
	}
	for _, tt := range tests {
		if got := matchOnly(tt.expr); got != parsedString(tt.want) {
			t.Errorf("matchOnly(%#q) = %#q, want %#q", tt.expr, got, tt.want)
		}
	}
}

// parsedString returns expr as syntax.Regexp.String writes it ("" for "").
func parsedString(expr string) string {
	if expr == "" {
		return ""
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	return re.String()
}

// TestMatchOnlyRandom compares random expressions over a small alphabet, with
// repetitions, alternatives and assertions, with their trimmed forms on random strings.
func TestMatchOnlyRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			return []string{"a", "b", "[ab]", ".", `\b`, `\B`, "^", "$", `\w`, " "}[r.IntN(10)]
		}
		x := gen(depth - 1)
		switch r.IntN(8) {
		case 0:
			return "(?:" + x + ")*"
		case 1:
			return "(?:" + x + ")+"
		case 2:
			return "(?:" + x + ")?"
		case 3:
			return "(?:" + x + "){" + []string{"0,2", "1,3", "2", "2,"}[r.IntN(4)] + "}"
		case 4:
			return "(?:" + x + "|" + gen(depth-1) + ")"
		case 5:
			return "(" + x + ")"
		}
		return x + gen(depth-1)
	}
	var inputs []string
	for range 200 {
		b := make([]byte, r.IntN(8))
		for i := range b {
			b[i] = "ab -"[r.IntN(4)]
		}
		inputs = append(inputs, string(b))
	}
	for range 3000 {
		expr := gen(4)
		if r.IntN(4) == 0 {
			expr = "(?i)" + expr
		}
		orig, trimmed := regexp.MustCompile(expr), regexp.MustCompile(matchOnly(expr))
		for _, in := range inputs {
			if orig.MatchString(in) != trimmed.MatchString(in) {
				t.Fatalf("%#q on %q: %v, trimmed %#q: %v", expr, in, orig.MatchString(in), matchOnly(expr), !orig.MatchString(in))
			}
		}
	}
}

// TestMatchOnlySigmaHQ compares the regexes of all SigmaHQ rules with their trimmed
// forms on the regression samples' and generated events' values.
func TestMatchOnlySigmaHQ(t *testing.T) {
	exprs := sigmaRegexes(t)
	values := regexProbeValues(t)
	if raceEnabled {
		values = values[:len(values)/8]
	}
	trimmed := 0
	for _, expr := range exprs {
		orig, err := regexp.Compile(expr)
		if err != nil {
			continue
		}
		short := matchOnly(expr)
		if short != parsedString(expr) {
			trimmed++
		}
		re := regexp.MustCompile(short)
		for _, v := range values {
			if orig.MatchString(v) != re.MatchString(v) {
				t.Errorf("%#q on %q: %v, trimmed %#q: %v", expr, v, orig.MatchString(v), short, re.MatchString(v))
			}
		}
	}
	t.Logf("%d regexes (%d trimmed), %d values", len(exprs), trimmed, len(values))
	if trimmed == 0 {
		t.Error("no regex trimmed: the comparison checked nothing")
	}
}

// sigmaRegexes returns the |re values of the SigmaHQ rules, with their flags.
func sigmaRegexes(tb testing.TB) []string {
	tb.Helper()
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			mods := strings.Split(key, "|")
			if !slices.Contains(mods, "re") {
				return
			}
			var flags strings.Builder
			for _, f := range []string{"i", "m", "s"} {
				if slices.Contains(mods, f) {
					flags.WriteString(f)
				}
			}
			if flags.Len() > 0 {
				x = "(?" + flags.String() + ")" + x
			}
			out = append(out, x)
		}
	}
	root := MustSigmaHQ(tb)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc map[string]any
		if yaml.Unmarshal(raw, &doc) == nil {
			walk("", doc["detection"])
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
