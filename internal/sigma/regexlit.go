package sigma

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// regexNeeds returns literals of which one occurs (lowercased) in every string the
// regular expression matches, or ok false when there is no such set. The prefilter uses
// it so that regex-only rules need not run for every event.
func regexNeeds(expr string) ([]string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	return reNeeds(re.Simplify())
}

func reNeeds(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{lowerString(string(re.Rune))}, true
	case syntax.OpCapture, syntax.OpPlus:
		return reNeeds(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return reNeeds(re.Sub[0])
		}
	case syntax.OpConcat:
		return concatNeeds(re.Sub)
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			l, ok := reNeeds(s)
			if !ok {
				return nil, false
			}
			out = append(out, l...)
		}
		return out, true
	}
	return nil, false
}

// concatNeeds merges adjacent literals and picks the most selective necessary set.
func concatNeeds(subs []*syntax.Regexp) ([]string, bool) {
	var best []string
	found := false
	consider := func(l []string) {
		if !found || betterStrings(l, best) {
			best, found = l, true
		}
	}
	var run strings.Builder
	for _, s := range subs {
		if s.Op == syntax.OpLiteral {
			run.WriteString(lowerString(string(s.Rune)))
			continue
		}
		if run.Len() > 0 {
			consider([]string{run.String()})
			run.Reset()
		}
		if l, ok := reNeeds(s); ok {
			consider(l)
		}
	}
	if run.Len() > 0 {
		consider([]string{run.String()})
	}
	return best, found
}

func betterStrings(a, b []string) bool {
	ma, mb := minRunes(a), minRunes(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minRunes(ls []string) int {
	m := 1 << 30
	for _, l := range ls {
		m = min(m, utf8.RuneCountInString(l))
	}
	return m
}
